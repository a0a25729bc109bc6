"""What sits where the progress file should be: another program's database, a folder, a pipe,
an empty file; and a data folder that can be read but not written.

Each is named for what it is, left exactly as it was, and the way out (`--data-dir`) is said.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course.record.progress import NotSavedError, ProgressStore, StoreError, schema
from course.record.progress.opening import ForeignStoreError, StoreUnavailableError
from tests.test_progress_faults import record, unwritable

ROOT = Path(__file__).parent.parent
COURSE = "iv-stem-cell-therapy"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ivstem(*args: str, data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=timeout, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"})


def another_programs_database(path: Path, *, user_version: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE recipes (name TEXT)")
    other.execute("INSERT INTO recipes VALUES ('bread')")
    other.execute(f"PRAGMA user_version = {user_version}")
    other.commit()
    other.close()


# -- another program's database ----------------------------------------------------------------


@pytest.mark.parametrize("user_version", [0, 7])
def test_another_programs_database_without_an_application_id_is_refused_byte_for_byte(
        _own_data_dir: Path, user_version: int) -> None:
    store_file = _own_data_dir / "progress.sqlite3"
    another_programs_database(store_file, user_version=user_version)
    before = store_file.read_bytes()
    with pytest.raises(ForeignStoreError) as refused:
        ProgressStore.open()
    message = str(refused.value)
    assert str(store_file) in message
    assert "another program" in message
    assert "--data-dir" in message
    assert "newer version of ivstem" not in message  # its user_version is not ours to read
    assert store_file.read_bytes() == before
    assert not store_file.with_name("progress.sqlite3-journal").exists()


def test_the_interface_does_not_write_into_another_programs_database_either(
        _own_data_dir: Path) -> None:
    store_file = _own_data_dir / "progress.sqlite3"
    another_programs_database(store_file)
    before = digest(store_file)
    store = ProgressStore.open_or_memory()
    assert not store.persistent
    assert "another program" in store.notices[0]
    record(store)  # the session goes on in memory, saying so
    store.close()
    assert digest(store_file) == before


def test_ivstem_progress_names_the_foreign_file_and_leaves_it_alone(tmp_path: Path) -> None:
    store_file = tmp_path / "data" / "progress.sqlite3"
    another_programs_database(store_file, user_version=7)
    before = digest(store_file)
    done = ivstem("progress", data_dir=tmp_path / "data")
    assert done.returncode == 1
    assert str(store_file) in done.stderr
    assert "database of another program" in done.stderr
    assert "--data-dir" in done.stderr
    assert "newer version" not in done.stderr
    assert digest(store_file) == before


def test_a_store_of_a_newer_ivstem_is_still_called_that(_own_data_dir: Path) -> None:
    ProgressStore.open().close()
    raw = sqlite3.connect(_own_data_dir / "progress.sqlite3")
    raw.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 4}")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="newer version of ivstem"):
        ProgressStore.open()


# -- not a file --------------------------------------------------------------------------------


def test_a_folder_where_the_store_file_should_be_is_called_a_folder(tmp_path: Path) -> None:
    (tmp_path / "data" / "progress.sqlite3").mkdir(parents=True)
    done = ivstem("progress", data_dir=tmp_path / "data")
    assert done.returncode == 1
    assert "progress.sqlite3 is a folder" in done.stderr
    assert "--data-dir" in done.stderr
    assert "unable to open database file" not in done.stderr


def test_a_named_pipe_where_the_store_file_should_be_is_refused_without_waiting_on_it(
        _own_data_dir: Path) -> None:
    pipe = _own_data_dir / "progress.sqlite3"
    os.mkfifo(pipe)
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError, match="is a named pipe"):
        ProgressStore.open()
    with pytest.raises(StoreUnavailableError, match="is a named pipe"):
        ProgressStore.open_for_reading()
    assert time.monotonic() - started < 5


# -- an empty file ------------------------------------------------------------------------------


def test_an_empty_store_file_is_started_anew_and_that_is_said_in_the_session(
        tmp_path: Path) -> None:
    store_file = tmp_path / "data" / "progress.sqlite3"
    store_file.parent.mkdir()
    store_file.touch()
    done = ivstem("--plain", data_dir=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert "was empty (0 bytes)" in done.stdout
    assert store_file.stat().st_size > 0


# -- a folder that can be read, not written ---------------------------------------------------


def test_progress_in_a_folder_that_cannot_be_written_is_read_as_it_is(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with ProgressStore.open(data) as store:
        record(store)
    store_file = data / "progress.sqlite3"
    before = digest(store_file)
    with unwritable(data):
        with ProgressStore.open_for_reading(data) as store:
            assert [a.question_id for a in store.answers("alice", COURSE)] == ["q1"]
            with pytest.raises(NotSavedError):
                record(store, "q2")
        shown = ivstem("progress", "--learner", "alice", "--format", "json", data_dir=data)
        listed = ivstem("learners", data_dir=data)
        exported = ivstem("progress", "export", "--learner", "alice", "-", data_dir=data)
        added = ivstem("learners", "add", "bob", data_dir=data)
    assert shown.returncode == 0, shown.stderr
    assert '"learner": "alice"' in shown.stdout
    assert listed.returncode == 0 and "alice" in listed.stdout
    assert exported.returncode == 0 and '"answers"' in exported.stdout
    assert added.returncode == 1 and "--data-dir" in added.stderr  # a write is still refused
    assert digest(store_file) == before


def test_a_store_of_an_older_ivstem_in_a_read_only_folder_is_read_through_a_copy(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    older = sqlite3.connect(data / "progress.sqlite3", isolation_level=None)
    older.execute("BEGIN IMMEDIATE")
    schema.migrate(older, 0, target=1)
    older.execute("INSERT INTO learner (name, created_at) VALUES ('alice', '2026-01-01')")
    older.execute("COMMIT")
    older.close()
    before = digest(data / "progress.sqlite3")
    with unwritable(data), ProgressStore.open_for_reading(data) as store:
        assert store.learners() == ["alice"]
        assert store.due_cards("alice", COURSE, store.now()) == []  # a version-2 table
    assert digest(data / "progress.sqlite3") == before


def test_studying_from_a_folder_that_cannot_be_written_shows_the_progress_kept_there(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    with ProgressStore.open(data) as store:
        record(store)
    with unwritable(data), ProgressStore.open_or_memory(data) as store:
        assert not store.persistent
        assert "NOT being saved" in store.notices[-1]
        assert "so far is shown" in store.notices[-1]
        assert len(store.answers("alice", COURSE)) == 1
        record(store, "q2")  # kept in memory for the session
        assert len(store.answers("alice", COURSE)) == 2
