"""Learning records against a real Learning Record Store: Ralph, on 127.0.0.1.

The statements of a learner's session, queued with each act, arrive; sending again stores
nothing new; what was queued while the LRS was down arrives when it is back; a learner killed
mid-session loses none; an instructor's report lands the same statements, once; and every
statement passes Ralph's own xAPI model. See tests/ralph_lrs.py for the server.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from course.material.loader import load_course
from course.material.model import CheckStep
from course.record.learner import Learner
from course.record.lrs.config import load_config
from course.record.lrs.link import open_link
from course.record.lrs.sending import sync_outbox
from course.record.progress import ProgressStore
from course.record.progress.transfer import export_document, write_export
from course.record.xapi import Statements
from quizzes.answers import BoolAnswer
from quizzes.practice import PracticeCheck
from tests.ralph_lrs import RalphLRS

ROOT = Path(__file__).parent.parent
HOMEPAGE = "https://school.example.edu"

COURSE_YAML = f"""\
format: 1
id: lab-course
title: "A lab course"
version: "1.0"
summary: A course for the learning-record tests.
settings:
  xapi_homepage: "{HOMEPAGE}"
modules:
  - module.yaml
"""

MODULE_YAML = """\
id: cells
title: Cells
summary: What cells do.
lessons:
  - id: intro
    title: Introduction
    steps:
      - text: Cells are small.
      - check:
          id: cells-check
          type: true_false
          prompt: Cells are small.
          answer: true
quiz:
  questions:
    - id: cells-lungs
      type: true_false
      prompt: Most infused cells reach the lungs first.
      answer: true
    - id: cells-tissue
      type: true_false
      prompt: Infused cells become any tissue.
      answer: false
