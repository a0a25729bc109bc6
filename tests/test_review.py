"""Spaced review: cards scheduled from answers, due selection, migration, export and import."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.model import Course
from course.record import review
from course.record.progress import ProgressStore, scheduling, schema
from course.record.progress.transfer import (
    checksum,
    export_document,
    import_progress,
    parse_progress_file,
    render,
)
from quizzes.grading import Result, Verdict

VALID = Path(__file__).parent / "data" / "courses" / "valid"
COURSE = "test-course"
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


class Clock:
    """A clock the test sets by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Study days depend on local time: run these tests in UTC, wherever the machine is."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> Clock:
    return Clock(NOON)


@pytest.fixture
def store(clock: Clock) -> Iterator[ProgressStore]:
    with ProgressStore.in_memory(clock=clock) as opened:
        yield opened


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = load_course(VALID).course
    assert loaded is not None
    return loaded


def quiz_answer(store: ProgressStore, question: str, score: float, *, hints: int = 0,
                learner: str = "ana") -> None:
    store.record_answer(learner, COURSE, question, "quiz", "{}", score, score, hints, "basics")


def due_ids(store: ProgressStore, when: datetime) -> list[str]:
    return [card.question_id for card in store.due_cards("ana", COURSE, when)]


# -- rating ------------------------------------------------------------------------------------


def test_wrong_is_again_partly_or_hinted_is_hard_right_is_good() -> None:
    assert scheduling.rating_for(0.0, False) is scheduling.Rating.Again
    assert scheduling.rating_for(0.0, True) is scheduling.Rating.Again
    assert scheduling.rating_for(0.5, False) is scheduling.Rating.Hard
    assert scheduling.rating_for(1.0, True) is scheduling.Rating.Hard
    assert scheduling.rating_for(1.0, False) is scheduling.Rating.Good


def test_a_graded_result_is_rated_by_its_share_of_the_points() -> None:
    partly = Result(score=1.0, points=2.0, verdict=Verdict.PARTLY)
    right = Result(score=2.0, points=2.0, verdict=Verdict.RIGHT)
    assert scheduling.rating_for_result(partly) is scheduling.Rating.Hard
    assert scheduling.rating_for_result(right) is scheduling.Rating.Good


# -- scheduling from answers -------------------------------------------------------------------


def test_a_quiz_question_missed_today_is_due_tomorrow_not_today(
        store: ProgressStore, clock: Clock) -> None:
    quiz_answer(store, "basics-short", 0.0)
    assert due_ids(store, NOON + timedelta(hours=3)) == []
    assert due_ids(store, NOON + timedelta(days=1)) == ["basics-short"]
    card = store.review_card("ana", COURSE, "basics-short")
    assert card is not None
    # from the start of tomorrow's study day, 04:00
    assert card.due_at == datetime(2026, 3, 11, 4, 0, tzinfo=UTC)


def test_a_miss_late_at_night_is_due_the_next_morning_not_minutes_later(
        store: ProgressStore, clock: Clock) -> None:
    clock.now = datetime(2026, 3, 10, 23, 50, tzinfo=UTC)
    quiz_answer(store, "basics-short", 0.0)
    assert due_ids(store, datetime(2026, 3, 11, 0, 10, tzinfo=UTC)) == []
    assert due_ids(store, datetime(2026, 3, 11, 4, 0, tzinfo=UTC)) == ["basics-short"]


def test_a_right_answer_puts_the_question_further_off_than_a_wrong_one(
        store: ProgressStore) -> None:
    quiz_answer(store, "basics-short", 0.0)
    quiz_answer(store, "basics-numeric", 1.0)
    missed = store.review_card("ana", COURSE, "basics-short")
    known = store.review_card("ana", COURSE, "basics-numeric")
    assert missed is not None and known is not None
    assert known.due_at > missed.due_at
    assert due_ids(store, NOON + timedelta(days=1)) == ["basics-short"]


