"""The progress store: what it keeps, for whom, where, and how it is set up on disk."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from course import paths
from course.record.progress import (
    InvalidLearnerNameError,
    LearnerExistsError,
    LearnerNotFoundError,
    NotSavedError,
    ProgressStore,
    Where,
    default_learner_name,
    schema,
    validate_learner_name,
)

COURSE = "iv-stem-cell-therapy"


class Clock:
    """A clock that moves one second each time it is read, so the order of events is known."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def store(_own_data_dir: Path) -> Iterator[ProgressStore]:
    with ProgressStore.open(clock=Clock()) as opened:
        yield opened


def answer(store: ProgressStore, learner: str = "alice", question: str = "q1", *,
           module: str | None = "mechanisms", lesson: str | None = "what-are-mscs",
           where: Where = "check", score: float = 1.0) -> int:
    return store.record_answer(learner, COURSE, question, where, json.dumps({"choice": 0}),
                               score, score * 2, 0, module_id=module, lesson_id=lesson)


def break_writes_to(store: ProgressStore, table: str) -> None:
    """Make every new row in `table` fail to be written, as a write that fails midway would."""
    assert store.path is not None
    raw = sqlite3.connect(store.path, isolation_level=None)
    raw.execute(f"CREATE TRIGGER broken_{table} BEFORE INSERT ON {table}"
                " BEGIN SELECT RAISE(ABORT, 'the write failed'); END")
    raw.close()


# -- where the store lives ---------------------------------------------------------------------


def test_the_data_dir_option_beats_the_environment_which_beats_the_platform_default(
        tmp_path: Path) -> None:
    env = {paths.ENV_VAR: str(tmp_path / "from-env")}
    assert paths.resolve_data_dir(tmp_path / "from-option", env).path == tmp_path / "from-option"
    assert paths.resolve_data_dir(None, env).path == tmp_path / "from-env"
    fallback = paths.resolve_data_dir(None, {})
    assert fallback.source == "default"
    assert fallback.path == paths.default_data_dir()


def test_an_empty_environment_variable_counts_as_unset() -> None:
    assert paths.resolve_data_dir(None, {paths.ENV_VAR: ""}).source == "default"


