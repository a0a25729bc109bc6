"""The dashboard's figures from the store's running tallies equal those summed from every answer.

The dashboard once summed every answer each time it was shown; the store now keeps tallies
(answers and other activity per quarter hour, answers per question) in the transaction of each
write. Those sums are kept here, as the reference: a store made of many learners' answers over
months, imports, resets and removals must give the same figures both ways, in every time zone,
and so must a store made by the schema before the tallies, once it is opened.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.model import Course
from course.paths import shipped_course_dir
from course.record import dashboard, review
from course.record.dashboard import Dashboard, ModuleFigures
from course.record.progress import ProgressStore, schema
from course.record.progress.days import study_day
from course.record.progress.transfer import (
    export_document,
    import_progress,
    parse_progress_file,
    render,
)
from course.record.study import standings
from quizzes.grading import RIGHT_AT

END = datetime(2026, 3, 30, 15, 7, 31, tzinfo=UTC)
OTHER_COURSE = "another-course"
#: Zones a whole number of hours, half hours and quarter hours from UTC, with and without
#: summer time (Lord Howe moves by half an hour).
ZONES = ("UTC", "America/New_York", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham")
LEARNERS = ("ana", "ben", "cy")


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = load_course(shipped_course_dir()).course
    assert loaded is not None
    return loaded


@contextmanager
def local_time(zone: str) -> Iterator[None]:
    """Study days are local days: read them as a learner in `zone` would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", zone)
        time.tzset()
        try:
            yield
        finally:
            patch.undo()
            time.tzset()


class Clock:
    """The store's clock, set by the test before each write."""

    def __init__(self) -> None:
        self.now = END

    def __call__(self) -> datetime:
        return self.now


# -- the reference: the figures as they were computed, from every answer ------------------------


def reference_activity(store: ProgressStore, learner: str,
                       course_id: str) -> list[tuple[datetime, int]]:
    """Every minute (UTC) with any record, with the answers given in it: read from every row."""
    db = store._db
    row = db.execute("SELECT id FROM learner WHERE name = ?", (learner,)).fetchone()
    if row is None:
        return []
    key = (row[0], course_id)
    minutes: dict[str, int] = {}
    for minute, count in db.execute(
        "SELECT substr(answered_at, 1, 16), COUNT(*) FROM answer"
        " WHERE learner_id = ? AND course_id = ? GROUP BY 1", key
    ):
        minutes[minute] = count
    for table, column in (("step_reached", "reached_at"), ("lesson_done", "completed_at"),
                          ("study_time", "recorded_at")):
        for (minute,) in db.execute(
            f"SELECT DISTINCT substr({column}, 1, 16) FROM {table}"
            " WHERE learner_id = ? AND course_id = ?", key
        ):
            minutes.setdefault(minute, 0)
    return [(datetime.fromisoformat(minute + ":00+00:00"), count)
            for minute, count in sorted(minutes.items())]


def reference_tallies(store: ProgressStore, learner: str,
                      course_id: str) -> dict[str, tuple[int, int]]:
    """Per question: answers and answers fully right, counted over every answer."""
    db = store._db
    row = db.execute("SELECT id FROM learner WHERE name = ?", (learner,)).fetchone()
    if row is None:
        return {}
    rows = db.execute(
        "SELECT question_id, COUNT(*), SUM(score >= ?) FROM answer"
        " WHERE learner_id = ? AND course_id = ? GROUP BY question_id",
        (RIGHT_AT, row[0], course_id),
    ).fetchall()
    return {question: (count, int(right or 0)) for question, count, right in rows}


def reference_days(store: ProgressStore, learner: str, course_id: str) -> dict[date, int]:
    """Answers per study day, for every day with any record."""
    per_day: dict[date, int] = {}
    for minute, answers in reference_activity(store, learner, course_id):
        day = study_day(minute)
        per_day[day] = per_day.get(day, 0) + answers
    return per_day


def reference_build(course: Course, store: ProgressStore, learner: str,
                    now: datetime) -> Dashboard:
    """`dashboard.build` as it was before the tallies."""
    summary = store.summary(learner, course.id)
    figures = []
    for entry in standings(course, summary, store.passed_modules(learner, course.id)):
        attempts = store.quiz_attempts(learner, course.id, entry.module.id)
        record = summary.get(entry.module.id)
        figures.append(ModuleFigures(
            standing=entry,
            latest_score=attempts[-1].score if attempts else None,
            seconds=record.seconds_spent if record else 0.0,
        ))
    today = study_day(now)
    per_day = reference_days(store, learner, course.id)
    return Dashboard(
        now=now,
        modules=tuple(figures),
        streak=dashboard.streak(set(per_day), today),
        studied_today=today in per_day,
        days=tuple(per_day.get(today - timedelta(days=back), 0)
                   for back in range(dashboard.ACTIVITY_DAYS - 1, -1, -1)),
        due=review.due_count(course, store, learner, now),
        next_due=review.next_due(course, store, learner, now),
        weakest=dashboard.weakest_tags(course, reference_tallies(store, learner, course.id)),
    )