def test_each_right_answer_moves_the_question_further(
        store: ProgressStore, clock: Clock) -> None:
    intervals = []
    for _ in range(4):
        quiz_answer(store, "basics-short", 1.0)
        card = store.review_card("ana", COURSE, "basics-short")
        assert card is not None
        intervals.append(card.due_at - clock.now)
        clock.now = card.due_at  # answered right again the moment it is due
    assert intervals == sorted(intervals) and len(set(intervals)) == 4


def test_a_hint_or_a_partly_right_answer_comes_back_sooner_than_a_clean_one(
        store: ProgressStore) -> None:
    quiz_answer(store, "basics-short", 1.0)
    quiz_answer(store, "basics-numeric", 1.0, hints=1)
    quiz_answer(store, "basics-multiple", 0.5)
    clean = store.review_card("ana", COURSE, "basics-short")
    hinted = store.review_card("ana", COURSE, "basics-numeric")
    partly = store.review_card("ana", COURSE, "basics-multiple")
    assert clean and hinted and partly
    assert hinted.due_at < clean.due_at and partly.due_at < clean.due_at


def test_only_the_first_try_of_a_practice_check_schedules_it(store: ProgressStore) -> None:
    store.record_answer("ana", COURSE, "basics-check-single", "check", "{}", 0.0, 0.0, 0,
                        "basics", "first-lesson")
    first = store.review_card("ana", COURSE, "basics-check-single")
    store.record_answer("ana", COURSE, "basics-check-single", "check", "{}", 1.0, 1.0, 0,
                        "basics", "first-lesson", False)
    assert store.review_card("ana", COURSE, "basics-check-single") == first
    assert len(store.answers("ana", COURSE)) == 2


