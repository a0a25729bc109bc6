"""Course Markdown read by one parser and walked once, for every place that shows it as text.

`blocks` walks course Markdown (CommonMark with tables) and says what it holds, block by block:
where lists and their items begin and end, each paragraph or heading as runs of styled text,
code and HTML as written, tables as rows of cells. Three things are made from that walk:

- `markdown_text`: the plain mode's text, marks taken out, wrapped, lists and links kept;
- `plain_text`: one line with no marks at all, for the handout and the class report;
- `course.material.styled.styled_runs`: runs of styled text for the welcome and the course map.

HTML (the handout's HTML form) is rendered by markdown-it itself, from its own parser with raw
HTML turned off: see `course.instructor.handout`. markdown-it is imported only when the first
text is read, so a command that shows no Markdown does not pay for it.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

Span = tuple[str, str]
"""A run of inline text and its style: "" or space-separated words (bold, italic, underline)."""

Spans = tuple[Span, ...]

_INLINE_STYLES = {"strong": "bold", "em": "italic", "link": "underline", "s": "strike"}

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


class Kind(Enum):
    """What a `Block` is."""

    LIST = "list"  # a list opens; `depth` counts it
    LIST_END = "list end"  # a list closes; `depth` is what is still open
    ITEM = "item"  # a list item begins; `number` in an ordered list, None in a bulleted one
    TEXT = "text"  # a paragraph or a heading: `spans`
    CODE = "code"  # a code block, as written: `text`
    HTML = "html"  # an HTML block, as written: `text`
    TABLE = "table"  # a table: `rows` of cells, each cell its spans
    RULE = "rule"  # a thematic break


@dataclass(frozen=True)
class Block:
    """One thing the walk meets: a block of text, or where a list or a list item begins."""

    kind: Kind
    depth: int = 0  # how many lists are open around it
    spans: Spans = ()
    text: str = ""
    number: int | None = None
    heading: bool = False  # TEXT: a heading (its spans are bold)
    tight: bool = False  # TEXT: a paragraph of a tight list item, with no space after it
    rows: tuple[tuple[Spans, ...], ...] = ()


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def blocks(source: str, *, addresses: bool = False) -> Iterator[Block]:
    """The blocks of `source` in order. With `addresses`, a link's text is followed by its
    address in brackets, `site (https://example.org)`, unless the text already is the address."""
    lists: list[list[int | None]] = []  # per open list: [next number], or [None] for bullets
    rows: list[tuple[Spans, ...]] = []
    row: list[Spans] = []
    previous: Token | None = None
    for token in _parser().parse(source):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrs.get("start", 1) if kind == "ordered_list_open" else None
            lists.append([int(start) if start is not None else None])
            yield Block(Kind.LIST, depth=len(lists))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            yield Block(Kind.LIST_END, depth=len(lists))
        elif kind == "list_item_open":
            number = lists[-1][0]
            if number is not None:
                lists[-1][0] = number + 1
            yield Block(Kind.ITEM, depth=len(lists), number=number)
        elif kind == "inline":
            # An inline token always follows the token that opens its block.
            opener = previous.type if previous is not None else ""
            heading = opener == "heading_open"
            spans = inline_spans(token.children or [], bold=heading, addresses=addresses)
            if opener in ("th_open", "td_open"):
                row.append(spans)
            else:
                tight = opener == "paragraph_open" and previous is not None and previous.hidden
                yield Block(Kind.TEXT, depth=len(lists), spans=spans, heading=heading,
                            tight=tight)
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            rows.append(tuple(row))
        elif kind == "table_open":
            rows = []
        elif kind == "table_close":
            yield Block(Kind.TABLE, depth=len(lists), rows=tuple(rows))
        elif kind in ("fence", "code_block"):
            yield Block(Kind.CODE, depth=len(lists), text=token.content.rstrip("\n"))
        elif kind == "html_block":
            yield Block(Kind.HTML, depth=len(lists), text=token.content.rstrip("\n"))
        elif kind == "hr":
            yield Block(Kind.RULE, depth=len(lists))
        previous = token


def inline_spans(children: Sequence[Token], *, bold: bool = False,
                 addresses: bool = False) -> Spans:
    """Inline tokens as runs of styled text: breaks kept as a space or a newline, an image as
    its description (without marks), code and inline HTML as written."""
    styles: list[str] = ["bold"] if bold else []
    spans: list[Span] = []
    links: list[tuple[str, int]] = []  # per open link: its address, where its text begins
    for child in children:
        kind = child.type
        name, _, edge = kind.rpartition("_")
        if name in _INLINE_STYLES and edge in ("open", "close"):
            style = _INLINE_STYLES[name]
            if edge == "open":
                styles.append(style)
                if name == "link":
                    links.append((str(child.attrs.get("href", "")), len(spans)))
                continue
            if style in styles:
                styles.remove(style)
            if name == "link" and links:
                href, start = links.pop()
                label = "".join(text for text, _ in spans[start:])
                target = href.removeprefix("mailto:")
                if addresses and href and label.strip() != target:
                    spans.append((f" ({target})", ""))
        elif kind in ("text", "code_inline", "html_inline"):
            spans.append((child.content, " ".join(styles)))
        elif kind == "softbreak":
            spans.append((" ", ""))
        elif kind == "hardbreak":
            spans.append(("\n", ""))
        elif kind == "image":
            description = joined(inline_spans(child.children or []))
            spans.append((description, " ".join(styles)))
    return tuple(spans)


def joined(spans: Spans) -> str:
    """The text of runs, without their styles."""
    return "".join(text for text, _ in spans)


def markdown_text(source: str, width: int = 79) -> str:
    """Markdown as plain text: marks taken out, paragraphs and list items wrapped to `width`.

    Lists keep a `-` or their number, other links show their address in brackets, code keeps
    its lines, each table row is one line of cells separated by `;`. Nothing is left that a
    screen reader would read out as noise (`**`, `#`, `>`).
    """
    lines: list[str] = []
    marker: str | None = None  # the marker of a list item whose text has not come yet

    def blank() -> None:
        if lines and lines[-1] != "":
            lines.append("")

    for block in blocks(source, addresses=True):
        kind = block.kind
        if kind is Kind.LIST_END:
            if block.depth == 0:
                blank()
        elif kind is Kind.ITEM:
            marker = "- " if block.number is None else f"{block.number}. "
        elif kind is Kind.TEXT:
            lead = marker or ("  " if block.depth else "")
            indent = "  " * max(block.depth - 1, 0)
            first, rest = indent + lead, indent + " " * len(lead)
            marker = None
            for number, piece in enumerate(joined(block.spans).split("\n")):
                wrapped = textwrap.wrap(piece, width=width, initial_indent=first if number == 0
                                        else rest, subsequent_indent=rest,
                                        break_long_words=False, break_on_hyphens=False)
                lines.extend(wrapped or [first.rstrip()])
            if not block.tight:
                blank()
        elif kind is Kind.CODE:
            lines.extend("    " + code for code in block.text.split("\n"))
            blank()
        elif kind is Kind.HTML:
            lines.extend(block.text.split("\n"))
            blank()
        elif kind is Kind.TABLE:
            lines.extend(table_lines(block))
            blank()
        elif kind is Kind.RULE:
            blank()
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(line.rstrip() for line in lines)


def table_lines(block: Block) -> list[str]:
    """A table as lines of text, one a row, its cells separated by `;`."""
    return ["; ".join(" ".join(joined(cell).split()) for cell in row) for row in block.rows]


def plain_text(source: str) -> str:
    """Markdown as one line of plain text: every mark and list marker dropped, links reduced to
    their text, code and HTML kept as written."""
    parts: list[str] = []
    for block in blocks(source):
        if block.kind is Kind.TEXT:
            parts.append(joined(block.spans))
        elif block.kind in (Kind.CODE, Kind.HTML):
            parts.append(block.text)
        elif block.kind is Kind.TABLE:
            parts.extend(joined(cell) for row in block.rows for cell in row)
    return " ".join(" ".join(parts).split())


def escape_markdown(text: str) -> str:
    """Text that Markdown shows exactly as written: every ASCII punctuation mark escaped."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))
