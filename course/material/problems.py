"""Content problems as data: where, what, and how to mend it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from course.printable import printable


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in a course, at the file, line and column the parser recorded (1-based).

    An error keeps the course from opening; a warning (something an author most likely did
    not mean, such as a module file the course leaves out) is reported and lets it open.
    """

    path: Path
    line: int
    column: int
    message: str
    hint: str | None = None
    severity: Literal["error", "warning"] = "error"

    def display_path(self, relative_to: Path | None = None) -> str:
        """The path as a learner or editor wants it: relative to `relative_to` when inside it."""
        base = relative_to or Path.cwd()
        try:
            return str(self.path.relative_to(base))
        except ValueError:
            return str(self.path)

    def location(self, relative_to: Path | None = None) -> str:
        """`path:line:col`, printable: a file name's control characters shown as escapes."""
        path = printable(self.display_path(relative_to), one_line=True)
        return f"{path}:{self.line}:{self.column}"

    def shown_message(self) -> str:
        """The message, printable: quoted keys and values may hold control characters, which
        are shown as escapes (`\\x1b`) rather than obeyed by the terminal."""
        return printable(self.message, one_line=True)

    def shown_hint(self) -> str | None:
        """The hint, printable (see `shown_message`)."""
        return None if self.hint is None else printable(self.hint, one_line=True)

    def format(self, relative_to: Path | None = None) -> str:
        """`path:line:col: error: message`, then an indented `hint:` line when there is one.

        Printable: control characters from the files are shown as escapes.
        """
        text = f"{self.location(relative_to)}: {self.severity}: {self.shown_message()}"
        if self.hint:
            text += f"\n    hint: {self.shown_hint()}"
        return text

    def to_dict(self, relative_to: Path | None = None) -> dict[str, object]:
        """A JSON-ready mapping, for `--format json` (printable, as `format`)."""
        data = asdict(self)
        data["path"] = printable(self.display_path(relative_to), one_line=True)
        data["message"] = self.shown_message()
        data["hint"] = self.shown_hint()
        return data


class Problems:
    """Collects the problems of every file, so all of them can be reported at once."""

    def __init__(self) -> None:
        self._items: list[Problem] = []

    def add(
        self, path: Path, line: int, column: int, message: str, hint: str | None = None
    ) -> None:
        """Record a problem."""
        self._items.append(Problem(path, max(line, 1), max(column, 1), message, hint))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self._items.extend(problems)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def sorted(self) -> list[Problem]:
        """By file, then line and column; each problem once."""
        return sorted(set(self._items), key=lambda p: (str(p.path), p.line, p.column, p.message))


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """A `did you mean ...?` hint for a misspelt name, or None when nothing is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f"did you mean `{matches[0]}`?" if matches else None
