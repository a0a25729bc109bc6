"""Short Markdown (a course summary, a disclaimer, a module's summary) as runs of styled text.

The welcome and the course map show these. As runs they can be kept with the course's snapshot
and drawn without loading a Markdown parser or widget, so a snapshot keeps them ready made.
The Markdown is read by the walk every text form shares (`course.material.markdown_text.blocks`).
"""

from __future__ import annotations

from course.material.markdown_text import Kind, blocks, table_lines

#: (text, style) pairs; a style is "" or space-separated words: bold, italic, underline.
Runs = tuple[tuple[str, str], ...]


def styled_runs(source: str) -> Runs:
    """Paragraphs, headings and list items as lines separated by blank lines, with bold,
    italic and link text marked. Links keep their text (course links point into the app,
    which the welcome does not follow); code and HTML are shown as written, a table as a line
    a row."""
    runs: list[tuple[str, str]] = []
    on_marker = False  # a list marker was written and its text has not come yet
    for block in blocks(source):
        kind = block.kind
        if kind is Kind.LIST:
            if block.depth == 1:
                _new_block(runs)
        elif kind is Kind.ITEM:
            marker = "• " if block.number is None else f"{block.number}. "
            _new_block(runs, tight=True)
            runs.append(("  " * (block.depth - 1) + marker, ""))
            on_marker = True
        elif kind is Kind.TEXT:
            # A list item's first paragraph starts on the marker's line.
            if block.heading or not (block.tight or on_marker):
                _new_block(runs)
            runs.extend(block.spans)
            on_marker = False
        elif kind in (Kind.CODE, Kind.HTML):
            _new_block(runs)
            runs.append((block.text, ""))
        elif kind is Kind.TABLE:
            _new_block(runs)
            runs.append(("\n".join(table_lines(block)), ""))
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
