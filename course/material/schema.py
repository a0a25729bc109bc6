"""JSON Schema of each kind of course file, generated from the models the validator uses."""

from __future__ import annotations

from typing import Any

from course.material.model import FILE_MODELS
from quizzes.questions import adapter

_TITLES = {
    "course": "ivstem course manifest (course.yaml)",
    "module": "ivstem course module",
    "glossary": "ivstem glossary (glossary.yaml)",
    "references": "ivstem references (references.yaml)",
}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a `course`, `module`, `glossary` or `references` file."""
    schema = adapter(FILE_MODELS[kind]).json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = _TITLES[kind]
    return schema