"""

#: The plain mode's whole session in the lab course: continue, read, answer the check, finish
#: the lesson, answer both quiz questions, see the results, back to the map, quit.
SESSION = "\n\nt\n\nt\n\nt\n\n\nq\n"
#: What that session records: the check, the lesson, two quiz answers and the finished quiz.
SESSION_STATEMENTS = 5


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RalphLRS]:
    """Ralph, started once for the module's tests (each test uses its own learners)."""
    server = RalphLRS(tmp_path_factory.mktemp("ralph"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def lab_course(tmp_path: Path) -> Path:
    """A one-module course with a practice check and a two-question quiz."""
    folder = tmp_path / "lab-course"
    folder.mkdir()
    (folder / "course.yaml").write_text(COURSE_YAML, encoding="utf-8")
    (folder / "module.yaml").write_text(MODULE_YAML, encoding="utf-8")
    return folder


def lrs_env(server: RalphLRS, data_dir: Path) -> dict[str, str]:
    """The environment of a learner's program on a lab machine pointed at `server`."""
    return {**os.environ, "IVSTEM_LRS_URL": server.url, "IVSTEM_LRS_AUTH": server.auth,
            "IVSTEM_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}


def study(course_dir: Path, store: ProgressStore, name: str, env: dict[str, str]) -> Learner:
    """A learner of the lab course, whose acts queue statements for the LRS in `env`: the
    practice check, the lesson, both quiz questions answered "true" (one right, one wrong)
    and the quiz finished (failed, 50%)."""
    course = load_course(course_dir).course
    assert course is not None
    link = open_link(store, environ=env)
    assert link is not None and link.problem is None
    learner = Learner(course, store, name, lrs=link)
    module = course.modules[0]
    lesson = module.lessons[0]
    step = lesson.steps[1]
    assert isinstance(step, CheckStep)
    check = PracticeCheck(step.check, name)
    check.attempt(BoolAnswer(True))
    learner.record_check(module, lesson, check, BoolAnswer(True))
    learner.complete_lesson(module, lesson)
    session = learner.open_quiz(module).session
    assert session is not None
    learner.start_quiz(module, session)
    for question_id in session.question_ids:
        result = session.answer(question_id, BoolAnswer(True))
        learner.record_quiz_answer(module, session, BoolAnswer(True), result, question_id)
    learner.finish_quiz(module, session)
    return learner


def queued(store: ProgressStore) -> list[str]:
    """The JSON texts waiting in the store's outbox."""
    return [q.statement_json for q in store.queued_statements(1000)]


def of(server: RalphLRS, learner: str) -> list[dict[str, Any]]:
    """The statements Ralph holds for a learner of the lab course's account home page."""
    return [s for s in server.statements()
            if s["actor"].get("account", {}).get("name") == learner]


def valid_for_ralph(statement: dict[str, Any]) -> None:
    """Raises unless Ralph's own model of an xAPI statement accepts it."""
    BaseXapiStatement.model_validate(statement)


# -- the learner's app ------------------------------------------------------------------------


def test_a_learners_statements_arrive_in_ralph_once_each_and_pass_its_validation(
        ralph: RalphLRS, lab_course: Path, tmp_path: Path) -> None:
    import json

    env = lrs_env(ralph, tmp_path / "data")
    with ProgressStore.open(tmp_path / "data") as store:
        study(lab_course, store, "Ana", env)
        sent = [json.loads(text) for text in queued(store)]
        assert len(sent) == SESSION_STATEMENTS
        for statement in sent:
            valid_for_ralph(statement)
        config = load_config(env)
        assert config is not None
        before = ralph.stored_lines()
        first = sync_outbox(store, config)
        assert (first.sent, first.new, first.waiting, first.fault) == (5, 5, 0, None)
        assert ralph.stored_lines() == before + 5
        stored = of(ralph, "Ana")
        assert {s["id"] for s in stored} == {s["id"] for s in sent}
        for statement in stored:
            valid_for_ralph(statement)
            assert statement["actor"]["account"]["homePage"] == HOMEPAGE
        verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in stored)
        assert verbs == ["answered", "answered", "answered", "completed", "failed"]


def test_sending_the_same_statements_again_stores_nothing_new(
        ralph: RalphLRS, lab_course: Path, tmp_path: Path) -> None:
    env = lrs_env(ralph, tmp_path / "data")
    config = load_config(env)
    assert config is not None
    with ProgressStore.open(tmp_path / "data") as store:
        study(lab_course, store, "Ben", env)
        texts = queued(store)
        assert sync_outbox(store, config).sent == 5
        lines = ralph.stored_lines()
        # The same statements queued again, as a second machine or a retry would send them.
        with sqlite3.connect(tmp_path / "data" / "progress.sqlite3") as raw:
            raw.executemany("INSERT INTO xapi_outbox (statement_id, learner_id, statement_json,"
                            " queued_at) VALUES (?, 1, ?, '2026-01-01')",
                            [(str(i), text) for i, text in enumerate(texts)])
        again = sync_outbox(store, config)
    assert (again.sent, again.new, again.waiting) == (5, 0, 0)
    assert ralph.stored_lines() == lines
    assert len(of(ralph, "Ben")) == 5


def test_statements_queued_while_ralph_is_down_arrive_when_it_is_back(
        lab_course: Path, tmp_path: Path) -> None:
    server = RalphLRS(tmp_path / "ralph")
    env = lrs_env(server, tmp_path / "data")
    config = load_config(env)
    assert config is not None
    with ProgressStore.open(tmp_path / "data") as store:
        study(lab_course, store, "Cy", env)
        down = sync_outbox(store, config, timeout=3)
        assert (down.sent, down.waiting) == (0, 5)
        assert down.fault is not None and "connection was refused" in down.fault
        server.start()
        try:
            up = sync_outbox(store, config)
            assert (up.sent, up.new, up.waiting, up.fault) == (5, 5, 0, None)
            assert len(server.statements()) == 5
        finally:
            server.stop()


def test_the_background_sender_posts_each_act_while_the_learner_studies(
        ralph: RalphLRS, lab_course: Path, tmp_path: Path) -> None:
    env = lrs_env(ralph, tmp_path / "data")
    with ProgressStore.open(tmp_path / "data") as store:
        learner = study(lab_course, store, "Dee", env)
        assert learner.lrs is not None
        learner.lrs.start()
        deadline = time.monotonic() + 20
        while store.outbox_status().waiting and time.monotonic() < deadline:
            time.sleep(0.1)
        learner.lrs.close()
        assert store.outbox_status().waiting == 0
    assert len(of(ralph, "Dee")) == 5


# -- the plain mode, as a learner runs it -------------------------------------------------------


def test_a_learner_in_plain_mode_lands_every_statement_in_ralph(
        ralph: RalphLRS, lab_course: Path, tmp_path: Path) -> None:
    env = lrs_env(ralph, tmp_path / "data")
    run = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--plain", "--course", str(lab_course),
         "--learner", "Eve"], input=SESSION, env=env, capture_output=True, text=True,
        timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Not passed yet: 50%" in run.stdout
    assert ralph.auth not in run.stdout + run.stderr
    stored = of(ralph, "Eve")
    assert len(stored) == SESSION_STATEMENTS
    for statement in stored:
        valid_for_ralph(statement)
    with ProgressStore.open(tmp_path / "data") as store:
        assert store.outbox_status().waiting == 0


def test_killing_the_program_mid_session_loses_no_statement(
        lab_course: Path, tmp_path: Path) -> None:
    server = RalphLRS(tmp_path / "ralph")  # down while the learner studies
    env = lrs_env(server, tmp_path / "data")
    learner = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "--plain", "--course", str(lab_course),
         "--learner", "Fay"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, env=env, text=True)
    assert learner.stdin is not None
    # Up to the second quiz answer, then no further: the session is killed mid-quiz.
    learner.stdin.write("\n\nt\n\nt\n\nt\n")
    learner.stdin.flush()
    store_file = tmp_path / "data" / "progress.sqlite3"
    deadline = time.monotonic() + 60
    waiting = 0
    while time.monotonic() < deadline:
        if store_file.exists():
            with sqlite3.connect(store_file) as raw:
                try:
                    waiting = raw.execute("SELECT count(*) FROM xapi_outbox").fetchone()[0]
                except sqlite3.Error:
                    waiting = 0
            if waiting == 4:  # the check, the lesson and both quiz answers
                break
        time.sleep(0.1)
    learner.send_signal(signal.SIGKILL)
    learner.wait(timeout=10)
    assert waiting == 4
    server.start()
    try:
        sync = subprocess.run([sys.executable, "-m", "tui.cli", "progress", "sync"], env=env,
                              capture_output=True, text=True, timeout=60)
        assert sync.returncode == 0, sync.stderr
        assert "4 sent to the LRS at 127.0.0.1" in sync.stdout
        assert "0 still queued, 0 refused" in sync.stdout
        stored = server.statements()
        assert len(stored) == 4
        assert sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in stored) == [
            "answered", "answered", "answered", "completed"]
    finally:
        server.stop()