# -- a record of many answers -----------------------------------------------------------------


SCORES = (0.0, 0.25, 0.5, 1.0, 1.0, 1.0, 1 - 1e-9, 1 - 2e-9)  # right, and just short of it


def study(store: ProgressStore, clock: Clock, course: Course, rng: random.Random,
          learner: str, answers: int, days: int, *, daily: int = 0, repeat: int = 1) -> None:
    """`answers` answers at random moments over `days` days before END (more of them lately),
    steps, lessons, time and quizzes among them; and with `daily`, some record twelve hours
    apart for that many days back, so that every study day in any zone has one (a streak).
    With `repeat`, each answer is given that many times over."""
    asked = list(review.questions_of(course).values())

    def at(moment: datetime) -> None:
        clock.now = moment

    def some_moment() -> datetime:
        back = rng.choice((rng.randrange(days), rng.randrange(min(days, 21))))
        return END - timedelta(days=back, seconds=rng.randrange(86_400),
                               microseconds=rng.randrange(1_000_000))

    def answer(course_id: str = course.id) -> None:
        item = rng.choice(asked)
        lesson = item.lesson.id if item.lesson is not None else None
        question = item.question.id if rng.random() > 0.05 else "a-question-since-removed"
        score = rng.choice(SCORES)
        where = "check" if lesson else rng.choice(("quiz", "review"))
        hints, schedule = rng.randrange(2), rng.random() > 0.2
        for _ in range(repeat):
            store.record_answer(learner, course_id, question, where, "{}", score, score, hints,
                                item.module.id, lesson, schedule=schedule)

    for _ in range(answers):
        at(some_moment())
        roll = rng.random()
        if roll < 0.80:
            answer()
        elif roll < 0.85:
            answer(OTHER_COURSE)
        else:
            module = rng.choice(course.modules)
            lesson = rng.choice(module.lessons)
            if roll < 0.90:
                store.reach_step(learner, course.id, module.id, lesson.id, rng.randrange(4))
            elif roll < 0.93:
                store.complete_lesson(learner, course.id, module.id, lesson.id)
            elif roll < 0.97:
                store.add_time(learner, rng.choice((course.id, OTHER_COURSE)), module.id,
                               rng.uniform(1, 3600))
            else:
                store.finish_quiz(learner, course.id, module.id, rng.random(), 3.0,
                                  rng.random() < 0.5, "{}")
    for back in range(daily):
        for hours in (0, 12):
            at(END - timedelta(days=back, hours=hours, minutes=rng.randrange(60)))
            if rng.random() < 0.7:
                answer()
            else:
                store.add_time(learner, course.id, course.modules[0].id, 60)


def make_record(store: ProgressStore, clock: Clock, course: Course, seed: int) -> None:
    """Three learners' study, an import from another machine (twice), and resets, removals
    and a rename among them."""
    rng = random.Random(seed)
    study(store, clock, course, rng, "ana", 1500, 120, daily=40)
    study(store, clock, course, rng, "ben", 600, 60)
    study(store, clock, course, rng, "cy", 300, 200, daily=5)
    study(store, clock, course, rng, "eve", 100, 30)
    # The same learner on a laptop: answers of its own, and steps and lessons reached there
    # earlier than here, which an import moves back.
    laptop_clock = Clock()
    laptop = ProgressStore.in_memory(clock=laptop_clock)
    study(laptop, laptop_clock, course, rng, "ana", 400, 90)
    laptop_clock.now = END - timedelta(days=150)
    for module in course.modules[:3]:
        for lesson in module.lessons:
            laptop.reach_step("ana", course.id, module.id, lesson.id, 0)
            laptop.complete_lesson("ana", course.id, module.id, lesson.id)
    exported = parse_progress_file(render(export_document(laptop, "ana")).encode())
    assert import_progress(store, exported).changed
    assert import_progress(store, exported).changed == 0
    import_progress(store, exported, "dee")  # the same file, into another profile
    practised = next(m for m in course.modules if m.lessons)
    store.reset_lesson("ana", course.id, practised.id, practised.lessons[0].id)
    store.reset_module("ben", course.id, course.modules[1].id)
    store.reset_course("cy", OTHER_COURSE)
    store.remove_learner("eve")
    store.rename_learner("cy", "Cyd")


