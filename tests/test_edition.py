"""A new edition of the shipped course: a first-edition learner keeps everything and is told once.

The store is written as the first edition (version 2026.11) wrote it: answers to questions that
the second edition replaced (`evidence-before-ryoncil`, `orientation-where-to-check`), kept
ones, completed lessons, a passed quiz and a place to continue.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.model import Course
from course.record import edition
from course.record.dashboard import build
from course.record.progress import ProgressStore
from course.record.review import due_items
from course.record.study import ModuleState, Place
from tui.app import make_app
from tui.screens.modals import ChangesModal

SHIPPED = Path(__file__).parent.parent / "course" / "content" / "iv-stem-cell-therapy"
LEARNER = "first"
REPLACED = ("evidence-before-ryoncil", "orientation-where-to-check")


@pytest.fixture(scope="module")
def course() -> Course:
    """The second edition, as shipped."""
    result = load_course(SHIPPED)
    assert result.course is not None, result.problems
    return result.course


def first_edition_store(folder: Path, course: Course) -> ProgressStore:
    """A learner's record made under the first edition."""
    store = ProgressStore.open(folder)
    cid = course.id
    orientation = course.modules[0]
    for lesson in orientation.lessons:
        store.complete_lesson(LEARNER, cid, orientation.id, lesson.id)
    store.record_answer(LEARNER, cid, "orientation-where-to-check", "check",
                        '{"choice": [0]}', 0.0, 0.0, 0, orientation.id,
                        orientation.lessons[-1].id)
    store.record_answer(LEARNER, cid, "evidence-before-ryoncil", "quiz", '{"value": true}',
                        0.0, 0.0, 0, "evidence", None)
    store.finish_quiz(LEARNER, cid, orientation.id, 0.9, 9.0, True, "{}")
    store.set_position(LEARNER, cid, Place("mechanisms", course.modules[1].lessons[0].id,
                                           1).to_position())
    return store


def test_the_shipped_course_is_a_new_edition_that_says_what_changed(course: Course) -> None:
    assert course.manifest.version == "2026.12"
    assert course.manifest.changes and "scenario" in course.manifest.changes
    ids = {q.id for q in _questions(course)}
    assert not ids & set(REPLACED), "a replaced question is still in the course"


def _questions(course: Course) -> list:  # type: ignore[type-arg]
    from course.record.review import questions_of

    return [asked.question for asked in questions_of(course).values()]


def test_a_first_edition_learner_keeps_every_record_and_is_told_once(
    tmp_path: Path, course: Course
) -> None:
    store = first_edition_store(tmp_path, course)
    standing = {s.module.id: s for s in _standings(course, store)}
    assert standing["orientation"].state is ModuleState.PASSED
    assert standing["mechanisms"].state is not ModuleState.LOCKED

    assert edition.news(course, store, LEARNER) == course.manifest.changes
    edition.note_seen(course, store, LEARNER)
    assert edition.news(course, store, LEARNER) is None


def test_answers_to_replaced_questions_are_kept_but_no_longer_count(
    tmp_path: Path, course: Course
) -> None:
    store = first_edition_store(tmp_path, course)
    kept = {answer.question_id for answer in store.answers(LEARNER, course.id)}
    assert set(REPLACED) <= kept
    later = store.now().replace(year=store.now().year + 1)
    assert not {item.question.id for item in due_items(course, store, LEARNER, later)} & set(
        REPLACED)
    figures = build(course, store, LEARNER, store.now())
    assert all(topic.answered == 0 for topic in figures.weakest)
    modules = {m.module.id: m for m in figures.modules}
    assert modules["orientation"].standing.best_score == pytest.approx(0.9)


def test_a_learner_new_to_the_course_is_not_told_what_changed(tmp_path: Path,
                                                               course: Course) -> None:
    store = ProgressStore.open(tmp_path)
    assert edition.news(course, store, "newcomer") is None
    edition.note_seen(course, store, "newcomer")
    assert edition.news(course, store, "newcomer") is None


def _standings(course: Course, store: ProgressStore):  # type: ignore[no-untyped-def]
    from course.record.study import standings

    return standings(course, store.summary(LEARNER, course.id),
                     store.passed_modules(LEARNER, course.id))


async def test_the_map_tells_a_first_edition_learner_what_changed_once(
    tmp_path: Path, course: Course
) -> None:
    first_edition_store(tmp_path, course).close()
    for told in (True, False):
        app = make_app(learner=LEARNER, data_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await app.loaded.wait()
            for _ in range(20):
                await pilot.pause(0.05)
                if isinstance(app.screen, ChangesModal):
                    break
            if told:
                assert isinstance(app.screen, ChangesModal)
                text = " ".join(str(w.render()) for w in app.screen.query("Static"))
                assert "What changed in this edition (2026.12)" in text
                await pilot.press("escape")
                await pilot.pause()
                assert not isinstance(app.screen, ChangesModal)
            else:
                assert not isinstance(app.screen, ChangesModal)


def test_the_plain_mode_tells_a_first_edition_learner_what_changed_once(
    tmp_path: Path, course: Course
) -> None:
    first_edition_store(tmp_path, course).close()
    command = [sys.executable, "-m", "tui.cli", "--plain", "--learner", LEARNER,
               "--data-dir", str(tmp_path)]
    runs = [subprocess.run(command, input="q\n", capture_output=True, text=True, timeout=60,
                           check=False) for _ in range(2)]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr
    assert "What changed in this edition (2026.12)" in runs[0].stdout
    assert edition.PROGRESS_KEPT.split(".")[0] in runs[0].stdout
    assert "What changed" not in runs[1].stdout
