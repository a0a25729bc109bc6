"""When things go wrong: damaged files, unwritable folders, newer stores, full disks, locks."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from course.record.progress import (
    NewerStoreError,
    NotSavedError,
    ProgressStore,
    StoreBusyError,
    StoreError,
    StoreFullError,
    StoreUnavailableError,
    opening,
    schema,
)
from course.record.progress.opening import ForeignStoreError

COURSE = "iv-stem-cell-therapy"


def record(store: ProgressStore, question: str = "q1", learner: str = "alice") -> int:
    return store.record_answer(learner, COURSE, question, "check", '{"choice": 1}', 1.0, 1.0, 0,
                               module_id="mechanisms", lesson_id="what-are-mscs")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _can_write_in(folder: Path) -> bool:
    try:
        (folder / "probe").touch()
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[Path]:
    """Make `folder` refuse writes, even to root (who ignores modes): chattr +i where needed."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o500)
    immutable = False
    if _can_write_in(folder) and shutil.which("chattr"):
        immutable = subprocess.run(["chattr", "+i", str(folder)],
                                   capture_output=True).returncode == 0
    try:
        if _can_write_in(folder):
            pytest.skip("cannot make a folder unwritable here (root without chattr)")
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        os.chmod(folder, 0o700)


# -- damaged stores --------------------------------------------------------------------------


def test_a_file_that_is_not_sqlite_is_moved_aside_and_a_fresh_store_started(
        _own_data_dir: Path) -> None:
    store_file = _own_data_dir / "progress.sqlite3"
    store_file.write_text("these are my lecture notes, not a database\n" * 20)
    with ProgressStore.open() as store:
        [notice] = store.notices
        record(store)
        assert len(store.answers("alice", COURSE)) == 1
    [aside] = _own_data_dir.glob("progress.sqlite3.corrupt-*")
    assert aside.read_text().startswith("these are my lecture notes")
    assert aside.name in notice
    assert "fresh record" in notice


def test_a_store_with_damaged_pages_is_moved_aside_and_a_fresh_store_started(
        _own_data_dir: Path) -> None:
    with ProgressStore.open() as store:
        for n in range(400):
            record(store, f"q{n}")
    store_file = _own_data_dir / "progress.sqlite3"
    _damage_pages(store_file)
    with ProgressStore.open() as store:
        assert len(store.notices) == 1
        assert store.answers("alice", COURSE) == []
        record(store)
    assert len(list(_own_data_dir.glob("progress.sqlite3.corrupt-*"))) == 1
    raw = sqlite3.connect(store_file)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()


