"""JSON Schema of each kind of course file, generated from the models the validator uses.

The schema and `ivstem validate` must agree on every file: what one refuses the other refuses,
except for what a schema cannot see (another file, the file system, a rule that compares one
value with another). tests/test_schema_tools.py runs check-jsonschema over the shipped course,
the template and the broken corpus to hold them to it.
"""

from __future__ import annotations

import json
from typing import Any

from course.material.model import FILE_MODELS
from quizzes.questions import adapter

KINDS = ("course", "module", "glossary", "references")
#: The folder of a course that holds a schema file for each kind, for editors to find.
SCHEMA_FOLDER = "schema"

_TITLES = {
    "course": "ivstem course manifest (course.yaml)",
    "module": "ivstem course module",
    "glossary": "ivstem glossary (glossary.yaml)",
    "references": "ivstem references (references.yaml)",
}

#: An option marked `correct: true`.
_CORRECT_OPTION = {"type": "object", "properties": {"correct": {"const": True}},
                   "required": ["correct"]}


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a `course`, `module`, `glossary` or `references` file."""
    schema = adapter(FILE_MODELS[kind]).json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = _TITLES[kind]
    _count_correct_options(schema.get("$defs", {}))
    return schema


def schema_text(kind: str) -> str:
    """The schema of `kind` as the text of a `.schema.json` file."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def _count_correct_options(defs: dict[str, Any]) -> None:
    # The models count the options marked correct in a validator, which pydantic cannot put
    # into a schema; `contains` says the same, so an editor flags it as the author types.
    for name, most in (("SingleQuestion", 1), ("MultipleQuestion", None)):
        options = defs.get(name, {}).get("properties", {}).get("options")
        if options is not None:
            options["contains"] = _CORRECT_OPTION
            if most is not None:
                options["maxContains"] = most
