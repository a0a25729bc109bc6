"""Reading the learner's lines in the plain mode."""

from __future__ import annotations

import sys
from typing import IO

from course.printable import printable


class LineReader:
    """Reads the learner's lines: `input()` on a terminal, `readline()` from a pipe.

    From a pipe, the line read is written after its prompt, so the transcript reads as a
    conversation rather than prompts run together; with its control characters shown as
    escapes, like everything the plain mode writes.
    """

    def __init__(self, stdin: IO[str], stdout: IO[str]) -> None:
        self.stdin = stdin
        self.stdout = stdout
        try:
            self.interactive = stdin is sys.stdin and stdin.isatty()
        except (AttributeError, ValueError):
            self.interactive = False

    def read(self, prompt: str) -> str | None:
        """One line without its newline, or None when the input has ended."""
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                self.stdout.write("\n")
                return None
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            self.stdout.flush()
            return None
        line = line.rstrip("\r\n")
        self.stdout.write(printable(line, one_line=True) + "\n")
        self.stdout.flush()
        return line
