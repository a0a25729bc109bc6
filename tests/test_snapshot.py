"""A checked course is kept beside the progress and read back next time, until it changes."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_app import screen_text

from course.material import snapshot
from course.material.loader import load_course
from course.material.model import Course
from course.material.outline import outline_of
from course.material.snapshot import (
    content_key,
    intro_of,
    read_snapshot,
    shipped_snapshot_path,
    snapshot_path,
    write_snapshot,
)
from course.paths import shipped_course_dir
from tui.app import IvstemApp, make_app

VALID = Path(__file__).parent / "data" / "courses" / "valid"


def copy_course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    shutil.copytree(VALID, folder)
    return folder


def keep(folder: Path, snapshots: Path) -> None:
    key = content_key(folder)
    course = load_course(folder).course
    assert course is not None
    assert write_snapshot(snapshot_path(snapshots, folder), key, course)


def in_a_fresh_process(tmp_path: Path, after_make_app: str) -> list[str]:
    """The lines printed by a new Python that keeps a snapshot of a copy of the test course,
    makes the app for it (as `app`) and then runs `after_make_app`."""
    folder = copy_course(tmp_path)
    keep(folder, tmp_path / "data" / "snapshots")
    program = (
        "import asyncio, sys\n"
        "from tui.app import make_app\n"
        f"app = make_app({str(folder)!r}, learner='ana', data_dir={str(tmp_path / 'data')!r})\n"
        + after_make_app)
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          check=True).stdout.splitlines()


async def test_the_app_keeps_the_checked_course_and_the_next_start_reads_it_back(
        tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert app.snapshot is None  # the first start checks the course
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
    again = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert again.snapshot is not None
    assert again.intro is not None and again.intro.title == "A test course"
    assert again.snapshot.course() == app.course


async def test_a_first_visit_from_a_snapshot_shows_the_welcome_then_the_course(
        tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    keep(folder, tmp_path / "data" / "snapshots")
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        assert type(app.screen).__name__ == "WelcomeScreen"
        assert "A test course" in str(app.screen.query_one("#welcome-title").render())
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "CourseMapScreen"
        assert app.course is not None and app.course.title == "A test course"


async def test_a_returning_learner_lands_on_the_map_from_a_snapshot(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    keep(folder, tmp_path / "data" / "snapshots")
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    app.store.set_position("ana", "test-course", {"module": "basics"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        assert type(app.screen).__name__ == "CourseMapScreen"


async def test_a_snapshot_whose_course_is_damaged_is_checked_afresh(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    snapshots = tmp_path / "data" / "snapshots"
    keep(folder, snapshots)
    path = snapshot_path(snapshots, folder)
    path.write_bytes(path.read_bytes()[:-40])  # the welcome's text intact, the course cut
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert app.snapshot is not None and app.snapshot.course() is None
    app.store.set_position("ana", "test-course", {"module": "basics"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "CourseMapScreen"
    snapshot = read_snapshot(snapshot_path(snapshots, folder), folder)
    assert snapshot is not None and snapshot.course() == app.course  # and kept whole again


def test_a_course_and_its_map_read_back_load_neither_pydantic_yaml_nor_markdown(
        tmp_path: Path) -> None:
    loaded = in_a_fresh_process(tmp_path, (
        "assert 'course.material.model' not in sys.modules  # the welcome needs the first part\n"
        "course = app.snapshot.course()\n"
        "assert course is not None\n"
        "import tui.screens.course_map  # the map, with each module's summary styled\n"
        "assert all(app.styled(module.summary) for module in course.modules)\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'markdown_it') if m in sys.modules))\n"
    ))
    assert loaded == ["[]"]


def test_a_returning_learners_map_is_drawn_before_the_course_is_read(tmp_path: Path) -> None:
    # From the snapshot's outline: the content model loads, and the course is read, after.
    first, after = in_a_fresh_process(tmp_path, (
        "app.store.set_position('ana', 'test-course', {'module': 'basics'})\n"
        "import tui.screens.course_map as course_map\n"
        "drawing = course_map.CourseMapScreen.refresh_map\n"
        "def refresh_map(screen):\n"
        "    if not hasattr(app, 'seen'):\n"
        "        app.seen = ('course.material.model' in sys.modules, app.course is not None)\n"
        "    drawing(screen)\n"
        "course_map.CourseMapScreen.refresh_map = refresh_map\n"
        "async def main():\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await app.loaded.wait()\n"
        "        await pilot.pause()\n"
        "        print(app.seen)\n"
        "        print(type(app.screen).__name__, app.course is not None)\n"
        "asyncio.run(main())\n"
    ))
    assert first == "(False, False)"
    assert after == "CourseMapScreen True"


def hold_the_reading(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make reading the course from a snapshot wait, as on a slow machine, until the event
    returned is set (or a minute has passed, so that a failing test still ends)."""
    reading = snapshot.Snapshot.course
    go_on = threading.Event()

    def held(self: snapshot.Snapshot) -> object:
        go_on.wait(timeout=60)
        return reading(self)

    monkeypatch.setattr(snapshot.Snapshot, "course", held)
    return go_on