# -- the instructor's report -------------------------------------------------------------------


def test_a_report_sends_the_class_exports_once_and_meets_what_the_apps_sent(
        ralph: RalphLRS, lab_course: Path, tmp_path: Path) -> None:
    env = lrs_env(ralph, tmp_path / "data")
    config = load_config(env)
    assert config is not None
    handed_in = tmp_path / "handed-in"
    handed_in.mkdir()
    with ProgressStore.open(tmp_path / "data") as store:
        study(lab_course, store, "Gus", env)
        study(lab_course, store, "Hal", env)
        # Gus's app sent his statements; Hal's machine was never online.
        for row in store.queued_statements(1000):
            if '"name":"Hal"' in row.statement_json:
                store.statements_sent([row.row])
        assert sync_outbox(store, config).sent == 5
        for name in ("Gus", "Hal"):
            write_export(export_document(store, name), handed_in / f"{name}.json",
                         store_path=store.path)
    command = [sys.executable, "-m", "tui.cli", "report", "--course", str(lab_course),
               str(handed_in), "--lrs", ralph.url]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "Sent 10 of 10 xAPI statements from 2 files (2 learners)" in first.stdout
    assert "5 new there, 0 refused" in first.stdout
    lines = ralph.stored_lines()
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "Sent 10 of 10" in second.stdout and "0 new there" in second.stdout
    assert ralph.stored_lines() == lines
    assert len(of(ralph, "Gus")) == 5 and len(of(ralph, "Hal")) == 5
    assert ralph.auth not in first.stdout + first.stderr + second.stdout + second.stderr


def test_the_report_and_the_app_make_the_very_same_statements(
        lab_course: Path, tmp_path: Path) -> None:
    """One builder, one id per act: what a learner's app queued, a report of their export
    makes again, field for field."""
    import json

    from course.instructor.report import build_report, xapi_statements

    env = {"IVSTEM_LRS_URL": "http://127.0.0.1:9/xAPI/", "IVSTEM_LRS_AUTH": "a:b"}
    with ProgressStore.open(tmp_path / "data") as store:
        study(lab_course, store, "Ivy", env)
        queued_now = sorted((json.loads(t) for t in queued(store)), key=lambda s: s["id"])
        write_export(export_document(store, "Ivy"), tmp_path / "ivy.json",
                     store_path=store.path)
    course = load_course(lab_course).course
    assert course is not None
    report = build_report(course, [tmp_path / "ivy.json"])
    try:
        made = sorted(xapi_statements(report, homepage=HOMEPAGE), key=lambda s: s["id"])
    finally:
        report.close()
    assert made == queued_now
    assert Statements(course).homepage == "urn:ivstem"
