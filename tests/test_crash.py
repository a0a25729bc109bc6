"""An error nobody expected: exit non-zero, the traceback in a log in the data folder, one line
to the learner, and every answer saved before it kept.

An error is forced by replacing one harmless action with one that raises. In this process that
is a monkeypatch; in the real program under a pseudo-terminal it is a `sitecustomize` module on
PYTHONPATH, which Python imports at start-up, so the program itself carries no hook for tests.
"""

from __future__ import annotations

import io
import os
import sys
import textwrap
import time
from pathlib import Path

import pexpect
import pyte
import pytest

from course.material.loader import load_course
from course.record.progress import ProgressStore
from quizzes.presentation import present
from quizzes.questions import SingleQuestion
from tui.app import IvstemApp, make_app
from tui.cli import main
from tui.crash import CRASH_LOG, EXIT_CRASH
from tui.plain.conversation import PlainCourse

VALID = Path(__file__).parent / "data" / "courses" / "valid"
PLAIN = Path(__file__).parent / "data" / "courses" / "plain"
IVSTEM = str(Path(sys.executable).parent / "ivstem")
SIZE = (80, 24)
FORCED = "forced for the test"
SAVED = "Your progress up to the last answer is saved."


class ForcedError(RuntimeError):
    """The error the tests force; no code of ivstem raises it."""


def boom(*args: object, **kwargs: object) -> None:
    """Stand in for a harmless action, and fail."""
    raise ForcedError(FORCED)


def right_number(course_dir: Path, learner: str, question_id: str) -> str:
    """The number shown for the right option of a single-choice check, for `learner`."""
    course = load_course(course_dir).course
    assert course is not None
    for module in course.modules:
        for lesson in module.lessons:
            for step in lesson.steps:
                check = getattr(step, "check", None)
                if isinstance(check, SingleQuestion) and check.id == question_id:
                    order = list(present(check, learner).order)
                    return str(order.index(check.correct_indexes[0]) + 1)
    raise KeyError(question_id)


def answers(data_dir: Path, learner: str, course_id: str) -> list[str]:
    """The ids of the questions the learner has answered, as the store keeps them."""
    with ProgressStore.open(data_dir) as store:
        return [answer.question_id for answer in store.answers(learner, course_id)]


async def test_an_error_in_the_app_is_logged_and_stops_it_with_a_failure_status(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ProgressStore.open(tmp_path)
    store.set_position("ana", "test-course", {"module": "basics", "lesson": "first-lesson",
                                               "step": 2})
    store.close()
    monkeypatch.setattr(IvstemApp, "action_help", boom)
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    with pytest.raises(ForcedError):  # run_test raises the app's error again, as Textual does
        async with app.run_test(size=SIZE) as pilot:
            await app.loaded.wait()
            await pilot.press("c")
            await pilot.press(right_number(VALID, "ana", "basics-check-single"), "enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("question_mark")
            await pilot.pause()
    assert app.return_code == 1
    assert app.crash_log is not None
    assert app.crash_log.path == tmp_path / CRASH_LOG
    log = (tmp_path / CRASH_LOG).read_text()
    assert "Traceback (most recent call last)" in log
    assert f"ForcedError: {FORCED}" in log
    assert "action_help" not in capsys.readouterr().err  # no traceback over the terminal
    assert answers(tmp_path, "ana", "test-course") == ["basics-check-single"]


class Terminal:
    """ivstem in a pty of 80x24 with an error forced on `?`, read through pyte."""

    def __init__(self, data_dir: Path, hook_dir: Path) -> None:
        hook_dir.mkdir()
        (hook_dir / "sitecustomize.py").write_text(textwrap.dedent(f"""\
            import tui.app

            def boom(self):
                raise RuntimeError({FORCED!r})

            tui.app.IvstemApp.action_help = boom
            """))
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24",
               "PYTHONPATH": str(hook_dir)}
        env.pop("NO_COLOR", None)
        self.child = pexpect.spawn(
            IVSTEM, ["--course", str(VALID), "--learner", "e2e", "--data-dir", str(data_dir)],
            dimensions=(24, 80), env=env, timeout=1)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, words: str, seconds: float = 30.0) -> None:
        """Read output until `words` is on the screen (bounded: the test ends by itself)."""
        deadline = time.monotonic() + seconds
        while words not in " ".join(self.text().split()):
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {words!r}; the screen shows:\n{self.text()}")
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                if words not in " ".join(self.text().split()):
                    raise AssertionError(
                        f"ivstem ended before {words!r}:\n{self.text()}") from None

    def press(self, keys: str) -> None:
        """Type `keys`; the test then waits for what they bring to the screen."""
        self.child.send(keys)


