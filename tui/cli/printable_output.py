"""What the line-by-line commands print, with control characters from files shown as escapes.

Instructor and progress commands quote what they read: keys and values of course files, file
and folder names, learner names and course ids from imported records. Rather than trust every
message to escape what it quotes, standard output and error are wrapped while such a command
runs, so that nothing it prints can carry a raw control character to the terminal (see
`course.printable`). The app, the plain mode and `serve` write their own escape codes and are
not wrapped; the plain mode escapes what it prints itself (`tui.plain.output`).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import IO, Any

from course.printable import printable


class PrintableStream:
    """A text stream that writes to another with control characters shown as escapes.

    Newlines and tabs pass; everything else the wrapped stream offers (`isatty`, `encoding`,
    `fileno`...) is the wrapped stream's.
    """

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        """Write `text`, printable; returns the length given, as a text stream does."""
        self.stream.write(printable(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        """Write each line, printable."""
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def raw(stream: IO[str]) -> IO[str]:
    """The stream underneath a `PrintableStream`, for output that styles itself (Rich) and
    escapes what it quotes; any other stream as it is."""
    return stream.stream if isinstance(stream, PrintableStream) else stream


@contextlib.contextmanager
def printable_output() -> Iterator[None]:
    """Wrap standard output and error while the block runs."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = PrintableStream(out)
    sys.stderr = PrintableStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