def test_an_answer_and_its_card_are_saved_together_or_not_at_all(
        store: ProgressStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> scheduling.CardUpdate:
        raise RuntimeError("the power went off while the card was written")

    monkeypatch.setattr(scheduling, "schedule", crash)
    with pytest.raises(RuntimeError):
        quiz_answer(store, "basics-short", 0.0)
    assert store.answers("ana", COURSE) == []
    assert store.review_card("ana", COURSE, "basics-short") is None


def test_a_damaged_card_starts_again_rather_than_failing_the_answer() -> None:
    update = scheduling.schedule('{"not": "a card"}', scheduling.Rating.Again, NOON, "q")
    assert update.interval_days == 1
    assert scheduling.read_card(update.card_json).stability is not None


# -- due selection -------------------------------------------------------------------------------


def test_due_questions_are_the_courses_longest_overdue_first(
        store: ProgressStore, clock: Clock, course: Course) -> None:
    quiz_answer(store, "basics-numeric", 0.0)
    clock.advance(days=1)
    quiz_answer(store, "basics-short", 0.0)
    quiz_answer(store, "a-question-since-removed", 0.0)
    quiz_answer(store, "basics-true-false", 1.0)
    clock.advance(days=1)
    items = review.due_items(course, store, "ana")
    assert [item.question.id for item in items] == ["basics-numeric", "basics-short"]
    assert items[0].asked.where == "The basics › Module quiz"
    assert review.due_count(course, store, "ana") == 2
    assert review.due_items(course, store, "ana", limit=1)[0].question.id == "basics-numeric"


def test_a_check_question_is_reviewed_where_it_was_taught(
        store: ProgressStore, clock: Clock, course: Course) -> None:
    store.record_answer("ana", COURSE, "basics-check-single", "check", "{}", 0.0, 0.0, 0,
                        "basics", "first-lesson")
    clock.advance(days=1)
    (item,) = review.due_items(course, store, "ana")
    assert item.asked.lesson is not None and item.asked.lesson.id == "first-lesson"
    assert item.asked.where == "The basics › First lesson"


def test_when_nothing_is_due_the_next_due_date_is_known(
        store: ProgressStore, course: Course) -> None:
    assert review.next_due(course, store, "ana") is None
    quiz_answer(store, "basics-short", 1.0)
    assert review.due_items(course, store, "ana") == []
    upcoming = review.next_due(course, store, "ana")
    assert upcoming == datetime(2026, 3, 12, 4, 0, tzinfo=UTC)
    assert review.when_text(upcoming, NOON) == "on Thursday 12 March"
    assert review.when_text(upcoming - timedelta(days=1), NOON) == "tomorrow"


def test_a_review_is_shuffled_afresh_each_day_and_stays_put_within_a_day(
        course: Course) -> None:
    question = review.questions_of(course)["basics-multiple"].question
    same_day = {review.review_presentation(question, "ana", NOON + timedelta(hours=h)).order
                for h in range(0, 12, 3)}
    assert len(same_day) == 1
    days = {review.review_presentation(question, "ana", NOON + timedelta(days=d)).order
            for d in range(10)}
    assert len(days) > 1


def test_reviews_are_recorded_as_review_answers_and_reschedule(
        store: ProgressStore, clock: Clock, course: Course) -> None:
    quiz_answer(store, "basics-short", 0.0)
    clock.advance(days=1)
    store.record_answer("ana", COURSE, "basics-short", "review", "{}", 1.0, 1.0, 0, "basics")
    assert review.due_items(course, store, "ana") == []
    assert [a.where for a in store.answers("ana", COURSE)] == ["quiz", "review"]


def test_resetting_a_module_forgets_its_cards(store: ProgressStore) -> None:
    quiz_answer(store, "basics-short", 0.0)
    store.reset_module("ana", COURSE, "basics")
    assert store.review_card("ana", COURSE, "basics-short") is None


# -- the store's migration from version 1 ---------------------------------------------------------


def test_a_version_1_store_gains_cards_built_from_its_answers(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("BEGIN")
    schema.migrate(raw, 0, target=1)
    raw.execute("INSERT INTO learner (id, name, created_at) VALUES (1, 'ana', ?)",
                (NOON.isoformat(),))

    def old_answer(uid: str, question: str, where: str, score: float, at: datetime,
                   lesson: str | None = None) -> None:
        raw.execute(
            "INSERT INTO answer (uid, learner_id, course_id, module_id, lesson_id, question_id,"
            " context, answer_json, score, points, hints_used, answered_at)"
            " VALUES (?, 1, ?, 'basics', ?, ?, ?, '{}', ?, ?, 0, ?)",
            (uid, COURSE, lesson, question, where, score, score,
             at.isoformat(timespec="microseconds")))

    old_answer("a", "basics-short", "quiz", 0.0, NOON)
    old_answer("b", "basics-check-single", "check", 0.0, NOON, "first-lesson")
    # a retry a minute later: not a first try, so it does not count
    old_answer("c", "basics-check-single", "check", 1.0, NOON + timedelta(minutes=1),
               "first-lesson")
    raw.execute("COMMIT")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
    raw.close()

    with ProgressStore.open(tmp_path, clock=Clock(NOON + timedelta(days=1))) as store:
        assert len(store.answers("ana", COURSE)) == 3
        assert sorted(due_ids(store, NOON + timedelta(days=1))) == [
            "basics-check-single", "basics-short"]
        check = store.review_card("ana", COURSE, "basics-check-single")
        assert check is not None and check.lesson_id == "first-lesson"
        assert check.updated_at == NOON
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    raw.close()


# -- export and import -----------------------------------------------------------------------------


def test_an_export_carries_the_cards_and_an_import_brings_them(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path / "a", clock=Clock(NOON)) as a, \
            ProgressStore.open(tmp_path / "b", clock=Clock(NOON)) as b:
        quiz_answer(a, "basics-short", 0.0)
        document = export_document(a, "ana")
        (card,) = document["records"]["review_cards"]
        assert card["question"] == "basics-short" and card["module"] == "basics"
        report = import_progress(b, parse_progress_file(render(document).encode()))
        assert report.counts["review_cards"] == 1
        assert b.review_card("ana", COURSE, "basics-short") == a.review_card(
            "ana", COURSE, "basics-short")
        again = import_progress(b, parse_progress_file(render(document).encode()))
        assert again.changed == 0


def test_of_two_machines_cards_the_one_reviewed_last_wins(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path / "a", clock=Clock(NOON)) as a, \
            ProgressStore.open(tmp_path / "b", clock=Clock(NOON + timedelta(days=2))) as b:
        quiz_answer(a, "basics-short", 0.0)
        quiz_answer(b, "basics-short", 1.0)
        newer = b.review_card("ana", COURSE, "basics-short")
        import_progress(b, parse_progress_file(render(export_document(a, "ana")).encode()))
        assert b.review_card("ana", COURSE, "basics-short") == newer
        import_progress(a, parse_progress_file(render(export_document(b, "ana")).encode()))
        assert a.review_card("ana", COURSE, "basics-short") == newer


def test_a_version_1_export_without_cards_still_imports(store: ProgressStore) -> None:
    quiz_answer(store, "basics-short", 0.0)
    document = export_document(store, "ana")
    document["version"] = 1
    del document["records"]["review_cards"]
    document["checksum"] = checksum(document)
    progress = parse_progress_file(render(document).encode())
    with ProgressStore.in_memory() as other:
        report = import_progress(other, progress)
    assert report.counts["answers"] == 1 and report.counts["review_cards"] == 0


def test_an_import_with_a_card_that_is_not_one_is_refused(store: ProgressStore) -> None:
    from course.record.progress.transfer import TransferError

    quiz_answer(store, "basics-short", 0.0)
    document = export_document(store, "ana")
    document["records"]["review_cards"][0]["card"] = json.dumps({"due": "soon"})
    document["checksum"] = checksum(document)
    with pytest.raises(TransferError, match=r"review_cards\[0\]\.card"):
        parse_progress_file(render(document).encode())


# -- the plain mode -------------------------------------------------------------------------------


def plain_review(data: Path, typed: str) -> tuple[int, str]:
    import io

    from tui.plain.run import Start, run_review

    out = io.StringIO()
    start = Start(course_dir=VALID, learner="ana", data_dir=str(data))
    status = run_review(start, stdin=io.StringIO(typed), stdout=out)
    return status, out.getvalue()


def test_the_plain_review_asks_what_is_due_and_saves_each_answer(tmp_path: Path) -> None:
    missed_at = datetime.now(UTC) - timedelta(days=2)
    with ProgressStore.open(tmp_path, clock=Clock(missed_at)) as store:
        quiz_answer(store, "basics-true-false", 0.0)
    status, said = plain_review(tmp_path, "t\n")
    assert status == 0
    assert "1 question due for review" in said
    assert "Review question 1 of 1\nFrom: The basics › Module quiz\n" in said
    assert "Right. 1 of 1 point." in said
    assert "Next review of this question: on " in said
    assert "Reviewed 1 question: 1 right." in said
    with ProgressStore.open(tmp_path) as store:
        assert [a.where for a in store.answers("ana", COURSE)] == ["quiz", "review"]
    status, said = plain_review(tmp_path, "")
    assert status == 0
    assert "Nothing is due for review; the next question is due on " in said


def test_the_plain_review_with_no_cards_says_how_they_come(tmp_path: Path) -> None:
    status, said = plain_review(tmp_path, "")
    assert status == 0
    assert "Nothing is due for review yet" in said


def test_the_plain_review_and_the_certificate_command_run_without_textual() -> None:
    import subprocess
    import sys

    code = ("import sys, tui.plain.run, tui.cli.certificate, tui.cli.review;"
            " sys.exit('textual' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_the_plain_course_map_offers_the_review(tmp_path: Path) -> None:
    import io

    from tui.plain.run import Start, run_plain

    missed_at = datetime.now(UTC) - timedelta(days=2)
    with ProgressStore.open(tmp_path, clock=Clock(missed_at)) as store:
        store.set_position("ana", COURSE, {"module": "basics", "quiz": True})
        quiz_answer(store, "basics-true-false", 0.0)
    out = io.StringIO()
    start = Start(course_dir=VALID, learner="ana", data_dir=str(tmp_path))
    assert run_plain(start, stdin=io.StringIO("r\nt\n"), stdout=out) == 0
    said = out.getvalue()
    assert "1 question due for review: type r to answer them." in said
    assert "Review question 1 of 1" in said and "Right. 1 of 1 point." in said
    assert "Nothing is due for review; the next question is due on " in said
