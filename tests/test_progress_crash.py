"""Durability under fire: processes killed mid-write, and two processes writing at once.

Each child is a real `python` process using the real store on a real file, because what is being
tested (fsync, the rollback journal, file locks between processes) cannot be faked in-process.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from course.record.progress import ProgressStore

# Records answers until killed, printing each question id only after record_answer returned,
# i.e. after the answer was committed. Every fifth answer it also saves a large quiz state, so
# some transactions span many pages and a kill can land in the middle of writing them.
RECORDER = """
import json, sys
from course.record.progress import ProgressStore
data_dir, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = ProgressStore.open(data_dir)
print("ready", flush=True)
if count >= 0:
    sys.stdin.readline()  # wait for "go", so that two recorders really overlap
n = 0
while count < 0 or n < count:
    question = f"{tag}-{n}"
    store.record_answer("shared", "crash-course", question, "quiz", json.dumps({"n": n}),
                        1.0, 1.0, 0, module_id="m", lesson_id="l")
    sys.stdout.write(question + "\\n")
    sys.stdout.flush()
    if n % 5 == 4:
        store.save_quiz_state("shared", "crash-course", "m", json.dumps({"pad": "x" * 40000}))
    n += 1
"""

KILLS = 55


def recorder(data_dir: Path, tag: str, count: int = -1) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", RECORDER, str(data_dir), tag, str(count)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_ready(child: subprocess.Popen[str]) -> None:
    """Wait for the recorder to have opened the store; fail with its error output if it died."""
    assert child.stdout is not None
    if child.stdout.readline() != "ready\n":
        child.kill()
        _, err = child.communicate()
        raise AssertionError(f"the recorder did not start:\n{err}")


def stored_questions(store_file: Path) -> list[str]:
    raw = sqlite3.connect(store_file)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return [row[0] for row in raw.execute("SELECT question_id FROM answer")]
    finally:
        raw.close()


def test_answers_reported_committed_survive_sigkill_at_random_moments(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    store_file = data_dir / "progress.sqlite3"
    rng = random.Random(20261101)
    reported: set[str] = set()
    killed_mid_transaction = 0
    for run in range(KILLS):
        child = recorder(data_dir, f"run{run}")
        assert child.stdout is not None
        if run % 5 == 0:
            # From the start: the kill may land while the store is being created or opened.
            time.sleep(rng.uniform(0.0, 0.25))
        else:
            wait_ready(child)
            time.sleep(rng.uniform(0.0, 0.15))
        child.kill()
        out, err = child.communicate()
        assert child.returncode == -9, f"the recorder failed on its own:\n{err}"
        if (data_dir / "progress.sqlite3-journal").exists():
            killed_mid_transaction += 1
        # A line without its newline was cut by the kill: not reported, so not promised.
        reported.update(line[:-1] for line in out.splitlines(keepends=True)
                        if line.endswith("\n") and line != "ready\n")

    stored = stored_questions(store_file)
    assert reported <= set(stored), f"lost: {sorted(reported - set(stored))[:10]}"
    assert len(stored) == len(set(stored)), "an answer was recorded twice"
    assert len(reported) > 100, "the recorders barely ran: the test proved little"
    assert killed_mid_transaction > 0, "no kill landed inside a transaction"
    with ProgressStore.open(data_dir) as store:
        assert store.notices == [], "a store that survived crashes must not be taken for damage"
        assert len(store.answers("shared", "crash-course")) == len(stored)


def test_two_processes_recording_500_answers_each_for_one_learner_keep_exactly_1000(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"  # both processes race to create the store, too
    children = [recorder(data_dir, tag, 500) for tag in ("left", "right")]
    for child in children:
        wait_ready(child)
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err

    stored = stored_questions(data_dir / "progress.sqlite3")
    assert len(stored) == 1000
    assert set(stored) == {f"{tag}-{n}" for tag in ("left", "right") for n in range(500)}
    with ProgressStore.open(data_dir) as store:
        assert store.learners() == ["shared"]
