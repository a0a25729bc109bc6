"""Time the progress store as a learner meets it: saving an answer, and the dashboard as the
record grows from 1,000 to 1,000,000 answers.

Run on demand: `python tests/bench/bench_progress.py [--tiny] [--sizes 1000,10000] [DATA_DIR]`.
Not collected by pytest; `tests/test_benches.py` runs it once with `--tiny` (or with
IVSTEM_BENCH_TINY=1 in the environment) so that it cannot rot.

What is timed is what the learner waits for: `course.record.dashboard.build`, the function behind
the dashboard screen and `ivstem progress`, over the shipped course, for a learner whose answers
came one a minute up to the moment of reading (every day studied, so the streak is as long as
the record), in a store that also holds three other learners.

Targets (issues 4 and 20): a durable save of one answer, median under 5 ms; the dashboard under
20 ms, and flat: as fast at 1,000,000 answers as at 1,000. The growth column is each size's
median over the smallest size's; a linear cost shows as 10x per row. The store goes in a
temporary folder unless DATA_DIR is given; pass a folder on the disk you care about (a network
home, say), since fsync dominates the save.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tiny import ENV, tiny  # beside this file, as `python` runs it

from course.material.loader import load_course, shipped_course_dir
from course.material.model import Course
from course.record import dashboard, review
from course.record.progress import ProgressStore, scheduling
from course.record.progress.transfer import (
    export_document,
    import_progress,
    parse_progress_file,
    render,
)

SIZES = (1_000, 10_000, 100_000, 1_000_000)
TINY_SIZES = (100, 1_000)
OTHER_LEARNERS = 3  # each with a fifth as many answers as the learner measured
SAVES, TINY_SAVES = 1_000, 20
# The export and import are timed at this size (or the largest below). An import reads at most
# MAX_FILE_BYTES (16 MB), some 47,000 answers of the shipped course at about 340 bytes each.
EXPORT_ANSWERS = 10_000
#: How long each size's dashboard is timed for, at least 3 and at most 200 rounds.
BUDGET_SECONDS, TINY_BUDGET_SECONDS = 2.0, 0.2
TARGET_MS = 20.0
#: The moment the dashboard is read: just after the last answer.
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _times(action: Callable[[], object], rounds: int) -> list[float]:
    """Wall time of each call, in milliseconds."""
    result = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        result.append((time.perf_counter() - start) * 1000)
    return result


def _timed_for(action: Callable[[], object], budget: float) -> list[float]:
    """Wall times of as many calls as fit in `budget` seconds (3 to 200 of them)."""
    times: list[float] = []
    spent = 0.0
    while len(times) < 3 or (spent < budget and len(times) < 200):
        times.extend(_times(action, 1))
        spent += times[-1] / 1000
    return times


def _p95(times: Sequence[float]) -> float:
    ordered = sorted(times)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def _report(label: str, times: list[float], target: float | None = None) -> None:
    verdict = ""
    if target is not None:
        verdict = f"  (target: median < {target:g} ms: " + (
            "met)" if statistics.median(times) < target else "MISSED)")
    print(f"{label:<48} median {statistics.median(times):7.3f} ms   p95 {_p95(times):7.3f} ms"
          f"   max {max(times):7.3f} ms{verdict}")


# -- a learner's record ---------------------------------------------------------------------------


def synthetic_records(course: Course, count: int, end: datetime = NOW) -> dict[str, list[Any]]:
    """`count` answers to the course's questions, one a minute up to `end`, with the lessons,
    quiz attempts, passes, a study session a day and a review card per question.

    Scores vary by question, so some topics are weaker than others.
    """
    asked = list(review.questions_of(course).values())
    course_id = course.id
    start = end - timedelta(minutes=count)
    # Unique ids in order, not random ones: the store's unique index then grows at one end,
    # which makes a million answers quicker to fill, and the dashboard never reads them.
    run = uuid.uuid4().hex[:12]
    choices = [json.dumps({"choice": choice}) for choice in range(4)]
    answers = []
    for n in range(count):
        item = asked[n % len(asked)]
        lesson = item.lesson.id if item.lesson is not None else None
        where = "check" if lesson else ("quiz", "review")[n % 2]
        score = ((n // len(asked) + (n % len(asked)) * 3) % 5) / 4
        answers.append({
            "uid": f"{run}-{n:010d}", "course": course_id, "module": item.module.id,
            "lesson": lesson, "question": item.question.id, "where": where,
            "answer": choices[n % 4], "score": score, "points": score, "hints_used": n % 2,
            "at": (start + timedelta(minutes=n)).isoformat(timespec="microseconds"),
        })
    first = start.isoformat(timespec="microseconds")
    days = max(count // (24 * 60), 1)
    records: dict[str, list[Any]] = {
        "answers": answers,
        "steps": [{"course": course_id, "module": m.id, "lesson": lesson.id, "step": 0,
                   "at": first} for m in course.modules for lesson in m.lessons],
        "lessons": [{"course": course_id, "module": m.id, "lesson": lesson.id, "at": first}
                    for m in course.modules for lesson in m.lessons],
        "quiz_attempts": [{"uid": str(uuid.uuid4()), "course": course_id, "module": m.id,
                           "score": 0.8, "points": 8.0, "passed": True, "state": "{}",
                           "at": first} for m in course.modules],
        "modules_passed": [{"course": course_id, "module": m.id, "at": first}
                           for m in course.modules],
        "time": [{"uid": str(uuid.uuid4()), "course": course_id,
                  "module": course.modules[day % len(course.modules)].id, "seconds": 1800.0,
                  "at": (start + timedelta(days=day)).isoformat(timespec="microseconds")}
                 for day in range(days)],
        "review_cards": [],
    }
    for number, item in enumerate(asked):
        moment = end - timedelta(days=number % 9)
        update = scheduling.schedule(None, scheduling.rating_for((number % 3) / 2, False),
                                     moment, item.question.id)
        records["review_cards"].append({
            "course": course_id, "question": item.question.id, "module": item.module.id,
            "lesson": item.lesson.id if item.lesson is not None else None,
            "card": update.card_json, "due": update.due_at.isoformat(timespec="microseconds"),
            "at": moment.isoformat(timespec="microseconds"),
        })
    return records


def fill(folder: Path, course: Course, count: int) -> float:
    """Make a store in `folder` with `count` answers for alice and a fifth as many for each
    other learner, by the import path; return the seconds it took."""
    start = time.perf_counter()
    with ProgressStore.open(folder) as store:
        for learner in range(OTHER_LEARNERS):
            store.merge(f"other-{learner}", synthetic_records(course, max(count // 5, 1)))
        store.merge("alice", synthetic_records(course, count))
    return time.perf_counter() - start


# -- the measurements -----------------------------------------------------------------------------


def bench_save(folder: Path, course: Course, saves: int) -> None:
    """A durable save of one answer, as the learner waits for the feedback."""
    with ProgressStore.open(folder / "save") as store:
        counter = iter(range(10**9))

        def save() -> None:
            n = next(counter)
            store.record_answer("alice", course.id, f"q{n % 40}", "check", '{"choice": 2}', 1.0,
                                1.0, 0, module_id="module-1", lesson_id="lesson-1")

        _times(save, min(20, saves))  # warm the page cache and the statement cache
        _report(f"durable save of one answer (x{saves})", _times(save, saves), 5)


def bench_dashboard(folder: Path, course: Course, sizes: Sequence[int], budget: float) -> None:
    """The dashboard at each size, and its growth from the smallest."""
    print(f"\n{'answers':>10} {'filled in':>10} {'dashboard median':>17} {'p95':>10}"
          f" {'growth':>8}   (target: median < {TARGET_MS:g} ms, growth ~1x)")
    first: float | None = None
    for size in sizes:
        where = folder / f"answers-{size}"
        filled = fill(where, course, size)
        with ProgressStore.open(where) as store:
            figures = dashboard.build(course, store, "alice", NOW)
            times = _timed_for(lambda: dashboard.build(course, store, "alice", NOW), budget)
        median = statistics.median(times)
        first = first or median
        verdict = "met" if median < TARGET_MS else "MISSED"
        print(f"{size:>10,} {filled:>9.1f}s {median:>14.3f} ms {_p95(times):>7.3f} ms"
              f" {median / first:>7.2f}x   {verdict}; a {figures.streak}-day streak,"
              f" {sum(figures.days):,} answers in 4 weeks, {figures.due} due")


def bench_transfer(folder: Path, course: Course, size: int) -> None:
    """Opening stores, and a learner's record exported and imported on another machine."""
    where = folder / f"answers-{size}"
    if not where.exists():
        fill(where, course, size)
    with ProgressStore.open(folder / "typical") as store:
        store.merge("alice", synthetic_records(course, 2_000))
    print()
    _report("open a 2,000-answer store (every page checked)", _times(
        lambda: ProgressStore.open(folder / "typical").close(), 20))
    _report(f"open the {size:,}-answer store (schema only)", _times(
        lambda: ProgressStore.open(where).close(), 20))
    with ProgressStore.open(where) as store:
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


def main(argv: Sequence[str] | None = None) -> None:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", nargs="?", type=Path,
                        help="where to make the stores (default: a temporary folder)")
    parser.add_argument("--tiny", action="store_true",
                        help=f"a run of a few seconds, to check that the bench works"
                             f" (also: {ENV}=1)")
    parser.add_argument("--sizes", help="answer counts to time, comma-separated"
                        f" (default: {','.join(map(str, SIZES))})")
    args = parser.parse_args(argv)
    small = args.tiny or tiny()
    sizes = (tuple(int(n) for n in args.sizes.split(",")) if args.sizes
             else TINY_SIZES if small else SIZES)
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="ivstem-"))
    print(f"store folder: {folder}   (sqlite journal_mode=DELETE, synchronous=FULL)")
    course = load_course(shipped_course_dir()).course
    assert course is not None, "the shipped course has problems: run `ivstem validate`"
    bench_save(folder, course, TINY_SAVES if small else SAVES)
    bench_dashboard(folder, course, sizes, TINY_BUDGET_SECONDS if small else BUDGET_SECONDS)
    bench_transfer(folder, course, max([n for n in sizes if n <= EXPORT_ANSWERS] or [min(sizes)]))


if __name__ == "__main__":
    main()
