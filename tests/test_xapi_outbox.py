"""xAPI statements: made from each record, queued with the act in one transaction, shown
waiting in both front ends."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from course.material.loader import load_course
from course.record.progress import Answer, NotSavedError, ProgressStore, QuizAttempt, schema
from course.record.xapi import Statements, course_questions, statement_id
from quizzes.answers import TextAnswer
from quizzes.grading import correct_answer

ROOT = Path(__file__).parent.parent
VALID = ROOT / "tests" / "data" / "courses" / "valid"
MOMENT = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = MOMENT

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def make() -> Statements:
    course = load_course(VALID).course
    assert course is not None
    return Statements(course, "https://school.example.edu")


def waiting(store: ProgressStore) -> list[dict[str, Any]]:
    return [json.loads(q.statement_json) for q in store.queued_statements(1000)]


# -- the statements -----------------------------------------------------------------------------


def test_every_question_type_answered_makes_a_statement_ralph_accepts() -> None:
    statements = make()
    kinds = set()
    for module, where, question in course_questions(statements.course):
        given = correct_answer(question) or TextAnswer("something")
        answer = Answer(1, f"uid-{question.id}", statements.course.id, module.id, None,
                        question.id, "quiz" if where == "quiz" else "check", given.to_json(),
                        1.0, 1.0, 0, MOMENT)
        statement = statements.answered("ana", answer)
        BaseXapiStatement.model_validate(statement)
        kinds.add(statement["object"]["definition"]["interactionType"])
        assert statement["result"]["success"] is True
    assert kinds >= {"choice", "true-false", "fill-in", "numeric", "sequencing", "matching"}


def test_an_answer_left_blank_has_no_response_for_xapi_allows_no_empty_value() -> None:
    statements = make()
    answer = Answer(1, "u1", "test-course", "basics", None, "basics-short", "quiz",
                    TextAnswer("  ").to_json(), 0.0, 0.0, 0, MOMENT)
    statement = statements.answered("ana", answer)
    assert "response" not in statement["result"]
    BaseXapiStatement.model_validate(statement)


def test_a_lesson_and_a_quiz_have_their_verbs_and_their_place_in_the_course() -> None:
    statements = make()
    done = statements.completed("ana", "basics", "first-lesson", MOMENT)
    assert done["verb"]["id"].endswith("/completed")
    assert done["object"]["id"] == "urn:ivstem:test-course:lesson:basics/first-lesson"
    assert done["object"]["definition"]["name"] == {"en": "First lesson"}
    activities = done["context"]["contextActivities"]
    assert [a["id"] for a in activities["parent"]] == ["urn:ivstem:test-course:module:basics"]
    assert [a["id"] for a in activities["grouping"]] == ["urn:ivstem:test-course"]
    attempt = QuizAttempt(1, "a1", "test-course", "basics", 0.75, 3.0, True, "{}", MOMENT)
    passed = statements.finished("ana", attempt)
    assert passed["verb"]["id"].endswith("/passed")
    assert passed["result"] == {"score": {"scaled": 0.75, "raw": 3.0}, "success": True,
                                "completion": True}
    failed = statements.finished("ana", attempt._replace(passed=False, uid="a2"))
    assert failed["verb"]["id"].endswith("/failed")
    for statement in (done, passed, failed):
        BaseXapiStatement.model_validate(statement)
        assert statement["actor"]["account"] == {"homePage": "https://school.example.edu",
                                                 "name": "ana"}


def test_statement_ids_are_the_learner_and_the_act_whatever_the_case_of_the_name() -> None:
    assert statement_id("Ana", "answer/u1") == statement_id("ana", "answer/u1")
    assert statement_id("ana", "answer/u1") != statement_id("bob", "answer/u1")
    assert statement_id("ana", "answer/u1") != statement_id("ana", "answer/u2")


# -- the outbox ---------------------------------------------------------------------------------


def test_an_answer_and_its_statement_are_kept_in_one_transaction(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=Clock()) as store:
        store.record_answer("ana", "test-course", "basics-short", "quiz",
                            TextAnswer("IND").to_json(), 1.0, 1.0, 0, module_id="basics",
                            xapi=make())
        [statement] = waiting(store)
        [answer] = store.answers("ana", "test-course")
        assert statement["id"] == statement_id("ana", f"answer/{answer.uid}")
        assert statement["timestamp"] == "2026-11-02T09:30:02.000Z"
    # The outbox cannot take the statement: the answer is not kept either.
    raw = sqlite3.connect(tmp_path / "progress.sqlite3")
    raw.execute("CREATE TRIGGER no_outbox BEFORE INSERT ON xapi_outbox"
                " BEGIN SELECT RAISE(ABORT, 'outbox refused'); END")
    raw.commit()
    raw.close()
    with ProgressStore.open(tmp_path, clock=Clock()) as store:
        with pytest.raises(NotSavedError):
            store.record_answer("ana", "test-course", "basics-short", "quiz",
                                TextAnswer("x").to_json(), 0.0, 0.0, 0, module_id="basics",
                                xapi=make())
        assert len(store.answers("ana", "test-course")) == 1
        with pytest.raises(NotSavedError):
            store.finish_quiz("ana", "test-course", "basics", 1.0, 4.0, True, "{}",
                              xapi=make())
        assert store.quiz_attempts("ana", "test-course", "basics") == []
        assert not store.module_passed("ana", "test-course", "basics")


def test_a_lesson_completed_again_is_not_queued_again(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=Clock()) as store:
        for _ in range(2):
            store.complete_lesson("ana", "test-course", "basics", "first-lesson", xapi=make())
        assert len(waiting(store)) == 1


def test_the_actor_is_named_as_the_profile_spells_it(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=Clock()) as store:
        store.add_learner("Ana")
        store.complete_lesson("ana", "test-course", "basics", "first-lesson", xapi=make())
        [statement] = waiting(store)
        assert statement["actor"]["name"] == "Ana"


def test_without_an_lrs_nothing_is_queued(tmp_path: Path) -> None:
    with ProgressStore.open(tmp_path, clock=Clock()) as store:
        store.complete_lesson("ana", "test-course", "basics", "first-lesson")
        assert store.outbox_status().waiting == 0


def test_a_store_from_before_the_outbox_gains_it_and_keeps_its_records(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / "progress.sqlite3")
    raw.execute("BEGIN")
    schema.migrate(raw, 0, target=3)
    raw.execute("INSERT INTO learner (name, created_at) VALUES ('ana', '2026-01-01')")
    raw.execute("INSERT INTO lesson_done VALUES (1, 'test-course', 'basics', 'first-lesson',"
                " '2026-01-01T00:00:00.000000+00:00')")
    raw.execute("COMMIT")
    raw.close()
    with ProgressStore.open(tmp_path) as store:
        assert store.completed_lessons("ana", "test-course") == {("basics", "first-lesson")}
        assert store.outbox_status().waiting == 0
    raw = sqlite3.connect(tmp_path / "progress.sqlite3")
    assert raw.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    raw.close()


# -- shown in the front ends --------------------------------------------------------------------


def test_the_plain_map_says_when_learning_records_wait_and_why(tmp_path: Path) -> None:
    from tests.ralph_lrs import free_port

    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "NO_COLOR": "1",
           "IVSTEM_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path),
           "IVSTEM_LRS_URL": f"http://127.0.0.1:{free_port()}/xAPI/",
           "IVSTEM_LRS_AUTH": "lab:do-not-print"}
    with ProgressStore.open(tmp_path / "data") as store:
        store.complete_lesson("ana", "test-course", "basics", "first-lesson", xapi=make())
    run = subprocess.run([sys.executable, "-m", "tui.cli", "--plain", "--course", str(VALID),
                          "--learner", "ana"], input="q\n", env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert "Learning records: 1 learning record waiting to be sent" in text
    assert "the connection was refused" in text
    assert "They are sent with your next session or by `ivstem progress sync`." in text
    assert "do-not-print" not in run.stdout + run.stderr


def test_the_plain_mode_says_once_when_the_lrs_settings_cannot_be_used(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "NO_COLOR": "1",
           "IVSTEM_DATA_DIR": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path),
           "IVSTEM_LRS_URL": "http://127.0.0.1:9/xAPI/", "IVSTEM_LRS_AUTH": "secret-word"}
    run = subprocess.run([sys.executable, "-m", "tui.cli", "--plain", "--course", str(VALID),
                          "--learner", "ana"], input="\nq\n", env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    text = " ".join(run.stdout.split())
    assert text.count("the LRS settings cannot be used: IVSTEM_LRS_AUTH must be") == 1
    assert "secret-word" not in run.stdout + run.stderr


async def test_the_map_shows_learning_records_waiting_for_the_lrs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Static

    from tests.ralph_lrs import free_port
    from tui.app import make_app
    from tui.screens.course_map import CourseMapScreen

    monkeypatch.setenv("IVSTEM_LRS_URL", f"http://127.0.0.1:{free_port()}/xAPI/")
    monkeypatch.setenv("IVSTEM_LRS_AUTH", "lab:pw")
    with ProgressStore.open(tmp_path) as store:
        store.set_position("ana", "test-course", {"module": "basics", "lesson": "first-lesson",
                                                   "step": 0})
        store.complete_lesson("ana", "test-course", "basics", "first-lesson", xapi=make())
    app = make_app(VALID, learner="ana", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        assert isinstance(app.screen, CourseMapScreen)
        for _ in range(50):
            await pilot.pause(0.05)
            line = str(app.screen.query_one("#map-links", Static).render())
            if "⇡" in line:
                break
        assert "⇡ 1 record to send" in line
        tooltip = str(app.screen.query_one("#map-links", Static).tooltip)
        assert "1 learning record waiting to be sent" in tooltip
    assert app.lrs is not None and not app.lrs.sender.running  # type: ignore[union-attr]


def test_the_account_home_page_is_the_labs_else_the_courses_else_the_default(
        tmp_path: Path) -> None:
    import dataclasses

    from course.record.lrs.config import LrsConfig
    from course.record.lrs.link import homepage_for

    course = load_course(VALID).course
    assert course is not None
    assert homepage_for(course, None) == "urn:ivstem"
    settings = dataclasses.replace(course.manifest.settings,
                                   xapi_homepage="https://school.example.edu")
    named = dataclasses.replace(course, manifest=dataclasses.replace(course.manifest,
                                                                     settings=settings))
    assert homepage_for(named, None) == "https://school.example.edu"
    lab = LrsConfig("https://lrs.example.edu/xAPI/", None, "https://lab.example.edu")
    assert homepage_for(named, lab) == "https://lab.example.edu"


def test_a_course_home_page_that_is_not_an_address_is_shown_at_its_line(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "course"
    shutil.copytree(VALID, folder)
    manifest = folder / "course.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "  quiz_attempts: 0\n", "  quiz_attempts: 0\n  xapi_homepage: our school\n"),
        encoding="utf-8")
    result = load_course(folder)
    [problem] = result.problems
    assert problem.line == 14
    assert problem.message == "`xapi_homepage` must be an address, not 'our school'"
