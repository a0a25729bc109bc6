"""The installed `ivstem` in a real pseudo-terminal, read through pyte as a person sees it.

The driver sends the bytes a terminal sends for each key and waits for the screen, never for a
fixed time: after a key it reads until the program has drawn something and then gone quiet, or
until the words it expects are on the screen. Every wait is bounded, so a test ends by itself.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pexpect
import pyte

IVSTEM = str(Path(sys.executable).parent / "ivstem")

KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
    "tab": "\t",
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "shift+up": "\x1b[1;2A",
    "shift+down": "\x1b[1;2B",
    "ctrl+q": "\x11",
    "f2": "\x1bOQ",
    "space": " ",
}
"""What an xterm sends for each named key; any other key name is sent as it is written."""

# Box drawing, block elements and scrollbar glyphs: frames around the words, not words.
_FRAME = re.compile(r"[\u2500-\u259f\u2800-\u28ff▏▕⏵⏴▸◂▲▼]")
_EDGES = "\"'“”‘’()[]{}.,:;!?…*_`"


def words_of(text: str) -> list[str]:
    """The words of `text` with frames and the punctuation at their edges dropped.

    "Passed:" on the screen reads as "Passed", so a test need not know the punctuation that
    follows a word, only the words.
    """
    words = (word.strip(_EDGES) for word in _FRAME.sub(" ", text).split())
    return [word for word in words if word]


def contains_words(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """True when `needle` appears in `haystack` as consecutive words."""
    count = len(needle)
    if count == 0:
        return True
    first = needle[0]
    return any(haystack[i] == first and list(haystack[i:i + count]) == list(needle)
               for i in range(len(haystack) - count + 1))


class ProgramEnded(AssertionError):
    """The program ended while the test still expected a screen."""


class Terminal:
    """`ivstem ARGS` running in an 80x24 pseudo-terminal (or another size)."""

    def __init__(self, args: Sequence[str], *, columns: int = 80, lines: int = 24,
                 env: dict[str, str] | None = None, cwd: Path | None = None,
                 wrapper: Sequence[str] = ()) -> None:
        """`wrapper` runs ivstem under another command, such as faketime to move the clock."""
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        environment = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns),
                       "LINES": str(lines), **(env or {})}
        environment.pop("NO_COLOR", None)
        environment.pop("TEXTUAL", None)
        command, *rest = [*wrapper, IVSTEM, *args]
        self.child = pexpect.spawn(command, rest, dimensions=(lines, columns),
                                   env=environment, timeout=1, cwd=cwd)
        self.ended = False
        self.keys_sent = 0

    # --- reading ---------------------------------------------------------------------------

    def text(self) -> str:
        """The screen as lines of text."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def words(self) -> list[str]:
        """The words on the screen, in reading order."""
        return words_of(self.text())

    def shows(self, words: str | Sequence[str]) -> bool:
        """True when these words stand on the screen, in order (across line breaks too)."""
        needle = words_of(words if isinstance(words, str) else " ".join(words))
        return contains_words(self.words(), needle)

    def _read(self, timeout: float) -> bool:
        """Feed what the program wrote within `timeout` to the screen; False if it wrote none."""
        try:
            data = self.child.read_nonblocking(1 << 16, timeout=timeout)
        except pexpect.TIMEOUT:
            return False
        except pexpect.EOF:
            self.ended = True
            return False
        self.stream.feed(data)
        return True

    def settle(self, *, quiet: float = 0.06, first: float = 0.4, limit: float = 10.0) -> None:
        """Read until the program has drawn and then written nothing for `quiet` seconds.

        `first` bounds the wait for the first output: a key that changes nothing draws nothing.
        """
        start = time.monotonic()
        if not self._read(first):
            return
        while time.monotonic() - start < limit and not self.ended:
            if not self._read(quiet):
                return

    def wait_until(self, test: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
        """Read output until `test()` holds; fail with the screen if it never does."""
        deadline = time.monotonic() + seconds
        while not test():
            if self.ended:
                raise ProgramEnded(f"ivstem ended (status {self.status()}) before {what}:\n"
                                   f"{self.text()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; the screen shows:\n{self.text()}")
            self._read(0.05)

    def wait_for(self, words: str, seconds: float = 30.0) -> None:
        """Read output until `words` are on the screen."""
        self.wait_until(lambda: self.shows(words), repr(words), seconds)

    # --- keys ------------------------------------------------------------------------------

    def send(self, key: str) -> None:
        """Send one key by name ("enter", "pagedown") or as the text it types."""
        if self.ended:
            raise ProgramEnded(f"ivstem ended (status {self.status()}) before the key {key!r}:"
                               f"\n{self.text()}")
        self.child.send(KEYS.get(key, key))
        self.keys_sent += 1

    def press(self, *keys: str, expect: str | None = None) -> None:
        """Press keys one by one, letting the screen settle after each; then wait for `expect`."""
        for key in keys:
            self.send(key)
            # Textual reads a lone escape only once no other byte follows it quickly.
            self.settle(first=0.4 if key != "escape" else 1.0)
        if expect is not None:
            self.wait_for(expect)

    def type(self, text: str) -> None:
        """Type text into the focused field, a character at a time as a person does."""
        for char in text:
            self.send(char)
        self.settle()

    def scroll_to(self, words: str, *, key: str = "pagedown", most: int = 40) -> None:
        """Press `key` until `words` are on the screen, and if the content ends first, the
        opposite key; fail if they never come into view."""
        back = {"pagedown": "pageup", "pageup": "pagedown", "down": "up", "up": "down"}[key]
        for direction in (key, back):
            before = None
            for _ in range(most):
                if self.shows(words):
                    return
                screen = self.text()
                if screen == before:
                    self.settle(first=1.5)  # a slow redraw is not the end of the content
                    if self.text() == before:
                        break  # the content ends this way
                    continue
                before = screen
                self.press(direction)
        self.wait_for(words, seconds=2)

    # --- ending ----------------------------------------------------------------------------

    def status(self) -> int | None:
        """The exit status once the program has ended."""
        if self.child.isalive():
            return None
        self.child.close()
        return self.child.exitstatus if self.child.exitstatus is not None else (
            -(self.child.signalstatus or 0))

    def quit(self, *, seconds: float = 20.0) -> int:
        """ctrl+q, then wait for the program to end; its exit status."""
        self.send("ctrl+q")
        deadline = time.monotonic() + seconds
        while not self.ended and time.monotonic() < deadline:
            self._read(0.1)
        assert self.ended, f"ivstem did not end after ctrl+q:\n{self.text()}"
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)

    def close(self) -> None:
        """End the program if it is still running (a failed test must not leave it behind)."""
        self.child.close(force=True)