def test_a_relative_or_home_data_dir_is_made_absolute(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.resolve_data_dir("rel", {}).path == tmp_path / "rel"
    assert paths.resolve_data_dir("~/data", {}).path == tmp_path / "home" / "data"


def test_the_store_is_progress_sqlite3_in_the_data_dir(_own_data_dir: Path) -> None:
    with ProgressStore.open() as opened:
        assert opened.path == _own_data_dir / "progress.sqlite3"
        assert opened.persistent


def test_the_folder_is_created_0700_and_the_file_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with ProgressStore.open(tmp_path / "a" / "b") as opened:
            answer(opened)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b" / "progress.sqlite3").stat().st_mode) == 0o600


def test_the_journal_is_as_private_as_the_store(tmp_path: Path) -> None:
    ProgressStore.open(tmp_path).close()
    old = os.umask(0o022)
    try:
        raw = sqlite3.connect(tmp_path / "progress.sqlite3", isolation_level=None)
        raw.execute("BEGIN IMMEDIATE")
        raw.execute("INSERT INTO learner (name, created_at) VALUES ('x', 'now')")
        journal = tmp_path / "progress.sqlite3-journal"
        assert journal.exists(), "a rollback journal is written during a transaction"
        assert stat.S_IMODE(journal.stat().st_mode) == 0o600
        raw.execute("ROLLBACK")
        raw.close()
    finally:
        os.umask(old)


def test_a_loose_default_folder_is_tightened_to_0700(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.delenv(paths.ENV_VAR)
    monkeypatch.setattr(paths, "default_data_dir", lambda: tmp_path / "share" / "ivstem")
    (tmp_path / "share" / "ivstem").mkdir(parents=True, mode=0o755)
    os.chmod(tmp_path / "share" / "ivstem", 0o755)
    ProgressStore.open().close()
    assert stat.S_IMODE((tmp_path / "share" / "ivstem").stat().st_mode) == 0o700


def test_a_loose_store_file_is_tightened_to_0600(tmp_path: Path) -> None:
    ProgressStore.open(tmp_path).close()
    os.chmod(tmp_path / "progress.sqlite3", 0o644)
    ProgressStore.open(tmp_path).close()
    assert stat.S_IMODE((tmp_path / "progress.sqlite3").stat().st_mode) == 0o600


def test_the_store_uses_a_rollback_journal_full_sync_a_busy_timeout_and_foreign_keys(
        store: ProgressStore) -> None:
    db = store._db  # the settings are the point of this test, so look at the connection itself
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    # SQLite waits a moment by itself; then the store says it is waiting and waits the rest.
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 1000
    assert store.timeout >= 5
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


# -- schema versions -------------------------------------------------------------------------


def test_a_new_store_is_at_the_newest_schema_version_and_marked_as_ivstems(
        _own_data_dir: Path) -> None:
    ProgressStore.open().close()
    raw = sqlite3.connect(_own_data_dir / "progress.sqlite3")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert raw.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    raw.close()


def test_an_older_store_is_migrated_forward_keeping_its_records(
        monkeypatch: pytest.MonkeyPatch, _own_data_dir: Path) -> None:
    with ProgressStore.open() as old:
        answer(old)
    added: list[int] = []

    def add_notes(db: sqlite3.Connection) -> None:
        added.append(1)
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")

    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION + 1, add_notes)
    with ProgressStore.open() as new:
        assert len(new.answers("alice", COURSE)) == 1
    with ProgressStore.open():
        pass
    assert added == [1], "a migration runs once, not at every opening"
    raw = sqlite3.connect(_own_data_dir / "progress.sqlite3")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION + 1
    assert raw.execute("SELECT count(*) FROM note").fetchone()[0] == 0
    raw.close()


def test_a_migration_that_fails_leaves_the_store_at_its_old_version(
        monkeypatch: pytest.MonkeyPatch, _own_data_dir: Path) -> None:
    with ProgressStore.open() as old:
        answer(old)

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("power cut")

    monkeypatch.setitem(schema.MIGRATIONS, schema.SCHEMA_VERSION + 1, broken)
    with pytest.raises(RuntimeError):
        ProgressStore.open()
    raw = sqlite3.connect(_own_data_dir / "progress.sqlite3")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    raw.close()


# -- learners --------------------------------------------------------------------------------


def test_the_default_learner_is_named_after_the_os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "jsmith")
    assert default_learner_name() == "jsmith"


def test_the_default_learner_is_learner_when_the_os_user_is_unknown(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise OSError("no passwd entry")

    monkeypatch.setattr("getpass.getuser", no_user)
    assert default_learner_name() == "learner"


@pytest.mark.parametrize("name", ["", "   ", "a" * 65, "tab\there", "new\nline", "bell\x07"])
def test_empty_long_or_unprintable_learner_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidLearnerNameError):
        validate_learner_name(name)


def test_a_learner_name_keeps_its_spelling_and_loses_surrounding_spaces() -> None:
    assert validate_learner_name("  Zoë O'Brien ") == "Zoë O'Brien"
    assert validate_learner_name("a" * 64) == "a" * 64


def test_learners_are_listed_alphabetically_and_names_ignore_case(store: ProgressStore) -> None:
    store.add_learner("bob")
    store.add_learner("Alice")
    answer(store, "ALICE")
    assert store.learners() == ["Alice", "bob"]
    assert len(store.answers("alice", COURSE)) == 1
    with pytest.raises(LearnerExistsError):
        store.add_learner("BOB")


def test_recording_for_a_new_name_creates_the_profile(store: ProgressStore) -> None:
    assert store.learners() == []
    answer(store, "carol")
    assert store.learners() == ["carol"]


def test_renaming_a_learner_keeps_their_records(store: ProgressStore) -> None:
    answer(store, "alice")
    store.rename_learner("alice", "alice.b")
    assert store.answers("alice", COURSE) == []
    assert len(store.answers("alice.b", COURSE)) == 1
    store.rename_learner("alice.b", "Alice.B")  # only the case: allowed
    assert store.learners() == ["Alice.B"]


def test_renaming_onto_another_learner_or_from_nobody_is_refused(store: ProgressStore) -> None:
    store.add_learner("alice")
    store.add_learner("bob")
    with pytest.raises(LearnerExistsError):
        store.rename_learner("alice", "Bob")
    with pytest.raises(LearnerNotFoundError):
        store.rename_learner("zed", "zoe")
    assert store.learners() == ["alice", "bob"]