def _damage_pages(store_file: Path) -> None:
    data = bytearray(store_file.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    data[3 * page:6 * page] = b"\xde\xad\xbe\xef" * (3 * page // 4)
    store_file.write_bytes(bytes(data))


def test_damage_in_a_store_too_big_to_check_at_every_start_is_caught_when_met(
        _own_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with ProgressStore.open() as store:
        for n in range(400):
            record(store, f"q{n}")
    _damage_pages(_own_data_dir / "progress.sqlite3")
    monkeypatch.setattr(opening, "FULL_CHECK_MAX_BYTES", 0)
    with ProgressStore.open() as store:
        assert store.notices == []  # not checked page by page: too big
        with pytest.raises(StoreError, match="Restart ivstem"):
            store.answers("alice", COURSE)
    with ProgressStore.open() as store:  # the next start checks every page, and moves it aside
        assert len(store.notices) == 1
        record(store)
    assert len(list(_own_data_dir.glob("progress.sqlite3.corrupt-*"))) == 1
    assert not (_own_data_dir / "progress.sqlite3.damaged").exists()


def test_a_leftover_journal_beside_a_damaged_store_does_not_leak_into_the_fresh_one(
        _own_data_dir: Path) -> None:
    (_own_data_dir / "progress.sqlite3").write_bytes(b"\x00garbage" * 100)
    (_own_data_dir / "progress.sqlite3-journal").write_bytes(b"stale journal" * 100)
    with ProgressStore.open() as store:
        record(store)
        assert [a.question_id for a in store.answers("alice", COURSE)] == ["q1"]
    assert not (_own_data_dir / "progress.sqlite3-journal").exists()
    raw = sqlite3.connect(_own_data_dir / "progress.sqlite3")
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()


def test_an_empty_store_file_is_not_damage_and_starting_anew_in_it_is_said(
        _own_data_dir: Path) -> None:
    (_own_data_dir / "progress.sqlite3").touch()
    with ProgressStore.open() as store:
        assert len(store.notices) == 1
        assert "was empty (0 bytes)" in store.notices[0]
        assert "progress.sqlite3" in store.notices[0]
        record(store)
    assert list(_own_data_dir.glob("*.corrupt-*")) == []
    with ProgressStore.open() as store:  # the record started in it is kept, and not told again
        assert store.notices == []
        assert len(store.answers("alice", COURSE)) == 1


def test_another_programs_database_is_refused_and_left_alone(_own_data_dir: Path) -> None:
    store_file = _own_data_dir / "progress.sqlite3"
    other = sqlite3.connect(store_file)
    other.execute("PRAGMA application_id = 1234")
    other.execute("CREATE TABLE recipes (name)")
    other.commit()
    other.close()
    before = digest(store_file)
    with pytest.raises(ForeignStoreError, match="not an ivstem progress store"):
        ProgressStore.open()
    assert digest(store_file) == before


# -- a store from a newer ivstem -------------------------------------------------------------


def test_a_store_from_a_newer_ivstem_is_refused_with_a_clear_message_and_never_changed(
        _own_data_dir: Path) -> None:
    with ProgressStore.open() as store:
        record(store)
    store_file = _own_data_dir / "progress.sqlite3"
    raw = sqlite3.connect(store_file)
    raw.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    before = digest(store_file)
    with pytest.raises(NewerStoreError) as refused:
        ProgressStore.open()
    message = str(refused.value)
    assert "newer version of ivstem" in message
    assert "Update ivstem" in message
    assert digest(store_file) == before
    assert list(_own_data_dir.glob("*.corrupt-*")) == []


def test_a_newer_store_falls_back_to_memory_with_a_warning_for_the_interface(
        _own_data_dir: Path) -> None:
    ProgressStore.open().close()
    raw = sqlite3.connect(_own_data_dir / "progress.sqlite3")
    raw.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 5}")
    raw.commit()
    raw.close()
    store = ProgressStore.open_or_memory()
    assert not store.persistent
    assert any("NOT being saved" in notice for notice in store.notices)


# -- unwritable folders ----------------------------------------------------------------------


def test_a_data_dir_that_cannot_be_created_names_both_ways_to_choose_another(
        tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailableError) as refused:
        ProgressStore.open(blocker / "ivstem")
    message = str(refused.value)
    assert "--data-dir" in message
    assert "IVSTEM_DATA_DIR" in message
    assert str(blocker / "ivstem") in message


def test_a_read_only_data_dir_is_refused_with_a_message_naming_both_ways_out(
        tmp_path: Path) -> None:
    with unwritable(tmp_path / "locked") as folder, pytest.raises(StoreUnavailableError) as no:
        ProgressStore.open(folder)
    assert "--data-dir" in str(no.value)
    assert "IVSTEM_DATA_DIR" in str(no.value)


def test_an_unwritable_folder_still_lets_the_interface_run_in_memory_with_a_warning(
        tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    store = ProgressStore.open_or_memory(blocker / "ivstem")
    assert not store.persistent
    assert store.notices[-1] == "Your progress is NOT being saved in this session."
    assert "--data-dir" in store.notices[0]
    record(store)
    assert len(store.answers("alice", COURSE)) == 1


# -- full disk and locks ---------------------------------------------------------------------


def test_on_a_full_disk_the_answer_is_reported_not_saved_and_is_not_kept(
        _own_data_dir: Path) -> None:
    with ProgressStore.open() as store:
        record(store, "before")
        db = store._db  # a size limit on this connection stands in for a full disk
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")
        saved = 1
        with pytest.raises(StoreFullError, match="Not saved"):
            for n in range(10_000):
                record(store, f"q{n}")
                saved += 1
        assert len(store.answers("alice", COURSE)) == saved
        db.execute("PRAGMA max_page_count = 1073741823")
        record(store, "after")  # the store still works once there is room again
        assert len(store.answers("alice", COURSE)) == saved + 1


def test_a_store_locked_by_another_program_for_too_long_reports_not_saved(
        _own_data_dir: Path) -> None:
    ProgressStore.open().close()
    other = sqlite3.connect(_own_data_dir / "progress.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # readers may go on; writers must wait
    try:
        with ProgressStore.open(timeout=0.2) as store, pytest.raises(StoreBusyError):
            record(store)
    finally:
        other.execute("ROLLBACK")
        other.close()
    with ProgressStore.open() as store:
        assert store.answers("alice", COURSE) == []


def test_a_store_file_made_read_only_under_us_reports_not_saved(_own_data_dir: Path) -> None:
    with ProgressStore.open() as store:
        record(store)
        with unwritable(_own_data_dir), pytest.raises(NotSavedError):
            # The journal cannot be created in the folder, so the write cannot happen.
            record(store, "q2")
        assert [a.question_id for a in store.answers("alice", COURSE)] == ["q1"]
