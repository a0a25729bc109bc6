"""Time choosing the questions due for review among 10,000 cards.

Run on demand: `python tests/bench/bench_review.py [--tiny] [DATA_DIR]`. Not collected by pytest.
Target (issue 7): choosing the due questions among 10,000 cards, under 20 ms. Half the cards
are due. Measured twice: the store's index seek alone (`due_cards`), and the whole choice the
app makes (`course.record.review.due_items`: the seek, then keeping the course's questions, in
order),
against a course that has all 10,000 questions. The map's count over the shipped course, which
keeps only its own few dozen of the 10,000, is timed as well.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tiny import arguments, sized  # beside this file, as `python` runs it

from course.material.loader import load_course, shipped_course_dir
from course.record import review
from course.record.progress import ProgressStore, scheduling

CARDS = sized(10_000, 200)
ROUNDS = sized(200, 3)
TARGET_MS = 20.0
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _times(action: Callable[[], object], rounds: int = ROUNDS) -> list[float]:
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
    print(f"{label:<52} median {statistics.median(times):7.3f} ms   p95 {p95:7.3f} ms"
          f"   max {ordered[-1]:7.3f} ms{verdict}")


def _cards(course_id: str, question_ids: list[str]) -> list[dict[str, Any]]:
    """One card per question: the even ones due a day ago, the odd ones in a week."""
    first = scheduling.schedule(None, scheduling.Rating.Again, NOW - timedelta(days=3), "q")
    records = []
    for n, question in enumerate(question_ids):
        due = NOW - timedelta(days=1) if n % 2 == 0 else NOW + timedelta(days=7)
        stamp = due.isoformat(timespec="microseconds")
        records.append({"course": course_id, "question": question, "module": f"m{n % 6}",
                        "lesson": None, "card": first.card_json, "due": stamp,
                        "at": (NOW - timedelta(days=3)).isoformat(timespec="microseconds")})
    return records


class _Asked:
    """Stands in for `course.record.review.Asked`: due_items needs it to exist and have an id."""

    def __init__(self, question_id: str) -> None:
        self.question = type("Q", (), {"id": question_id})()


def main(data_dir: Path) -> None:
    shipped = load_course(shipped_course_dir()).course
    assert shipped is not None
    own = list(review.questions_of(shipped))
    question_ids = own + [f"question-{n:05d}" for n in range(CARDS - len(own))]
    with ProgressStore.open(data_dir, clock=lambda: NOW) as store:
        store.merge("bench", {"review_cards": _cards(shipped.id, question_ids)})
        known: dict[str, Any] = {qid: _Asked(qid) for qid in question_ids}
        due = store.due_cards("bench", shipped.id, NOW)
        print(f"{CARDS:,} cards, {len(due):,} due; {len(own)} of them are the shipped course's.")
        _report(f"store.due_cards (index seek, {CARDS:,} cards)",
                _times(lambda: store.due_cards("bench", shipped.id, NOW)), TARGET_MS)
        _report(f"review.due_items (choose, all {CARDS:,} questions known)",
                _times(lambda: review.due_items(shipped, store, "bench", NOW,
                                                known=known)),  # type: ignore[arg-type]
                TARGET_MS)
        _report("review.due_count (the map, shipped course)",
                _times(lambda: review.due_count(shipped, store, "bench", NOW), sized(50, 3)))


if __name__ == "__main__":
    if arguments():
        main(Path(arguments()[0]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            main(Path(folder))