def returning_app(tmp_path: Path, position: dict[str, object]) -> IvstemApp:
    """The app for a learner with a saved `position` in a copy of the test course that has a
    snapshot."""
    folder = copy_course(tmp_path)
    keep(folder, tmp_path / "data" / "snapshots")
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    app.store.set_position("ana", "test-course", position)
    return app


async def test_a_key_pressed_on_the_map_before_the_course_is_read_is_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    go_on = hold_the_reading(monkeypatch)
    app = returning_app(tmp_path, {"module": "basics", "lesson": "first-lesson", "step": 1})
    async with app.run_test(size=(80, 24)) as pilot:
        assert type(app.screen).__name__ == "CourseMapScreen" and app.course is None
        await pilot.press("c")
        go_on.set()
        await app.loaded.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "LessonScreen"
        assert "step 2 of" in screen_text(app)


async def test_the_map_drawn_from_the_outline_goes_on_once_the_course_is_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    go_on = hold_the_reading(monkeypatch)
    app = returning_app(tmp_path, {"module": "basics"})
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.course is None
        first = screen_text(app)
        go_on.set()
        await app.loaded.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.course is not None
        assert "Quiz: not taken yet (pass mark 50%)" in first  # the module's own
        # The tree still holds the outline's modules: each shows its details as before.
        await pilot.press("end")
        await pilot.pause()
        shown = screen_text(app)
        assert "\nMore\n" in shown.split("──")[-1]  # the details, below the tree
        assert "Opens when you pass “The basics”." in shown


def test_a_returning_learners_map_brings_no_lesson_quiz_or_review_screens(
        tmp_path: Path) -> None:
    # They bring the Markdown parser and the question widgets: the map is drawn without them.
    shown, loaded = in_a_fresh_process(tmp_path, (
        "app.store.set_position('ana', 'test-course', {'module': 'basics'})\n"
        "async def main():\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await app.loaded.wait()\n"
        "        await pilot.pause()\n"
        "        print(type(app.screen).__name__)\n"
        "asyncio.run(main())\n"
        "print(sorted(m for m in ('tui.screens.lesson', 'tui.screens.quiz', 'markdown_it',"
        " 'tui.screens.review', 'tui.screens.dashboard') if m in sys.modules))\n"
    ))
    assert shown == "CourseMapScreen"
    assert loaded == "[]"


