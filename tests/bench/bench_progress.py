"""Time the progress store: one durable answer, and the dashboard over 100,000 answers.

Run on demand: `python tests/bench/bench_progress.py [DATA_DIR]`. Not collected by pytest.
Targets (issue 4): a durable save of one answer, median under 5 ms; the dashboard summary over
100,000 recorded answers, under 20 ms. The store goes in a temporary folder unless DATA_DIR is
given; pass a folder on the disk you care about (a network home, say), since fsync dominates.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from course.record.progress import ProgressStore
from course.record.progress.transfer import (
    export_document,
    import_progress,
    parse_progress_file,
    render,
)

COURSE = "iv-stem-cell-therapy"
SAVES = 1_000
ANSWERS = 100_000
OTHER_LEARNERS = 3
MODULES = [f"module-{m}" for m in range(6)]
SUMMARY_ROUNDS = 200


def _times(action: Callable[[], object], rounds: int) -> list[float]:
    """Wall time of each call, in milliseconds."""
    result = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        result.append((time.perf_counter() - start) * 1000)
    return result


def _report(label: str, times: list[float], target: float | None = None) -> None:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    verdict = ""
    if target is not None:
        verdict = f"  (target: median < {target:g} ms: " + (
            "met)" if statistics.median(times) < target else "MISSED)")
    print(f"{label:<48} median {statistics.median(times):7.3f} ms   p95 {p95:7.3f} ms"
          f"   max {ordered[-1]:7.3f} ms{verdict}")


def _synthetic_records(count: int) -> dict[str, list[dict[str, Any]]]:
    """A learner's worth of answers, spread over modules, lessons and questions, one per minute."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    answers = []
    for n in range(count):
        module = MODULES[n % len(MODULES)]
        answers.append({
            "uid": str(uuid.uuid4()), "course": COURSE, "module": module,
            "lesson": f"lesson-{n % 5}", "question": f"{module}-q{n % 40}",
            "where": ("check", "quiz", "review")[n % 3], "answer": json.dumps({"choice": n % 4}),
            "score": (n % 5) / 4, "points": float(n % 3), "hints_used": n % 2,
            "at": (start + timedelta(minutes=n)).isoformat(timespec="microseconds"),
        })
    return {"answers": answers}


def main() -> None:
    """Run every measurement and print the figures."""
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="ivstem-"))
    print(f"store folder: {folder}   (sqlite journal_mode=DELETE, synchronous=FULL)")

    with ProgressStore.open(folder / "save") as store:
        counter = iter(range(10**9))

        def save() -> None:
            n = next(counter)
            store.record_answer("alice", COURSE, f"q{n % 40}", "check", '{"choice": 2}', 1.0,
                                1.0, 0, module_id="module-1", lesson_id="lesson-1")

        _times(save, 20)  # warm the page cache and the statement cache
        _report(f"durable save of one answer (x{SAVES})", _times(save, SAVES), 5)

    with ProgressStore.open(folder / "big") as store:
        start = time.perf_counter()
        for learner in range(OTHER_LEARNERS):
            store.merge(f"other-{learner}", _synthetic_records(ANSWERS // 5))
        store.merge("alice", _synthetic_records(ANSWERS))
        for module in MODULES:
            for lesson in range(5):
                store.complete_lesson("alice", COURSE, module, f"lesson-{lesson}")
            store.finish_quiz("alice", COURSE, module, 0.8, 8, True, "{}")
            store.add_time("alice", COURSE, module, 600)
        print(f"{'filled: answers for alice + others':<48} "
              f"{ANSWERS:,} + {OTHER_LEARNERS * ANSWERS // 5:,} rows in"
              f" {time.perf_counter() - start:.1f} s")

    with ProgressStore.open(folder / "typical") as store:
        store.merge("alice", _synthetic_records(2_000))
    _report("open a 2,000-answer store (every page checked)", _times(
        lambda: ProgressStore.open(folder / "typical").close(), 20))
    _report(f"open the {ANSWERS:,}-answer store (schema only)", _times(
        lambda: ProgressStore.open(folder / "big").close(), 20))
    with ProgressStore.open(folder / "big") as store:
        summary = store.summary("alice", COURSE)
        assert len(summary) == len(MODULES)
        _report(f"dashboard summary over {ANSWERS:,} answers", _times(
            lambda: store.summary("alice", COURSE), SUMMARY_ROUNDS), 20)
        _report("last 20 answers to one question", _times(
            lambda: store.answers("alice", COURSE, question_id="module-1-q7", limit=20,
                                  newest_first=True), 50))

        start = time.perf_counter()
        text = render(export_document(store, "alice"))
        exported = time.perf_counter() - start
        print(f"{'export of alice':<48} {len(text) / 1e6:.1f} MB in {exported:.2f} s")

    with ProgressStore.open(folder / "elsewhere") as other:
        start = time.perf_counter()
        report = import_progress(other, parse_progress_file(text.encode()))
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = import_progress(other, parse_progress_file(text.encode()))
        second = time.perf_counter() - start
        print(f"{'import on another machine':<48} {report.changed:,} records in {first:.2f} s;"
              f" again: {again.changed} changed in {second:.2f} s")


if __name__ == "__main__":
    main()