def test_removing_a_learner_deletes_every_record_of_theirs_and_nobody_elses(
        store: ProgressStore) -> None:
    answer(store, "alice")
    store.complete_lesson("alice", COURSE, "m", "l")
    store.finish_quiz("alice", COURSE, "m", 1.0, 5, True, "{}")
    answer(store, "bob")
    store.remove_learner("alice")
    assert store.learners() == ["bob"]
    assert store.summary("alice", COURSE) == {}
    assert len(store.answers("bob", COURSE)) == 1
    with pytest.raises(LearnerNotFoundError):
        store.remove_learner("alice")


def test_one_learner_never_sees_another_learners_records(store: ProgressStore) -> None:
    answer(store, "alice")
    store.reach_step("alice", COURSE, "m", "l", 0)
    store.complete_lesson("alice", COURSE, "m", "l")
    store.save_quiz_state("alice", COURSE, "m", '{"at": 2}')
    store.finish_quiz("alice", COURSE, "m2", 0.9, 9, True, "{}")
    store.set_position("alice", COURSE, {"module": "m"})
    store.add_time("alice", COURSE, "m", 60)
    store.add_learner("bob")
    assert store.answers("bob", COURSE) == []
    assert store.steps_reached("bob", COURSE, "m", "l") == frozenset()
    assert store.completed_lessons("bob", COURSE) == frozenset()
    assert store.load_quiz_state("bob", COURSE, "m") is None
    assert store.quiz_attempts("bob", COURSE, "m2") == []
    assert not store.module_passed("bob", COURSE, "m2")
    assert store.position("bob", COURSE) is None
    assert store.summary("bob", COURSE) == {}


# -- answers ---------------------------------------------------------------------------------


def test_an_answer_is_committed_before_record_answer_returns(store: ProgressStore) -> None:
    answer(store, question="q-committed")
    assert store.path is not None
    other = sqlite3.connect(store.path)  # another connection sees only committed rows
    assert other.execute("SELECT question_id FROM answer").fetchall() == [("q-committed",)]
    other.close()


def test_every_field_of_an_answer_is_kept(store: ProgressStore) -> None:
    row_id = store.record_answer("alice", COURSE, "ryoncil-year", "quiz", '{"value": 2024}',
                                 0.5, 1.5, 2, module_id="regulation", lesson_id=None)
    [kept] = store.answers("alice", COURSE)
    assert (kept.id, kept.course_id, kept.module_id, kept.lesson_id, kept.question_id,
            kept.where, json.loads(kept.answer_json), kept.score, kept.points,
            kept.hints_used) == (row_id, COURSE, "regulation", None, "ryoncil-year", "quiz",
                                 {"value": 2024}, 0.5, 1.5, 2)
    assert kept.answered_at == datetime(2026, 11, 1, 9, 0, 2, tzinfo=UTC)
    assert len(kept.uid) == 36


def test_answers_can_be_filtered_and_read_newest_first(store: ProgressStore) -> None:
    answer(store, question="q1", where="check")
    answer(store, question="q2", where="quiz")
    answer(store, question="q1", where="review")
    assert [a.where for a in store.answers("alice", COURSE, question_id="q1")] == [
        "check", "review"]
    assert [a.question_id for a in store.answers("alice", COURSE, where="quiz")] == ["q2"]
    newest = store.answers("alice", COURSE, newest_first=True, limit=1)
    assert [(a.question_id, a.where) for a in newest] == [("q1", "review")]


@pytest.mark.parametrize(("field", "value"), [
    ("where", "exam"), ("answer_json", "not json"), ("share", 1.5), ("share", float("nan")),
    ("points", -1), ("hints_used", -1), ("question_id", ""),
])
def test_a_malformed_answer_is_refused_and_nothing_is_written(
        store: ProgressStore, field: str, value: object) -> None:
    arguments: dict[str, object] = dict(
        learner="alice", course_id=COURSE, question_id="q1", where="check",
        answer_json="{}", share=1.0, points=1.0, hints_used=0)
    arguments[field] = value
    with pytest.raises((ValueError, TypeError)):
        store.record_answer(**arguments)  # type: ignore[arg-type]
    assert store.answers("alice", COURSE) == []


def test_an_answer_is_given_its_share_of_the_credit_by_name(store: ProgressStore) -> None:
    store.record_answer("alice", COURSE, "q1", "quiz", "{}", share=0.25, points=0.5,
                        hints_used=0, module_id="m")
    [kept] = store.answers("alice", COURSE)
    assert (kept.score, kept.points) == (0.25, 0.5)


