"""Short Markdown (a course summary, a disclaimer, a module's summary) as runs of styled text.

The welcome and the course map show these. As runs they can be kept with the course's snapshot
and drawn without loading a Markdown parser or widget, so a snapshot keeps them ready made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.token import Token

#: (text, style) pairs; a style is "" or space-separated words: bold, italic, underline.
Runs = tuple[tuple[str, str], ...]

_INLINE_STYLES = {"strong": "bold", "em": "italic", "link": "underline", "s": "strike"}


def styled_runs(source: str) -> Runs:
    """Paragraphs, headings and list items as lines separated by blank lines, with bold,
    italic and link text marked. Links keep their text (course links point into the app,
    which the welcome does not follow); code and HTML are shown as written."""
    from markdown_it import MarkdownIt

    runs: list[tuple[str, str]] = []
    lists: list[list[int | None]] = []  # per open list: [next number], or [None] for bullets
    heading = False
    on_marker = False  # a list marker was written and its text has not come yet
    for token in MarkdownIt("commonmark").parse(source):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = token.attrs.get("start", 1) if kind == "ordered_list_open" else None
            lists.append([int(start) if start is not None else None])
            if len(lists) == 1:
                _new_block(runs)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            number = lists[-1][0]
            marker = "• " if number is None else f"{number}. "
            if number is not None:
                lists[-1][0] = number + 1
            _new_block(runs, tight=True)
            runs.append(("  " * (len(lists) - 1) + marker, ""))
            on_marker = True
        elif kind in ("heading_open", "heading_close"):
            heading = kind == "heading_open"
            if heading:
                _new_block(runs)
        elif kind == "paragraph_open" and not token.hidden:
            if not on_marker:  # a list item's first paragraph starts on the marker's line
                _new_block(runs)
        elif kind == "inline":
            _inline(token.children or [], runs, "bold" if heading else "")
            on_marker = False
        elif kind in ("fence", "code_block", "html_block"):
            _new_block(runs)
            runs.append((token.content.rstrip("\n"), ""))
    return tuple(run for run in runs if run[0])


def _new_block(runs: list[tuple[str, str]], *, tight: bool = False) -> None:
    """End the line (tight) or the paragraph before a new block; once, however many open."""
    if not runs:
        return
    if runs[-1][0] in ("\n", "\n\n"):
        if not tight:
            runs[-1] = ("\n\n", "")
        return
    runs.append(("\n" if tight else "\n\n", ""))


def _inline(children: list[Token], runs: list[tuple[str, str]], base: str) -> None:
    open_styles: list[str] = [base] if base else []
    for child in children:
        kind = child.type
        if kind.endswith("_open") and kind.removesuffix("_open") in _INLINE_STYLES:
            open_styles.append(_INLINE_STYLES[kind.removesuffix("_open")])
        elif kind.endswith("_close") and kind.removesuffix("_close") in _INLINE_STYLES:
            style = _INLINE_STYLES[kind.removesuffix("_close")]
            if style in open_styles:
                open_styles.remove(style)
        elif kind in ("text", "code_inline", "html_inline"):
            runs.append((child.content, " ".join(open_styles)))
        elif kind == "softbreak":
            runs.append((" ", ""))
        elif kind == "hardbreak":
            runs.append(("\n", ""))
        elif kind == "image":
            runs.append((child.content or "", " ".join(open_styles)))
