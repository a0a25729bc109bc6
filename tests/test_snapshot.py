"""A checked course is kept beside the progress and read back next time, until it changes."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from course.material import snapshot
from course.material.loader import load_course
from course.material.model import Course
from course.material.snapshot import (
    content_key,
    intro_of,
    read_snapshot,
    shipped_snapshot_path,
    snapshot_path,
    write_snapshot,
)
from course.paths import shipped_course_dir
from tui.app import make_app

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


async def test_the_app_keeps_the_checked_course_and_the_next_start_reads_it_back(
        tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert app.course is None  # the first start checks the course, in the app
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert read_snapshot(snapshot_path(tmp_path / "data" / "snapshots", folder), folder)
    again = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert again.intro is not None and again.intro.title == "A test course"
    assert again.course is not None and again.course == app.course


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
    assert app.course is None
    app.store.set_position("ana", "test-course", {"module": "basics"})
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "CourseMapScreen"
    snapshot = read_snapshot(snapshot_path(snapshots, folder), folder)
    assert snapshot is not None and snapshot.course == app.course  # and kept whole again


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
    assert app.course is None  # checked afresh, in the app


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
    sound = read_snapshot(path, folder)
    assert sound is not None
    # In the welcome's text, and in the course behind a sound welcome.
    path.write_bytes(pickle.dumps({"key": content_key(folder), "intro": Payload()}))
    assert read_snapshot(path, folder) is None
    path.write_bytes(pickle.dumps({"key": content_key(folder), "intro": sound.intro,
                                   "styled": sound.styled, "manifest": Payload()}))
    assert read_snapshot(path, folder) is None
    assert not marker.exists()


def loaded_test_course() -> Course:
    course = load_course(VALID).course
    assert course is not None
    return course


def read_with(tmp_path: Path, **changed: object) -> bool:
    """Whether a snapshot of the test course is read when it is rewritten with `changed` in
    place of the sound values."""
    folder = copy_course(tmp_path)
    snapshots = tmp_path / "snapshots"
    keep(folder, snapshots)
    path = snapshot_path(snapshots, folder)
    sound = read_snapshot(path, folder)
    assert sound is not None
    course = sound.course
    held = {"key": content_key(folder), "intro": sound.intro, "styled": sound.styled,
            "manifest": course.manifest, "modules": course.modules,
            "glossary": course.glossary, "references": course.references}
    path.write_bytes(pickle.dumps({**held, **changed}))
    return read_snapshot(path, folder) is not None


def test_a_welcome_of_the_wrong_shape_is_not_shown(tmp_path: Path) -> None:
    assert read_with(tmp_path / "sound")  # the sound one is read
    intro = intro_of(loaded_test_course().manifest)
    assert not read_with(tmp_path / "title", intro={**intro, "title": 7})


def test_a_course_of_the_wrong_shape_voids_the_snapshot(tmp_path: Path) -> None:
    # If the course cannot be read back whole, it is checked afresh.
    modules = loaded_test_course().modules
    assert not read_with(tmp_path / "list", modules=list(modules))
    assert not read_with(tmp_path / "odd", modules=(*modules[:1], "module"))


def test_the_shipped_course_comes_with_a_current_snapshot() -> None:
    root = shipped_course_dir()
    shipped = read_snapshot(shipped_snapshot_path(root), root)
    assert shipped is not None, (
        "the shipped course's snapshot is missing or out of date: run"
        " `python -m course.material.snapshot` after changing the shipped course or the code"
        " that checks it")
    course = load_course(root).course
    assert course is not None and shipped.course == course, (
        "run `python -m course.material.snapshot`")


def test_a_first_start_with_the_shipped_course_reads_its_snapshot(tmp_path: Path) -> None:
    app = make_app(learner="ana", data_dir=tmp_path / "data")
    assert app.course is not None  # read back, with nothing kept in the data folder yet
    assert not (tmp_path / "data" / "snapshots").exists()


def test_a_snapshot_beside_a_course_of_ones_own_is_not_trusted(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    keep(folder, tmp_path / "elsewhere")
    snapshot_path(tmp_path / "elsewhere", folder).rename(shipped_snapshot_path(folder))
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert app.course is None  # only the shipped course's is read; this one is checked


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