def test_an_answer_saves_the_quiz_in_progress_with_it(store: ProgressStore) -> None:
    store.record_answer("alice", COURSE, "q1", "quiz", "{}", 1.0, 2.0, 0, module_id="m",
                        quiz_state='{"question": 2}')
    assert store.load_quiz_state("alice", COURSE, "m") == '{"question": 2}'
    assert [a.question_id for a in store.answers("alice", COURSE)] == ["q1"]
    store.record_answer("alice", COURSE, "q2", "quiz", "{}", 0.0, 0.0, 0, module_id="m",
                        quiz_state='{"question": 3}')
    assert store.load_quiz_state("alice", COURSE, "m") == '{"question": 3}'


def test_an_answer_and_the_quiz_in_progress_are_saved_together_or_not_at_all(
        store: ProgressStore) -> None:
    break_writes_to(store, "quiz_state")
    with pytest.raises(NotSavedError):
        store.record_answer("alice", COURSE, "q1", "quiz", "{}", 1.0, 2.0, 0, module_id="m",
                            quiz_state='{"question": 2}')
    assert store.answers("alice", COURSE) == []
    assert store.load_quiz_state("alice", COURSE, "m") is None
    assert store.review_card("alice", COURSE, "q1") is None


@pytest.mark.parametrize(("module", "state"), [
    (None, "{}"), ("m", "not json"), ("m", json.dumps({"big": "x" * 1024 * 1024})),
], ids=["no module", "not json", "too long"])
def test_a_quiz_in_progress_without_its_module_or_not_small_json_is_refused_with_the_answer(
        store: ProgressStore, module: str | None, state: str) -> None:
    with pytest.raises(ValueError):
        store.record_answer("alice", COURSE, "q1", "quiz", "{}", 1.0, 2.0, 0, module_id=module,
                            quiz_state=state)
    assert store.answers("alice", COURSE) == []