def test_an_edited_course_file_is_checked_again_not_read_from_the_snapshot(
        tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    snapshots = tmp_path / "snapshots"
    keep(folder, snapshots)
    assert read_snapshot(snapshot_path(snapshots, folder), folder) is not None
    module = folder / "modules" / "01-basics.yaml"
    module.write_text(module.read_text().replace("title: The basics", "title: Basics, renamed"))
    assert read_snapshot(snapshot_path(snapshots, folder), folder) is None
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert app.snapshot is None  # checked afresh, in the app


def test_a_change_to_the_checker_voids_the_snapshot(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    rules = tmp_path / "rules.py"
    rules.write_text("# the rules as they were\n")
    monkeypatch.setattr(snapshot, "_CHECKER", (*snapshot._CHECKER, rules))
    folder = copy_course(tmp_path)
    keep(folder, tmp_path / "snapshots")
    assert read_snapshot(snapshot_path(tmp_path / "snapshots", folder), folder) is not None
    rules.write_text("# a rule added: the course must be checked under it\n")
    assert read_snapshot(snapshot_path(tmp_path / "snapshots", folder), folder) is None


def test_a_damaged_snapshot_is_ignored(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    snapshots = tmp_path / "snapshots"
    keep(folder, snapshots)
    path = snapshot_path(snapshots, folder)
    path.write_bytes(path.read_bytes()[:100])
    assert read_snapshot(snapshot_path(snapshots, folder), folder) is None


def test_a_snapshot_cannot_make_anything_but_the_course_model(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    snapshots = tmp_path / "snapshots"
    keep(folder, snapshots)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str, str]]:
            return (open, (str(marker), "w"))  # unpickled freely, this would create the file

    path = snapshot_path(snapshots, folder)
    header = read_snapshot(snapshot_path(snapshots, folder), folder)
    assert header is not None
    course = header.course()
    assert course is not None
    # In the welcome's part, and in the course's part behind a sound welcome.
    path.write_bytes(pickle.dumps({"key": content_key(folder), "intro": Payload()}))
    assert read_snapshot(snapshot_path(snapshots, folder), folder) is None
    path.write_bytes(pickle.dumps({"key": content_key(folder), "intro": header.intro,
                                   "styled": header.styled, "outline": outline_of(course)})
                     + pickle.dumps({"manifest": Payload()}))
    held = read_snapshot(snapshot_path(snapshots, folder), folder)
    assert held is not None and held.course() is None
    assert not marker.exists()


def loaded_test_course() -> Course:
    course = load_course(VALID).course
    assert course is not None
    return course


def read_with_first_part(tmp_path: Path, **changed: object) -> bool:
    """Whether a snapshot of the test course is read when its first part is rewritten with
    `changed` in place of the sound values."""
    folder = copy_course(tmp_path)
    snapshots = tmp_path / "snapshots"
    keep(folder, snapshots)
    path = snapshot_path(snapshots, folder)
    sound = read_snapshot(path, folder)
    assert sound is not None
    course = sound.course()
    assert course is not None
    first = {"key": content_key(folder), "intro": sound.intro, "styled": sound.styled,
             "outline": outline_of(course)}
    path.write_bytes(pickle.dumps({**first, **changed}))
    return read_snapshot(path, folder) is not None


def test_a_welcome_of_the_wrong_shape_is_not_shown(tmp_path: Path) -> None:
    assert read_with_first_part(tmp_path / "sound")  # the sound one is read
    intro = intro_of(loaded_test_course().manifest)
    assert not read_with_first_part(tmp_path / "title", intro={**intro, "title": 7})


def test_an_outline_of_the_wrong_shape_voids_the_snapshot(tmp_path: Path) -> None:
    # The map is drawn from the outline: if it cannot be read, the course is checked afresh.
    outline = outline_of(loaded_test_course())
    assert read_with_first_part(tmp_path / "sound", outline=outline)
    assert not read_with_first_part(tmp_path / "empty", outline=(outline[0], ()))
    assert not read_with_first_part(tmp_path / "odd", outline=(
        outline[0], (*outline[1][:1], "module")))


def test_the_shipped_course_comes_with_a_current_snapshot() -> None:
    root = shipped_course_dir()
    shipped = read_snapshot(shipped_snapshot_path(root), root)
    assert shipped is not None, (
        "the shipped course's snapshot is missing or out of date: run"
        " `python -m course.material.snapshot` after changing the shipped course or the code"
        " that checks it")
    course = load_course(root).course
    assert course is not None and shipped.course() == course
    header = pickle.loads(shipped_snapshot_path(root).read_bytes())  # the first part
    assert header["outline"] == outline_of(course), "run `python -m course.material.snapshot`"


def test_a_first_start_with_the_shipped_course_reads_its_snapshot(tmp_path: Path) -> None:
    app = make_app(learner="ana", data_dir=tmp_path / "data")
    assert app.snapshot is not None  # nothing kept in the data folder yet
    assert not (tmp_path / "data" / "snapshots").exists()


def test_a_snapshot_beside_a_course_of_ones_own_is_not_trusted(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    keep(folder, tmp_path / "elsewhere")
    snapshot_path(tmp_path / "elsewhere", folder).rename(shipped_snapshot_path(folder))
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert app.snapshot is None  # only the shipped course's is read; this one is checked


def test_rewriting_the_shipped_snapshot_reports_course_problems_by_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "course"
    shutil.copytree(Path(__file__).parent / "data" / "courses" / "broken" / "many-mistakes",
                    broken)
    monkeypatch.setattr("course.paths.shipped_course_dir", lambda: broken)
    assert snapshot._write_shipped() == 1
    err = capsys.readouterr().err
    assert f"{broken / 'course.yaml'}:17:5: error:" in err  # the place, not an object's repr
    assert "mend them, then run `python -m course.material.snapshot` again" in err
    assert not shipped_snapshot_path(broken).exists()
