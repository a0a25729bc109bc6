"""The course as a printable handout: Markdown, or one self-contained HTML file.

Every lesson in order, then the glossary and the references. Questions are shown as a
worksheet (options listed in the order learners would see them, nothing marked); the
instructor's copy (`answers=True`) adds the key: correct options, accepted answers, numbers
with their tolerance, orders, pairs, categories, feedback and explanations.

What goes in a handout is decided once for both forms: `walk` goes through the course and
`sheet` lays each question out; `markdown_form` and `html_form` write them.
"""

from __future__ import annotations

from course.instructor.handout.html_form import HtmlHandout
from course.instructor.handout.markdown_form import MarkdownHandout
from course.material.model import Course

FORMATS = ("markdown", "html")


def render(course: Course, fmt: str, *, answers: bool = False) -> str:
    """The handout of `course` in `fmt` (`markdown` or `html`)."""
    if fmt == "markdown":
        return render_markdown(course, answers=answers)
    if fmt == "html":
        return render_html(course, answers=answers)
    raise ValueError(f"unknown handout format {fmt!r}; use one of {', '.join(FORMATS)}")


def render_markdown(course: Course, *, answers: bool = False) -> str:
    """The handout as Markdown (CommonMark, with `<a id>` anchors for in-document links)."""
    return MarkdownHandout(course, answers).document()


def render_html(course: Course, *, answers: bool = False) -> str:
    """The handout as one self-contained, print-friendly HTML page."""
    return HtmlHandout(course, answers).document()
