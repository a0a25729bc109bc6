"""One walk of course Markdown, three texts: the plain mode's, one line, and styled runs."""

from __future__ import annotations

from course.material.markdown_text import Kind, blocks, escape_markdown, markdown_text, plain_text
from course.material.styled import styled_runs

SOURCE = ("# Title\n\n**Bold** and [a site](https://example.org).\n\n- one\n- two\n\n"
          "![a *chart*](chart.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")


def test_the_walk_numbers_list_items_and_marks_headings_and_tight_paragraphs() -> None:
    walked = list(blocks("# Head\n\n3. x\n4. y\n"))
    assert [block.kind for block in walked] == [
        Kind.TEXT, Kind.LIST, Kind.ITEM, Kind.TEXT, Kind.ITEM, Kind.TEXT, Kind.LIST_END]
    assert walked[0].heading and walked[0].spans == (("Head", "bold"),)
    assert [block.number for block in walked if block.kind is Kind.ITEM] == [3, 4]
    assert walked[3].tight and walked[3].depth == 1


def test_the_three_texts_agree_on_the_words() -> None:
    assert markdown_text(SOURCE).split("\n") == [
        "Title", "", "Bold and a site (https://example.org).", "", "- one", "- two", "",
        "a chart", "", "a; b", "1; 2"]
    assert plain_text(SOURCE) == "Title Bold and a site. one two a chart a b 1 2"
    assert "".join(text for text, _ in styled_runs(SOURCE)) == (
        "Title\n\nBold and a site.\n\n• one\n• two\n\na chart\n\na; b\n1; 2")


def test_an_address_is_not_repeated_when_it_is_the_link_text() -> None:
    assert markdown_text("<https://example.org> and [mail](mailto:a@example.org)") == (
        "https://example.org and mail (a@example.org)")


def test_escaped_text_reads_back_as_written() -> None:
    text = "1. *Not* a [list] — x_y #2"
    assert plain_text(escape_markdown(text)) == text
