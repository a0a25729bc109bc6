"""`ivstem preview --watch` in a real 80x24 pseudo-terminal while an instructor edits the course.

The files are saved as an editor saves them, one mistake after another; the test reads only the
screen and the program's exit status. A bug found this way once killed the preview on the second
broken save (DuplicateIds), so the walk saves broken files several times in a row.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from journey_terminal import Terminal
from journey_walk import course_at

from tui.crash import CRASH_LOG, EXIT_CRASH

VALID = Path(__file__).parents[1] / "data" / "courses" / "valid"
MODULE_FILE = "01-basics.yaml"


class Edits:
    """A module file of a course copied into the test's folder, saved as an editor saves it."""

    def __init__(self, course: Path) -> None:
        self.path = course / "modules" / MODULE_FILE
        self.good = self.path.read_text(encoding="utf-8")

    def save(self, text: str) -> None:
        self.path.write_text(text, encoding="utf-8")

    def where(self, text: str, mistake: str) -> str:
        """`FILE:LINE:COL` of `mistake` in `text`, as the problems list names it: the path
        from the folder the preview was started in (the course's parent), 1-based."""
        before = text[: text.index(mistake)]
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        return f"{self.path.parents[1].name}/modules/{MODULE_FILE}:{line}:{column}"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """The small valid course, copied so that the test may break it."""
    folder = tmp_path / "course"
    shutil.copytree(VALID, folder)
    return folder


@pytest.fixture
def terms() -> Iterator[list[Terminal]]:
    """Programs started by a test, ended whatever happens to it."""
    started: list[Terminal] = []
    yield started
    for term in started:
        term.close()


def running(term: Terminal) -> None:
    assert term.status() is None, f"the preview ended (status {term.status()}):\n{term.text()}"


def test_preview_survives_repeated_broken_saves_and_quits_cleanly(
        course: Path, tmp_path: Path, terms: list[Terminal]) -> None:
    basics = course_at(course).modules[0]
    lesson = basics.lessons[0]
    edits = Edits(course)
    term = Terminal(["preview", str(course), "--lesson", f"{basics.id}/{lesson.id}", "--watch",
                     "--data-dir", str(tmp_path / "data")], cwd=course.parent)
    terms.append(term)
    lesson_view = f"{basics.title} › {lesson.title}"
    term.wait_for(lesson_view)
    term.wait_for(f"step 1 of {len(lesson.steps)}")
    term.settle()

    # One mistake: the lesson gives way to the list, each problem at FILE:LINE:COL.
    first = edits.good.replace("title:", "titel:", 1)
    edits.save(first)
    term.wait_for("1 problem to mend first")
    term.wait_for(f"{edits.where(first, 'titel:')} unknown field titel")
    term.wait_for("hint did you mean title")
    running(term)

    # A second mistake saved while the first is still there: the list is drawn again.
    both = first.replace("type: single", "type: singel", 1)
    edits.save(both)
    term.wait_for("2 problems to mend first")
    term.wait_for(f"{edits.where(both, 'titel:')} unknown field titel")
    term.wait_for(f"{edits.where(both, 'singel')} unknown question type singel")
    running(term)

    # One of the two mended: one left, drawn once more.
    second = edits.good.replace("type: single", "type: singel", 1)
    edits.save(second)
    term.wait_until(lambda: term.shows("1 problem to mend first")
                    and not term.shows("unknown field titel"), "the first mistake cleared")
    term.wait_for(f"{edits.where(second, 'singel')} unknown question type singel")
    running(term)

    # Everything mended: the lesson the preview was opened on, in place of the list.
    edits.save(edits.good)
    term.wait_until(lambda: term.shows(lesson_view) and not term.shows("to mend first"),
                    "the lesson back after the last mistake was mended")
    term.wait_for(f"step 1 of {len(lesson.steps)}")
    running(term)

    assert term.quit() == 0  # ctrl+q, the key the footer shows


def test_an_unexpected_error_in_the_preview_ends_it_non_zero_with_a_log(
        course: Path, tmp_path: Path, terms: list[Terminal]) -> None:
    """An error the preview did not expect, in the reload that follows a save: the program
    stops with EXIT_CRASH, one line saying where the log is, and the log holds the traceback
    of where the error was raised (a reload runs in a worker, which wraps errors)."""
    hook = tmp_path / "hook"
    hook.mkdir()
    # Imported by Python at start-up: the program itself carries no hook for tests.
    (hook / "sitecustomize.py").write_text(textwrap.dedent("""\
        import tui.app

        async def broken_rebuild(self):
            raise RuntimeError("forced for the test")

        tui.app.IvstemApp._rebuild_in_place = broken_rebuild
        """))
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    data = tmp_path / "data"
    basics = course_at(course).modules[0]
    edits = Edits(course)
    term = Terminal(["preview", str(course), "--lesson", f"{basics.id}/{basics.lessons[0].id}",
                     "--watch", "--data-dir", str(data)], env={"PYTHONPATH": path})
    terms.append(term)
    term.wait_for(basics.lessons[0].title)
    term.settle()
    edits.save(edits.good + "\n")
    term.wait_until(lambda: term.ended, "the preview to stop", seconds=30)
    status = term.status()
    log = data / CRASH_LOG
    screen = "".join(term.screen.display)  # the line as one: it wraps at the 80th column
    assert status == EXIT_CRASH, term.text()
    assert f"ivstem stopped on an unexpected error; the details are in {log}." in screen
    assert "Traceback" not in screen
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "in broken_rebuild" in text
    assert "RuntimeError: forced for the test" in text
