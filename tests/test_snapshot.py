"""A checked course is kept beside the progress and read back next time, until it changes."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import snapshot
from course.loader import load_course
from course.snapshot import Snapshot, content_key, read_snapshot, snapshot_path, write_snapshot
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
    assert write_snapshot(snapshots, key, Snapshot(course, (("Summary", ""),), ()))


async def test_the_app_keeps_the_checked_course_and_the_next_start_reads_it_back(
        tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert app.course is None  # the first start checks the course
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        await app.workers.wait_for_complete()
        await pilot.pause()
    again = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert again.course is not None
    assert again.course.title == "A test course"
    assert again.course == app.course


def test_a_course_read_back_loads_neither_pydantic_nor_yaml(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    keep(folder, tmp_path / "data" / "snapshots")
    program = (
        "import sys\n"
        "from tui.app import make_app\n"
        f"app = make_app({str(folder)!r}, learner='ana', data_dir={str(tmp_path / 'data')!r})\n"
        "assert app.course is not None\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'markdown_it') if m in sys.modules))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                            check=True).stdout
    assert loaded.strip() == "[]"


def test_an_edited_course_file_is_checked_again_not_read_from_the_snapshot(
        tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    snapshots = tmp_path / "snapshots"
    keep(folder, snapshots)
    assert read_snapshot(snapshots, folder) is not None
    module = folder / "modules" / "01-basics.yaml"
    module.write_text(module.read_text().replace("title: The basics", "title: Basics, renamed"))
    assert read_snapshot(snapshots, folder) is None
    app = make_app(folder, learner="ana", data_dir=tmp_path / "data")
    assert app.course is None  # checked afresh, in the app


def test_a_change_to_the_checker_voids_the_snapshot(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    rules = tmp_path / "rules.py"
    rules.write_text("# the rules as they were\n")
    monkeypatch.setattr(snapshot, "_CHECKER", (*snapshot._CHECKER, rules))
    folder = copy_course(tmp_path)
    keep(folder, tmp_path / "snapshots")
    assert read_snapshot(tmp_path / "snapshots", folder) is not None
    rules.write_text("# a rule added: the course must be checked under it\n")
    assert read_snapshot(tmp_path / "snapshots", folder) is None


def test_a_damaged_snapshot_is_ignored(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    snapshots = tmp_path / "snapshots"
    keep(folder, snapshots)
    path = snapshot_path(snapshots, folder)
    path.write_bytes(path.read_bytes()[:100])
    assert read_snapshot(snapshots, folder) is None


def test_a_snapshot_cannot_make_anything_but_the_course_model(tmp_path: Path) -> None:
    folder = copy_course(tmp_path)
    snapshots = tmp_path / "snapshots"
    keep(folder, snapshots)
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str, str]]:
            return (open, (str(marker), "w"))  # unpickled freely, this would create the file

    path = snapshot_path(snapshots, folder)
    path.write_bytes(pickle.dumps({"key": content_key(folder), "manifest": Payload()}))
    assert read_snapshot(snapshots, folder) is None
    assert not marker.exists()