def assert_figures_match(store: ProgressStore, course: Course) -> None:
    """Every figure, by every learner, at several moments and in several time zones."""
    learners = store.learners()
    assert {name.casefold() for name in learners} >= {"ana", "ben", "cyd", "dee"}
    for learner in (*learners, "eve", "nobody"):
        for course_id in (course.id, OTHER_COURSE):
            assert store.question_tallies(learner, course_id) == reference_tallies(
                store, learner, course_id), (learner, course_id)
    for zone in ZONES:
        with local_time(zone):
            for learner in (*learners, "eve"):
                every_day = reference_days(store, learner, course.id)
                first = min(every_day, default=study_day(END)) - timedelta(days=2)
                span = [first + timedelta(days=n)
                        for n in range((study_day(END) - first).days + 3)]
                assert store.answers_per_day(learner, course.id, span) == {
                    day: count for day, count in every_day.items() if day in span}, (
                    zone, learner)
                assert store.days_studied(learner, course.id, span) == set(every_day) & set(
                    span), (zone, learner)
                for now in (END, END + timedelta(days=1), END + timedelta(days=2, hours=5),
                            END - timedelta(days=33), END.replace(hour=3, minute=59)):
                    assert dashboard.build(course, store, learner, now) == reference_build(
                        course, store, learner, now), (zone, learner, now)


# -- the figures, both ways ---------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2])
def test_the_figures_from_the_tallies_equal_those_summed_from_every_answer(
        course: Course, seed: int) -> None:
    clock = Clock()
    store = ProgressStore.in_memory(clock=clock)
    make_record(store, clock, course, seed)
    ana = dashboard.build(course, store, "ana", END)
    assert ana.streak > dashboard.ACTIVITY_DAYS, "the streak reaches past the chart's weeks"
    assert ana.weakest and sum(ana.days) > 0
    assert_figures_match(store, course)


def test_a_store_from_before_the_tallies_is_migrated_and_gives_the_same_figures(
        course: Course, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with monkeypatch.context() as before_tallies:
        before_tallies.delitem(schema.MIGRATIONS, 4)
        clock = Clock()
        # Made in memory (thousands of durable writes to a file take a minute), then copied
        # to the file whole, header and schema version included.
        with ProgressStore.in_memory(clock=clock) as old:
            make_record(old, clock, course, seed=3)
            (tmp_path / "progress.sqlite3").touch(mode=0o600)
            raw = sqlite3.connect(tmp_path / "progress.sqlite3")
            old._db.backup(raw)
    tables = {name for (name,) in raw.execute("SELECT name FROM sqlite_master")}
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 3
    assert "activity_tally" not in tables and "question_tally" not in tables
    raw.close()

    clock = Clock()
    with ProgressStore.open(tmp_path, clock=clock) as store:
        assert_figures_match(store, course)
        # and they stay equal as the learner goes on
        study(store, clock, course, random.Random(4), "ana", 40, 10)
        store.reset_module("ana", course.id, course.modules[0].id)
        assert_figures_match(store, course)
    raw = sqlite3.connect(tmp_path / "progress.sqlite3")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 4
    raw.close()


def test_removing_a_learner_leaves_no_tallies_behind(course: Course) -> None:
    clock = Clock()
    store = ProgressStore.in_memory(clock=clock)
    study(store, clock, course, random.Random(5), "ana", 50, 10)
    store.reset_course("ana", course.id)
    store.reset_course("ana", OTHER_COURSE)
    db = store._db
    assert db.execute("SELECT COUNT(*) FROM activity_tally").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM question_tally").fetchone()[0] == 0
    study(store, clock, course, random.Random(6), "ana", 50, 10)
    store.remove_learner("ana")
    assert db.execute("SELECT COUNT(*) FROM activity_tally").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM question_tally").fetchone()[0] == 0


def test_the_tallies_count_right_answers_by_the_graders_threshold() -> None:
    # The threshold is written into the store's triggers: a new one needs a migration.
    assert float(schema._RIGHT_AT) == RIGHT_AT


def dashboard_work(store: ProgressStore, course: Course) -> int:
    """How much work SQLite does to read the dashboard, in hundreds of its instructions."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    store._db.set_progress_handler(count, 100)
    try:
        figures = dashboard.build(course, store, "ana", END)
    finally:
        store._db.set_progress_handler(None, 100)
    assert figures.streak > dashboard.ACTIVITY_DAYS
    return steps


def test_the_dashboard_does_the_same_work_at_ten_times_the_answers(course: Course) -> None:
    """The cost of the figures does not grow with the answers: counted in SQLite's steps, not
    timed. The same study, with each answer given once and ten times over."""
    work = []
    for repeat in (1, 10):
        clock = Clock()
        store = ProgressStore.in_memory(clock=clock)
        study(store, clock, course, random.Random(7), "ana", 300, 40, daily=35, repeat=repeat)
        work.append(dashboard_work(store, course))
    once, tenfold = work
    assert tenfold <= once * 1.1, work