def test_answers_recorded_from_several_threads_are_all_kept(store: ProgressStore) -> None:
    def record(worker: int) -> None:
        for n in range(25):
            answer(store, question=f"w{worker}-q{n}")

    threads = [threading.Thread(target=record, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({a.question_id for a in store.answers("alice", COURSE)}) == 100


# -- steps, lessons, quizzes, position, time ---------------------------------------------------


def test_reaching_a_step_or_completing_a_lesson_twice_keeps_the_first_time(
        store: ProgressStore) -> None:
    store.reach_step("alice", COURSE, "m", "l", 0)
    store.reach_step("alice", COURSE, "m", "l", 0)
    store.reach_step("alice", COURSE, "m", "l", 2)
    store.complete_lesson("alice", COURSE, "m", "l")
    first = store.summary("alice", COURSE)["m"].last_studied
    store.complete_lesson("alice", COURSE, "m", "l")
    assert store.steps_reached("alice", COURSE, "m", "l") == {0, 2}
    assert store.completed_lessons("alice", COURSE) == {("m", "l")}
    assert store.summary("alice", COURSE)["m"].last_studied == first


def test_a_step_reached_can_save_the_place_to_continue_from_with_it(
        store: ProgressStore) -> None:
    store.reach_step("alice", COURSE, "m", "l", 3, position={"module": "m", "lesson": "l",
                                                              "step": 3})
    assert store.steps_reached("alice", COURSE, "m", "l") == {3}
    assert store.position("alice", COURSE) == {"module": "m", "lesson": "l", "step": 3}


def test_a_step_and_the_place_to_continue_from_are_saved_together_or_not_at_all(
        store: ProgressStore) -> None:
    break_writes_to(store, "position")
    with pytest.raises(NotSavedError):
        store.reach_step("alice", COURSE, "m", "l", 3, position={"step": 3})
    assert store.steps_reached("alice", COURSE, "m", "l") == frozenset()
    with pytest.raises(ValueError):
        store.reach_step("alice", COURSE, "m", "l", 4, position={"big": "x" * 5000})
    assert store.steps_reached("alice", COURSE, "m", "l") == frozenset()


def test_completing_a_lesson_can_pass_its_module(store: ProgressStore) -> None:
    store.complete_lesson("alice", COURSE, "m", "l1")
    assert not store.module_passed("alice", COURSE, "m")
    store.complete_lesson("alice", COURSE, "m", "l2", passes_module=True)
    assert store.completed_lessons("alice", COURSE) == {("m", "l1"), ("m", "l2")}
    assert store.module_passed("alice", COURSE, "m")


def test_a_lesson_and_the_pass_it_brings_are_saved_together_or_not_at_all(
        store: ProgressStore) -> None:
    break_writes_to(store, "module_passed")
    with pytest.raises(NotSavedError):
        store.complete_lesson("alice", COURSE, "m", "l", passes_module=True)
    assert store.completed_lessons("alice", COURSE) == frozenset()
    assert not store.module_passed("alice", COURSE, "m")


def test_a_quiz_in_progress_is_saved_replaced_and_loaded(store: ProgressStore) -> None:
    assert store.load_quiz_state("alice", COURSE, "m") is None
    store.save_quiz_state("alice", COURSE, "m", '{"question": 1}')
    store.save_quiz_state("alice", COURSE, "m", '{"question": 2}')
    assert store.load_quiz_state("alice", COURSE, "m") == '{"question": 2}'


def test_finishing_a_quiz_records_the_attempt_clears_the_state_and_marks_a_pass(
        store: ProgressStore) -> None:
    store.save_quiz_state("alice", COURSE, "m", '{"question": 8}')
    store.finish_quiz("alice", COURSE, "m", 0.9, 9, True, '{"answers": []}')
    assert store.load_quiz_state("alice", COURSE, "m") is None
    assert store.module_passed("alice", COURSE, "m")
    [attempt] = store.quiz_attempts("alice", COURSE, "m")
    assert (attempt.score, attempt.points, attempt.passed) == (0.9, 9, True)


def test_a_finished_quiz_is_given_its_share_of_the_credit_by_name(store: ProgressStore) -> None:
    store.finish_quiz("alice", COURSE, "m", share=0.75, points=3.0, passed=True,
                      state_json="{}")
    [attempt] = store.quiz_attempts("alice", COURSE, "m")
    assert (attempt.score, attempt.points) == (0.75, 3.0)
    with pytest.raises(ValueError):
        store.finish_quiz("alice", COURSE, "m", share=1.5, points=3.0, passed=True,
                          state_json="{}")


def test_a_failed_quiz_does_not_pass_the_module_and_the_best_attempt_is_the_highest(
        store: ProgressStore) -> None:
    store.finish_quiz("alice", COURSE, "m", 0.5, 5, False, "{}")
    assert not store.module_passed("alice", COURSE, "m")
    store.finish_quiz("alice", COURSE, "m", 0.7, 7, False, "{}")
    store.finish_quiz("alice", COURSE, "m", 0.6, 6, False, "{}")
    best = store.best_quiz("alice", COURSE, "m")
    assert best is not None and best.score == 0.7
    assert [a.score for a in store.quiz_attempts("alice", COURSE, "m")] == [0.5, 0.7, 0.6]
    assert store.best_quiz("alice", COURSE, "other") is None


def test_a_module_without_a_quiz_can_be_marked_passed(store: ProgressStore) -> None:
    store.mark_module_passed("alice", COURSE, "capstone")
    assert store.passed_modules("alice", COURSE) == {"capstone"}


def test_the_position_is_remembered_per_learner_and_course(store: ProgressStore) -> None:
    store.set_position("alice", COURSE, {"module": "m", "lesson": "l", "step": 3})
    store.set_position("alice", COURSE, {"module": "m", "lesson": "l", "step": 4})
    store.set_position("alice", "other-course", {"module": "x"})
    assert store.position("alice", COURSE) == {"module": "m", "lesson": "l", "step": 4}


@pytest.mark.parametrize("position", [{"module": object()}, {1: "x"}, {"big": "x" * 5000}])
def test_a_position_that_is_not_small_plain_json_is_refused(
        store: ProgressStore, position: dict[object, object]) -> None:
    with pytest.raises((TypeError, ValueError)):
        store.set_position("alice", COURSE, position)  # type: ignore[arg-type]


def test_study_time_adds_up_per_module(store: ProgressStore) -> None:
    store.add_time("alice", COURSE, "m", 90)
    store.add_time("alice", COURSE, "m", 30.5)
    assert store.summary("alice", COURSE)["m"].seconds_spent == 120.5
    with pytest.raises(ValueError):
        store.add_time("alice", COURSE, "m", -5)


# -- the dashboard summary -------------------------------------------------------------------


def test_the_summary_gives_lessons_best_quiz_pass_and_last_studied_per_module(
        store: ProgressStore) -> None:
    store.complete_lesson("alice", COURSE, "mechanisms", "what-are-mscs")
    store.finish_quiz("alice", COURSE, "mechanisms", 0.6, 6, False, "{}")
    store.finish_quiz("alice", COURSE, "mechanisms", 0.85, 8.5, True, "{}")
    store.save_quiz_state("alice", COURSE, "evidence", "{}")
    answer(store, module="regulation", lesson="ind")
    latest = answer(store, module="mechanisms", lesson="homing")
    summary = store.summary("alice", COURSE)
    mechanisms = summary["mechanisms"]
    assert mechanisms.lessons_completed == {"what-are-mscs"}
    assert (mechanisms.best_quiz_score, mechanisms.quiz_attempts, mechanisms.passed) == (
        0.85, 2, True)
    [last] = [a for a in store.answers("alice", COURSE) if a.id == latest]
    assert mechanisms.last_studied == last.answered_at
    assert summary["evidence"].quiz_in_progress
    assert not summary["regulation"].passed
    assert summary["regulation"].best_quiz_score is None


def test_the_summary_is_for_one_course_only(store: ProgressStore) -> None:
    answer(store)
    store.record_answer("alice", "another-course", "q", "check", "{}", 1, 1, 0, module_id="zz")
    assert set(store.summary("alice", COURSE)) == {"mechanisms"}


# -- resetting -------------------------------------------------------------------------------


def _fill(store: ProgressStore, learner: str = "alice") -> None:
    for module in ("m1", "m2"):
        for lesson in ("l1", "l2"):
            store.reach_step(learner, COURSE, module, lesson, 0)
            store.complete_lesson(learner, COURSE, module, lesson)
            answer(store, learner, f"{module}-{lesson}", module=module, lesson=lesson)
        store.finish_quiz(learner, COURSE, module, 1.0, 3, True, "{}")
        store.add_time(learner, COURSE, module, 10)
    store.set_position(learner, COURSE, {"module": "m2"})


def test_resetting_a_lesson_forgets_only_that_lesson(store: ProgressStore) -> None:
    _fill(store)
    # steps, completion, the answer, and the review card the answer scheduled
    assert store.reset_lesson("alice", COURSE, "m1", "l1") == 4
    assert store.completed_lessons("alice", COURSE) == {("m1", "l2"), ("m2", "l1"), ("m2", "l2")}
    assert store.steps_reached("alice", COURSE, "m1", "l1") == frozenset()
    assert {a.question_id for a in store.answers("alice", COURSE)} == {
        "m1-l2", "m2-l1", "m2-l2"}
    assert store.module_passed("alice", COURSE, "m1")


def test_resetting_a_module_forgets_its_lessons_answers_quizzes_pass_and_time(
        store: ProgressStore) -> None:
    _fill(store)
    _fill(store, "bob")
    store.reset_module("alice", COURSE, "m1")
    summary = store.summary("alice", COURSE)
    assert set(summary) == {"m2"}
    assert store.quiz_attempts("alice", COURSE, "m1") == []
    assert store.position("alice", COURSE) == {"module": "m2"}
    assert set(store.summary("bob", COURSE)) == {"m1", "m2"}


def test_resetting_the_course_forgets_everything_in_it_and_nothing_elsewhere(
        store: ProgressStore) -> None:
    _fill(store)
    store.record_answer("alice", "another-course", "q", "check", "{}", 1, 1, 0)
    assert store.reset_course("alice", COURSE) > 0
    assert store.summary("alice", COURSE) == {}
    assert store.position("alice", COURSE) is None
    assert store.course_ids("alice") == ["another-course"]
    assert store.reset_course("nobody", COURSE) == 0


# -- in memory -------------------------------------------------------------------------------


def test_an_in_memory_store_works_but_is_not_persistent(_own_data_dir: Path) -> None:
    with ProgressStore.in_memory() as memory:
        answer(memory)
        assert len(memory.answers("alice", COURSE)) == 1
        assert not memory.persistent
        assert memory.path is None
    assert not (_own_data_dir / "progress.sqlite3").exists()