def test_in_a_real_terminal_an_error_leaves_one_line_a_log_and_the_answers(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    terminal = Terminal(data_dir, tmp_path / "hook")
    try:
        terminal.wait_for("Start the course")
        terminal.press("\r")
        terminal.wait_for("Continue where you left off")
        terminal.press("c")
        terminal.wait_for("step 1 of 4")
        terminal.press("n")
        terminal.wait_for("step 2 of 4")
        terminal.press("n")
        terminal.wait_for("Which is the main proposed mechanism?")
        terminal.press(right_number(VALID, "e2e", "basics-check-single"))
        terminal.wait_for("(•)")
        terminal.press("\r")
        terminal.wait_for("✓ Right")
        terminal.press("?")
        terminal.child.expect(pexpect.EOF, timeout=20)
        terminal.stream.feed(terminal.child.before or b"")
        terminal.child.close()
        log = data_dir / CRASH_LOG
        # The rows as one: the line is wrapped at the 80th column, wherever that falls.
        screen = "".join(terminal.screen.display)
        assert f"ivstem stopped on an unexpected error; the details are in {log}." in screen
        assert SAVED in screen
        assert "Traceback" not in screen
        assert terminal.child.exitstatus == EXIT_CRASH
    finally:
        terminal.child.close(force=True)
    text = log.read_text()
    assert "Traceback (most recent call last)" in text
    assert f"RuntimeError: {FORCED}" in text
    assert answers(data_dir, "e2e", "test-course") == ["basics-check-single"]


def test_an_error_in_the_plain_mode_is_logged_and_the_answers_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(PlainCourse, "glossary", boom)
    right = right_number(PLAIN, "t", "check-single")
    lines = ["1", "", "", "", right, "", "g"]  # open the lesson, answer the check, the glossary
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    status = main(["--plain", "--course", str(PLAIN), "--learner", "t",
                   "--data-dir", str(tmp_path)])
    assert status == EXIT_CRASH
    err = capsys.readouterr().err
    assert err == (f"ivstem stopped on an unexpected error; the details are in"
                   f" {tmp_path / CRASH_LOG}. {SAVED}\n")
    assert f"ForcedError: {FORCED}" in (tmp_path / CRASH_LOG).read_text()
    assert answers(tmp_path, "t", "plain-course") == ["check-single"]


def test_an_error_in_a_command_is_logged_but_a_mistake_gets_its_own_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nowhere"), "--data-dir", str(tmp_path)]) != 0
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / CRASH_LOG).exists()

    monkeypatch.setattr("course.material.loader.load_course", boom)
    assert main(["validate", str(VALID), "--data-dir", str(tmp_path)]) == EXIT_CRASH
    assert capsys.readouterr().err == (
        f"ivstem stopped on an unexpected error; the details are in {tmp_path / CRASH_LOG}.\n")
    assert f"ForcedError: {FORCED}" in (tmp_path / CRASH_LOG).read_text()


def test_when_the_data_folder_cannot_be_written_the_log_goes_to_the_temp_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp))
    monkeypatch.setattr("course.material.loader.load_course", boom)
    assert main(["validate", str(VALID), "--data-dir", str(not_a_folder)]) == EXIT_CRASH
    [log] = temp.glob("ivstem-crash-*.log")
    err = capsys.readouterr().err
    assert err.startswith(f"ivstem stopped on an unexpected error; the data folder {not_a_folder}"
                          " cannot be written")
    assert err.endswith(f", so the details are in {log}.\n")
    assert f"ForcedError: {FORCED}" in log.read_text()
