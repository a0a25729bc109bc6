"""The welcome's summary and disclaimer: Markdown as runs of styled text."""

from __future__ import annotations

from course.material.styled import styled_runs


def text_of(source: str) -> str:
    return "".join(text for text, _ in styled_runs(source))


def test_bold_and_italic_are_marked_and_the_marks_are_gone() -> None:
    runs = styled_runs("**Not medical advice.** Read *this* first.")
    assert ("Not medical advice.", "bold") in runs
    assert ("this", "italic") in runs
    assert text_of("**Not medical advice.** Read *this* first.") == (
        "Not medical advice. Read this first.")


def test_paragraphs_are_separated_by_a_blank_line_and_lines_are_joined() -> None:
    assert text_of("One line\nwrapped.\n\nSecond.") == "One line wrapped.\n\nSecond."


def test_lists_keep_a_marker_per_item() -> None:
    assert text_of("Intro:\n\n- one\n- two\n\n1. first\n2. second") == (
        "Intro:\n\n• one\n• two\n\n1. first\n2. second")


def test_links_keep_their_text_and_markup_like_text_stays_as_written() -> None:
    runs = styled_runs("See [the glossary](glossary:msc) and [bold]this[/bold].")
    assert ("the glossary", "underline") in runs
    assert text_of("See [the glossary](glossary:msc) and [bold]this[/bold].") == (
        "See the glossary and [bold]this[/bold].")
