"""`ivstem preview --watch`: edits show up in place; problems appear, then clear when mended."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Markdown, Tree

from course.record.progress import ProgressStore
from tui.app import IvstemApp, make_app
from tui.cli import main
from tui.cli.common import EXIT_USAGE
from tui.screens.course_map import CourseMapScreen
from tui.screens.lesson import LessonScreen
from tui.screens.problems import ProblemsScreen

VALID = Path(__file__).parent / "data" / "courses" / "valid"
SIZE = (80, 24)
IVSTEM = str(Path(sys.executable).parent / "ivstem")


async def until(pilot: Pilot[None], ready: Callable[[], bool]) -> None:
    """Let the app run until `ready()` holds; a file event takes a moment to arrive."""
    for _ in range(150):
        if ready():
            return
        await pilot.pause(0.1)
    raise AssertionError("the preview did not reload")


def lesson_markdown(app: IvstemApp) -> str:
    return " ".join(m.source for m in app.screen.query(Markdown))


async def settled(pilot: Pilot[None]) -> None:
    """Let the screens that a reload put up finish mounting before the test ends: a Header
    still mounting when the app shuts down looks for its title after it is gone."""
    await pilot.pause()
    await pilot.pause()


def preview(course: Path, module: str | None = "basics") -> IvstemApp:
    return make_app(course, learner="preview", store=ProgressStore.in_memory(), preview=True,
                    watch=True, start_module=module)


async def test_saving_a_lesson_reloads_it_in_place(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    module = course / "modules" / "01-basics.yaml"
    app = preview(course)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("n")
        assert isinstance(app.screen, LessonScreen) and app.screen.step == 1
        module.write_text(module.read_text(encoding="utf-8").replace(
            '"They become any tissue." They do not.', "An edited myth."), encoding="utf-8")
        await until(pilot, lambda: "An edited myth." in lesson_markdown(app))
        assert isinstance(app.screen, LessonScreen) and app.screen.step == 1
        await settled(pilot)


async def test_ctrl_r_reloads_a_preview_that_does_not_watch(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    module = course / "modules" / "01-basics.yaml"
    app = make_app(course, learner="preview", store=ProgressStore.in_memory(), preview=True,
                   watch=False, start_module="basics")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.press("n")
        module.write_text(module.read_text(encoding="utf-8").replace(
            '"They become any tissue." They do not.', "An edited myth."), encoding="utf-8")
        await settled(pilot)
        assert "An edited myth." not in lesson_markdown(app)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: "An edited myth." in lesson_markdown(app))
        assert isinstance(app.screen, LessonScreen) and app.screen.step == 1
        await settled(pilot)


async def test_a_half_written_file_shows_its_problem_which_clears_when_mended(
        tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    module = course / "modules" / "01-basics.yaml"
    good = module.read_text(encoding="utf-8")
    app = preview(course)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        module.write_text(good[: good.index("lessons:")] + "lessons:\n  - id: [\n",
                          encoding="utf-8")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        assert app.problems and app.problems[0].path.name == "01-basics.yaml"
        module.write_text(good, encoding="utf-8")
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settled(pilot)


async def test_preview_opens_every_module_whatever_the_gating(tmp_path: Path) -> None:
    app = preview(VALID, module=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, CourseMapScreen)
        labels = [str(n.label) for n in app.screen.query_one(Tree).root.children]
        assert labels == ["○ 1. The basics  0%", "○ 2. More  0%"]
        assert "preview" in app.sub_title


def problem_lines(app: IvstemApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, ProblemsScreen)
    return [str(line.render()) for line in screen.query(".problem")]


async def test_a_second_save_with_mistakes_still_in_it_lists_them_again(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    module = course / "modules" / "01-basics.yaml"
    good = module.read_text(encoding="utf-8")
    app = preview(course)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        module.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        first = problem_lines(app)
        # A second mistake added while the first is still there: the list is drawn again.
        module.write_text(good.replace("title:", "titel:", 1) + "\nnonsense: [\n",
                          encoding="utf-8")
        await until(pilot, lambda: problem_lines(app) != first)
        assert app.is_running and len(app.screen.query("#problems-intro")) == 1
        # One of the two mended: still a list, redrawn once more.
        module.write_text(good + "\nnonsense: [\n", encoding="utf-8")
        await until(pilot, lambda: all("titel" not in line for line in problem_lines(app)))
        assert app.is_running and len(app.screen.query("#problems-intro")) == 1
        module.write_text(good, encoding="utf-8")
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settled(pilot)


def lesson_preview(course: Path, module: str | None, lesson: str | None) -> IvstemApp:
    return make_app(course, learner="preview", store=ProgressStore.in_memory(), preview=True,
                    watch=True, start_module=module, start_lesson=lesson)


def open_lesson(app: IvstemApp) -> str | None:
    screen = app.screen
    return f"{screen.module.id}/{screen.lesson.id}" if isinstance(screen, LessonScreen) else None


async def test_preview_opens_the_lesson_asked_for(tmp_path: Path) -> None:
    app = lesson_preview(VALID, "more", "sorting")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: open_lesson(app) == "more/sorting")
        await settled(pilot)


async def test_a_lesson_id_alone_opens_it_in_the_one_module_that_has_it(tmp_path: Path) -> None:
    app = lesson_preview(VALID, None, "sorting")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: open_lesson(app) == "more/sorting")
        await settled(pilot)


async def test_the_lesson_asked_for_opens_once_a_course_broken_at_start_is_mended(
        tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    module = course / "modules" / "02-more.yaml"
    good = module.read_text(encoding="utf-8")
    module.write_text(good.replace("type: order", "type: ordre"), encoding="utf-8")
    app = lesson_preview(course, "more", "sorting")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ProblemsScreen))
        module.write_text(good, encoding="utf-8")
        await until(pilot, lambda: open_lesson(app) == "more/sorting")
        await settled(pilot)


async def test_a_reload_keeps_the_lesson_and_step_and_leaves_for_the_map_when_it_is_gone(
        tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    module = course / "modules" / "02-more.yaml"
    good = module.read_text(encoding="utf-8")
    app = lesson_preview(course, "more", "sorting")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: open_lesson(app) == "more/sorting")
        await pilot.press("n")
        module.write_text(good.replace("Put the phases in order.", "Put the stages in order."),
                          encoding="utf-8")
        await until(pilot, lambda: "Put the stages in order." in lesson_markdown(app))
        assert open_lesson(app) == "more/sorting"
        assert isinstance(app.screen, LessonScreen) and app.screen.step == 1
        module.write_text(good.replace("- id: sorting", "- id: ordering"), encoding="utf-8")
        await until(pilot, lambda: any("`more/sorting` is no longer in the course"
                                       in str(note.message) for note in app._notifications))
        assert isinstance(app.screen, CourseMapScreen)
        await settled(pilot)


def preview_command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["preview", str(VALID), *args])
    captured = capsys.readouterr()
    assert captured.out == ""
    return status, captured.err


def test_an_unknown_lesson_names_the_lessons_of_its_module(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, err = preview_command(capsys, "--lesson", "basics/first-lesosn")
    assert status == EXIT_USAGE
    assert err == ("ivstem: preview: the module `basics` has no lesson `first-lesosn` (did you"
                   " mean `first-lesson`?). Its lessons, as --lesson takes them:\n"
                   "  basics/first-lesson  First lesson\n")


def test_a_lesson_in_an_unknown_module_names_the_lessons_of_every_module(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, err = preview_command(capsys, "--lesson", "nowhere/sorting")
    assert status == EXIT_USAGE
    assert err == ("ivstem: preview: the course has no module `nowhere`. Its lessons, as"
                   " --lesson takes them:\n"
                   "  basics/first-lesson  First lesson\n"
                   "  more/sorting         Sorting things\n")


def test_an_unknown_lesson_id_alone_names_every_lesson(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, err = preview_command(capsys, "--lesson", "sortin")
    assert status == EXIT_USAGE
    assert err.startswith("ivstem: preview: the course has no lesson `sortin` (did you mean"
                          " `sorting`?).")
    assert "Traceback" not in err and "more/sorting" in err


def test_the_real_command_refuses_an_unknown_lesson_without_opening_the_app() -> None:
    done = subprocess.run([IVSTEM, "preview", str(VALID), "--lesson", "more/nope"],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == EXIT_USAGE
    assert done.stdout == ""
    assert "the module `more` has no lesson `nope`" in done.stderr
    assert "more/sorting" in done.stderr and "Traceback" not in done.stderr


async def test_quitting_while_a_reload_puts_the_lesson_back_ends_cleanly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ctrl+q just after a save, while the reloaded lesson is still mounting: exiting then
    would leave it unable to mount its step (MountError), and the quit would end as a crash."""
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    module = course / "modules" / "01-basics.yaml"
    mounting, quit_pressed = asyncio.Event(), asyncio.Event()
    armed = False
    draw_step = LessonScreen.show_step

    async def draw_step_after_the_key(screen: LessonScreen) -> None:
        if armed:
            mounting.set()
            await asyncio.wait_for(quit_pressed.wait(), timeout=5)
        await draw_step(screen)

    monkeypatch.setattr(LessonScreen, "show_step", draw_step_after_the_key)
    app = preview(course)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        armed = True
        module.write_text(module.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        # Not through the pilot, whose pauses and key presses wait for the lesson to be
        # drawn: the key's action, as it comes while the lesson is mounting.
        await asyncio.wait_for(mounting.wait(), timeout=15)
        await app.run_action("quit")
        quit_pressed.set()
        await pilot.pause()
    assert app.return_code == 0 and app.crash_log is None
