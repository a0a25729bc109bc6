"""Course links made readable aloud in the plain mode, and the sources they cite."""

from __future__ import annotations

import re

from course.material.markdown_text import escape_markdown
from course.material.model import Course

_COURSE_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\((glossary|ref):([a-z0-9-]+)\)")


def resolve_links(source: str, course: Course, sources: list[str]) -> str:
    """Course links made readable aloud: `text [glossary: Term]`, `text [source N]`.

    Each reference is numbered by its place in `sources` (appended when new), so the caller can
    list the sources after the step.
    """

    def replace(match: re.Match[str]) -> str:
        label, kind, ident = match.group(1), match.group(2), match.group(3)
        if kind == "glossary":
            term = course.term(ident)
            name = term.term if term is not None else ident
            return f"{label} \\[glossary: {escape_markdown(name)}\\]"
        if ident not in sources:
            sources.append(ident)
        return f"{label} \\[source {sources.index(ident) + 1}\\]"

    return _COURSE_LINK.sub(replace, source)


def citation(course: Course, ref_id: str) -> str:
    """A reference as one line: citation, then its address when it has one."""
    reference = course.reference(ref_id)
    if reference is None:
        return ref_id
    return f"{reference.citation} ({reference.url})" if reference.url else reference.citation
