"""The installed `ivstem` in a real pseudo-terminal: answer, quit, come back to the same place."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte

from course.material.loader import load_course
from quizzes.presentation import present
from quizzes.questions import SingleQuestion

VALID = Path(__file__).parent / "data" / "courses" / "valid"
IVSTEM = str(Path(sys.executable).parent / "ivstem")
LEARNER = "e2e"


class Terminal:
    """ivstem running in a pty of 80x24, read through pyte as a person would see the screen."""

    def __init__(self, data_dir: Path, course: Path | None = VALID) -> None:
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
        env.pop("NO_COLOR", None)
        where = ["--course", str(course)] if course is not None else []
        self.child = pexpect.spawn(
            IVSTEM, [*where, "--learner", LEARNER, "--data-dir", str(data_dir)],
            dimensions=(24, 80), env=env, timeout=1)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, words: str, seconds: float = 30.0) -> None:
        """Read output until `words` is on the screen (bounded: the test ends by itself)."""
        deadline = time.monotonic() + seconds
        while words not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {words!r}; the screen shows:\n{self.text()}")
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                raise AssertionError(f"ivstem ended before {words!r}:\n{self.text()}") from None

    def press(self, keys: str) -> None:
        """Type `keys`; the test then waits for what they bring to the screen."""
        self.child.send(keys)

    def quit(self) -> int:
        self.child.send("\x11")  # ctrl+q
        self.child.expect(pexpect.EOF, timeout=20)
        self.child.close()
        return int(self.child.exitstatus or 0)


def the_right_option_number() -> str:
    """Which number the learner presses for the check's right option, as it is shown to them."""
    course = load_course(VALID).course
    assert course is not None
    check = course.modules[0].lessons[0].steps[2].check  # type: ignore[union-attr]
    assert isinstance(check, SingleQuestion)
    order = list(present(check, LEARNER).order)
    return str(order.index(check.correct_indexes[0]) + 1)


def test_answer_quit_and_come_back_to_the_same_step(tmp_path: Path) -> None:
    first = Terminal(tmp_path)
    try:
        first.wait_for("Start the course")
        first.press("\r")
        first.wait_for("Continue where you left off")
        first.press("c")
        first.wait_for("step 1 of 4")
        first.press("n")
        first.wait_for("step 2 of 4")
        first.press("n")
        first.wait_for("step 3 of 4")
        first.wait_for("Which is the main proposed mechanism?")
        first.press(the_right_option_number())
        first.wait_for("(•)")
        first.press("\r")
        first.wait_for("✓ Right")
        assert first.quit() == 0
    finally:
        first.child.close(force=True)

    again = Terminal(tmp_path)
    try:
        again.wait_for("Continue where you left off")
        assert "Start the course" not in again.text()
        again.press("c")
        again.wait_for("step 3 of 4")
        assert "Which is the main proposed mechanism?" in again.text()
        assert again.quit() == 0
    finally:
        again.child.close(force=True)


def test_quitting_the_welcome_at_once_is_a_clean_exit(tmp_path: Path) -> None:
    # The shipped course, read behind the welcome: quitting before it is read is no failure.
    first = Terminal(tmp_path, course=None)
    try:
        first.wait_for("Start the course")
        assert first.quit() == 0
    finally:
        first.child.close(force=True)
