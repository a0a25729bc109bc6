"""Where the plain mode writes: Rich on a capable terminal, plain text everywhere else.

Output is Rich (bold headings, Markdown) on a terminal that can show it; when standard output is
not a terminal, TERM is `dumb` or NO_COLOR is set, it is plain text with the Markdown marks taken
out (`course.material.markdown_text`). Course text is never read as Rich markup, and nothing is
written with a control character in it: what the learner typed, or a file held, is shown with
its escapes visible (`course.printable`), never obeyed by the terminal. Meaning is
never carried by colour alone: every verdict is said in words, and a colour only adds to them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import textwrap
from typing import IO, Any, ClassVar, Protocol

from course.material.markdown_text import markdown_text
from course.printable import printable
from quizzes.grading import Verdict


class Output(Protocol):
    """Where the conversation is written: Rich on a capable terminal, plain text elsewhere."""

    def heading(self, text: str) -> None:
        """A heading, after a blank line."""

    def line(self, text: str = "") -> None:
        """A line of text, shown exactly as given (never read as markup or Markdown)."""

    def verdict(self, text: str, verdict: Verdict) -> None:
        """The verdict line of a result: the words say it, a colour may add to it."""

    def markdown(self, source: str) -> None:
        """Course Markdown (links already resolved)."""


_LIST_MARKER = re.compile(r"(?:\d+\.|-) ")


class PlainOutput:
    """Plain text: no colour, no escape codes, Markdown marks taken out, lines wrapped."""

    def __init__(self, stream: IO[str], width: int) -> None:
        self.stream = stream
        self.width = width

    def _write(self, text: str) -> None:
        self.stream.write(printable(text) + "\n")
        self.stream.flush()

    def heading(self, text: str) -> None:
        """A heading, after a blank line."""
        self._write("")
        self._write(text)

    def line(self, text: str = "") -> None:
        """A line of text, wrapped; a list item's further lines are indented under its text."""
        marker = _LIST_MARKER.match(text)
        indent = " " * len(marker.group(0)) if marker else ""
        self._write("\n".join(textwrap.wrap(text, width=self.width, subsequent_indent=indent,
                                            break_long_words=False, break_on_hyphens=False))
                    or "")

    def verdict(self, text: str, verdict: Verdict) -> None:
        """The verdict line."""
        self._write(text)

    def markdown(self, source: str) -> None:
        """Markdown as plain text."""
        text = markdown_text(source, self.width)
        if text:
            self._write(text)


class RichOutput:
    """Rich on a terminal: bold headings, coloured verdicts (with their words), Markdown."""

    STYLES: ClassVar[dict[Verdict, str]] = {
        Verdict.RIGHT: "bold green", Verdict.WRONG: "bold red", Verdict.PARTLY: "bold yellow",
    }

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console

        self.console = Console(file=stream, markup=False, highlight=False, emoji=False)

    def heading(self, text: str) -> None:
        """A bold heading, after a blank line."""
        from rich.text import Text

        self.console.print()
        self.console.print(Text(printable(text), style="bold"))

    def line(self, text: str = "") -> None:
        """A line of text, never read as markup."""
        from rich.text import Text

        self.console.print(Text(printable(text)))

    def verdict(self, text: str, verdict: Verdict) -> None:
        """The verdict line, in the verdict's colour."""
        from rich.text import Text

        self.console.print(Text(printable(text), style=self.STYLES[verdict]))

    def markdown(self, source: str) -> None:
        """Markdown rendered by Rich, without boxes, rules or the trailing spaces that pad
        lines to the terminal's width (a screen reader reviewing the line meets them)."""
        with self.console.capture() as captured:
            self.console.print(_quiet_markdown(printable(source)))
        lines = captured.get().rstrip("\n").split("\n")
        self.console.file.write("\n".join(line.rstrip(" ") for line in lines) + "\n")
        self.console.file.flush()


def _quiet_markdown(source: str) -> Any:
    """Rich Markdown with headings at the left, quotes indented rather than barred, and rules
    left out: boxes and bars are noise read aloud."""
    from rich.markdown import BlockQuote, Heading, HorizontalRule, Markdown
    from rich.segment import Segment

    class LeftHeading(Heading):
        LEVEL_ALIGN = dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "left")

    class NoRule(HorizontalRule):
        def __rich_console__(self, console: Any, options: Any) -> Any:
            yield from ()

    class IndentedQuote(BlockQuote):
        def __rich_console__(self, console: Any, options: Any) -> Any:
            lines = console.render_lines(self.elements, options.update(width=options.max_width - 2),
                                         style=self.style)
            for line in lines:
                yield Segment("  ")
                yield from line
                yield Segment("\n")

    class QuietMarkdown(Markdown):
        elements = {**Markdown.elements, "heading_open": LeftHeading, "hr": NoRule,  # noqa: RUF012
                    "blockquote_open": IndentedQuote}

    return QuietMarkdown(source, hyperlinks=False, justify="default")


def wants_plain_text(stream: IO[str]) -> bool:
    """True when output should be plain: not a terminal, TERM=dumb, or NO_COLOR set."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return True
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


def text_width() -> int:
    """The width plain text is wrapped to: the terminal's (or $COLUMNS), kept readable."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return max(40, min(columns, 101) - 1)


def tolerate_unencodable(stream: IO[str]) -> None:
    """On a terminal that cannot show a character (an ASCII-only one), print `?` rather than
    stopping with an error."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")
