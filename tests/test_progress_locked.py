"""A progress file locked by another process: waited for visibly, never traded for memory.

The lock is held by a real second process (`BEGIN EXCLUSIVE` in a child), because file locks
between processes are what is being tested.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from course.record.progress import ProgressStore, StoreBusyError, opening
from tui.plain.run import Start, run_plain

COURSE = "iv-stem-cell-therapy"

HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def hold(store_file: Path, seconds: float) -> subprocess.Popen[str]:
    """Start another process that holds `store_file` locked for `seconds`, once it says so."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(store_file), str(seconds)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    if child.stdout.readline() != "locked\n":
        child.kill()
        raise AssertionError(child.communicate()[1])
    return child


def release(child: subprocess.Popen[str]) -> None:
    child.kill()
    child.wait()
    for stream in (child.stdout, child.stderr):
        if stream is not None:
            stream.close()


@contextmanager
def locked(store_file: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holds `store_file` locked for `seconds` from when this returns."""
    child = hold(store_file, seconds)
    try:
        yield child
    finally:
        release(child)


def record(store: ProgressStore, question: str) -> int:
    return store.record_answer("alice", COURSE, question, "check", '{"choice": 1}', 1.0, 1.0, 0,
                               module_id="orientation", lesson_id="welcome")


def test_a_write_waits_for_a_lock_saying_so_and_is_saved_once_it_is_released(
        _own_data_dir: Path) -> None:
    told: list[str] = []
    with ProgressStore.open() as store:
        store.on_wait = told.append
        record(store, "before")
        with locked(_own_data_dir / "progress.sqlite3", 3.0):
            started = time.monotonic()
            record(store, "during")
            waited = time.monotonic() - started
        assert 1.5 < waited < store.timeout
        assert len(told) == 1
        assert "Waiting for another ivstem window" in told[0]
        assert "progress.sqlite3" in told[0]
        assert [a.question_id for a in store.answers("alice", COURSE)] == ["before", "during"]


def test_a_lock_held_past_the_timeout_says_what_was_not_saved_and_does_not_stall_each_step(
        _own_data_dir: Path) -> None:
    told: list[str] = []
    with ProgressStore.open(timeout=2.5) as store:
        store.on_wait = told.append
        record(store, "before")
        with locked(_own_data_dir / "progress.sqlite3", 30.0) as holder:
            with pytest.raises(StoreBusyError) as refused:
                record(store, "lost")
            assert "Not saved" in str(refused.value)
            assert "locked for 2.5 seconds" in str(refused.value)
            # While the lock lasts, the next step fails after a moment, not the whole timeout
            # again (an answer used to take 10 s, then the time studied 10 s more).
            started = time.monotonic()
            with pytest.raises(StoreBusyError):
                store.add_time("alice", COURSE, "orientation", 5.0)
            assert time.monotonic() - started < 2.0
            release(holder)
        record(store, "after")  # the lock gone, writing goes on at once
        assert [a.question_id for a in store.answers("alice", COURSE)] == ["before", "after"]
    assert told  # the wait was told before it gave up


def test_reading_waits_for_a_lock_too_and_says_so(_own_data_dir: Path) -> None:
    told: list[str] = []
    with ProgressStore.open() as store:
        record(store, "q1")
        store.on_wait = told.append
        with locked(_own_data_dir / "progress.sqlite3", 2.5):
            assert len(store.answers("alice", COURSE)) == 1
        assert len(told) == 1


def test_opening_a_store_held_locked_waits_visibly_then_opens_the_real_one(
        _own_data_dir: Path) -> None:
    with ProgressStore.open() as store:
        record(store, "kept")
    told: list[str] = []
    with locked(_own_data_dir / "progress.sqlite3", 3.0), \
            ProgressStore.open_or_memory(on_wait=told.append) as store:
        assert store.persistent
        assert [a.question_id for a in store.answers("alice", COURSE)] == ["kept"]
    assert len(told) == 1


def test_opening_a_store_locked_for_too_long_is_refused_never_swapped_for_memory(
        _own_data_dir: Path) -> None:
    ProgressStore.open().close()
    with locked(_own_data_dir / "progress.sqlite3", 30.0), \
            pytest.raises(StoreBusyError) as refused:
        ProgressStore.open_or_memory(wait=2.0)
    assert "stayed locked" in str(refused.value)
    assert "did not start" in str(refused.value)


# -- the plain mode -------------------------------------------------------------------------


def plain(stdin: str) -> tuple[int, str, str]:
    out = io.StringIO()
    status = run_plain(Start(learner="alice"), stdin=io.StringIO(stdin), stdout=out)
    return status, out.getvalue(), ""


def test_plain_mode_started_while_another_process_holds_the_store_waits_and_shows_progress(
        _own_data_dir: Path) -> None:
    with ProgressStore.open() as store:
        store.mark_module_passed("alice", COURSE, "orientation")
    with locked(_own_data_dir / "progress.sqlite3", 3.0):
        status, out, _ = plain("q\n")
    assert status == 0
    assert "Waiting for another ivstem window" in out
    assert "NOT being saved" not in out
    assert "1. Start here: how to weigh a health claim: passed" in out
    assert "Your progress is saved" in out


def test_plain_mode_refuses_to_start_on_a_store_locked_too_long_rather_than_show_nothing(
        _own_data_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from tui.plain import run as plain_run

    monkeypatch.setattr(plain_run, "START_WAIT", 2.0)
    ProgressStore.open().close()
    with locked(_own_data_dir / "progress.sqlite3", 30.0):
        status, out, _ = plain("q\n")
    assert status == 1
    assert "Waiting for another ivstem window" in out
    assert "stayed locked" in capsys.readouterr().err
    assert "Course map" not in out


class Scripted(io.StringIO):
    """Piped answers, with something done just before a given line is read."""

    def __init__(self, lines: list[str], before: dict[int, Callable[[], None]]) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))
        self.before = before
        self.read_lines = 0

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        action = self.before.get(self.read_lines)
        if action is not None:
            action()
        self.read_lines += 1
        return super().readline()


def test_a_lock_mid_session_in_plain_mode_is_waited_for_and_the_end_says_what_was_lost(
        _own_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opening, "DEFAULT_TIMEOUT", 2.0)
    ProgressStore.open().close()
    store_file = _own_data_dir / "progress.sqlite3"
    holders: list[subprocess.Popen[str]] = []
    # Enter: continue at step 1; Enter: step 2, while another process holds the file;
    # Enter: step 3, once it has let go; q.
    stdin = Scripted(["", "", "", "q"], {1: lambda: holders.append(hold(store_file, 60.0)),
                                         2: lambda: release(holders[0])})
    out = io.StringIO()
    try:
        status = run_plain(Start(learner="alice"), stdin=stdin, stdout=out)
    finally:
        for holder in holders:
            release(holder)
    text = out.getvalue()
    assert status == 0
    assert "Waiting for another ivstem window" in text
    assert "Not saved: another ivstem window (or another program) kept" in text
    assert "Saving works again" in text
    assert "Your progress was NOT saved in this session." not in text
    assert "Your progress is saved, except" in text
    with ProgressStore.open() as store:  # what came after the lock was kept
        assert 2 in store.steps_reached("alice", COURSE, "orientation", "welcome")


# -- the app --------------------------------------------------------------------------------


async def test_the_app_says_it_is_waiting_and_its_warning_lasts_only_while_saving_fails(
        tmp_path: Path) -> None:
    from tui.app import make_app

    valid = Path(__file__).parent / "data" / "courses" / "valid"
    store = ProgressStore.open(tmp_path, timeout=2.0)
    app = make_app(valid, learner="ana", store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        holder = hold(tmp_path / "progress.sqlite3", 60.0)
        try:
            saved, _ = await app.save(store.add_time, "ana", "test-course", "basics", 5.0)
            assert not saved
            assert "progress NOT saved" in app.sub_title
        finally:
            release(holder)
        saved, _ = await app.save(store.add_time, "ana", "test-course", "basics", 5.0)
        await pilot.pause()
        assert saved
        assert "NOT saved" not in app.sub_title
        said = [str(n.message) for n in app._notifications]
        assert any("Waiting for another ivstem window" in text for text in said)
        assert any("Saving works again" in text for text in said)
        assert app.tally.lost == 1
