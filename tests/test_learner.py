"""The rules of studying, at the study layer (`course.record.learner`), with no interface.

Each test is one rule a learner meets in both the app and the plain mode. The shipped course is
used as a learner meets it (sequential gating), and open-gated where a rule needs skipping about.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.model import CheckStep, Course, Module
from course.paths import shipped_course_dir
from course.record.learner import Learner
from course.record.progress import NotSavedError, ProgressStore
from course.record.study import IDLE_CAP, ModuleState, Place, StudyClock
from quizzes.answers import Answer
from quizzes.grading import correct_answer, grade
from quizzes.practice import PracticeCheck
from quizzes.questions import Question
from quizzes.session import QuizSession
from tests.open_course import open_copy


def loaded(folder: Path) -> Course:
    result = load_course(folder)
    assert result.course is not None, result.problems
    return result.course


@pytest.fixture(scope="module")
def course() -> Course:
    return loaded(shipped_course_dir())


@pytest.fixture(scope="module")
def open_course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    return loaded(open_copy(tmp_path_factory.mktemp("learner")))


class Ticks:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def learner_of(course: Course, store: ProgressStore | None = None, **options: object) -> Learner:
    return Learner(course, store or ProgressStore.in_memory(), "ana", **options)  # type: ignore[arg-type]


def right(question: Question) -> Answer:
    answer = correct_answer(question)
    assert answer is not None
    return answer


def wrong(question: Question) -> Answer:
    """An answer with no credit: every other answer of a true/false, or an empty choice."""
    from quizzes.answers import BoolAnswer, ChoiceAnswer, TextAnswer
    from quizzes.questions import TrueFalseQuestion

    if isinstance(question, TrueFalseQuestion):
        return BoolAnswer(not question.answer)
    answer = correct_answer(question)
    if isinstance(answer, ChoiceAnswer):
        options = getattr(question, "options", ())
        others = [i for i in range(len(options)) if i not in answer.option_indexes]
        return ChoiceAnswer(others[:1])
    return TextAnswer("zzz")


def first_check(module: Module) -> tuple[CheckStep, int, object]:
    for lesson in module.lessons:
        for index, step in enumerate(lesson.steps):
            if isinstance(step, CheckStep):
                return step, index, lesson
    raise AssertionError("no practice check")


# --- where to continue ----------------------------------------------------------------------


def test_a_new_learner_continues_at_the_first_step_of_the_first_lesson(course: Course) -> None:
    learner = learner_of(course)
    first = course.modules[0]
    assert learner.continue_place() == Place(first.id, first.lessons[0].id, 0)
    assert not learner.has_started()


def test_a_step_reached_is_where_the_learner_continues(course: Course) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    lesson = module.lessons[1]
    learner.reach_step(module, lesson, 2)
    assert learner.continue_place() == Place(module.id, lesson.id, 2)
    assert learner.store.steps_reached("ana", course.id, module.id, lesson.id) == {2}


def test_with_sequential_gating_the_second_module_is_locked_until_the_first_is_passed(
        course: Course) -> None:
    learner = learner_of(course)
    states = [s.state for s in learner.standings()]
    assert states[0] is ModuleState.OPEN
    assert states[1] is ModuleState.LOCKED
    assert learner_of(course, open_all=True).standings()[1].state is ModuleState.OPEN


# --- lessons ----------------------------------------------------------------------------------


def test_finishing_a_lesson_leads_to_the_next_and_says_so(course: Course) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    learner.complete_lesson(module, module.lessons[0])
    done = learner.after_lesson(module, module.lessons[0])
    assert done.next_place == Place(module.id, module.lessons[1].id, 0)
    assert done.notice.startswith(f"✓ Lesson complete: {module.lessons[0].title}")


def test_finishing_the_last_lesson_leads_to_the_quiz(course: Course) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    for lesson in module.lessons:
        learner.complete_lesson(module, lesson)
    done = learner.after_lesson(module, module.lessons[-1])
    assert done.next_place == Place(module.id, quiz=True)
    assert "the quiz is next" in done.notice


def test_a_module_without_a_quiz_is_passed_with_its_last_lesson(course: Course) -> None:
    module = dataclasses.replace(course.modules[0], quiz=None)
    without_quiz = dataclasses.replace(course, modules=(module, *course.modules[1:]))
    learner = learner_of(without_quiz)
    for lesson in module.lessons[:-1]:
        learner.complete_lesson(module, lesson)
    assert learner.standing(module).state is not ModuleState.PASSED
    learner.complete_lesson(module, module.lessons[-1])
    assert learner.standing(module).state is ModuleState.PASSED
    assert learner.standings()[1].state is not ModuleState.LOCKED


# --- practice checks --------------------------------------------------------------------------


def test_only_the_first_try_of_a_check_is_scheduled_for_review(course: Course) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    step, _, lesson = first_check(module)
    check = PracticeCheck(step.check, "ana")
    check.attempt(wrong(step.check))
    learner.record_check(module, lesson, check, wrong(step.check))  # type: ignore[arg-type]
    card = learner.store.review_card("ana", course.id, step.check.id)
    assert card is not None
    check.attempt(right(step.check))
    learner.record_check(module, lesson, check, right(step.check))  # type: ignore[arg-type]
    assert learner.store.review_card("ana", course.id, step.check.id) == card
    answers = learner.store.answers("ana", course.id, question_id=step.check.id)
    assert [a.where for a in answers] == ["check", "check"]
    assert [a.score for a in answers] == [0.0, 1.0]


# --- module quizzes ---------------------------------------------------------------------------


def test_a_new_attempt_is_kept_only_once_started(course: Course) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    opened = learner.open_quiz(module)
    assert opened.session is not None and not opened.resumed
    assert learner.open_quiz(module).resumed is False
    learner.start_quiz(module, opened.session)
    again = learner.open_quiz(module)
    assert again.resumed and again.session == opened.session


def test_an_answer_and_the_attempt_it_moves_on_are_kept_together(course: Course) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    session = learner.open_quiz(module).session
    assert session is not None
    learner.start_quiz(module, session)
    question = session.current
    assert question is not None
    result = session.answer(question.id, right(question))
    learner.record_quiz_answer(module, session, right(question), result, question.id)
    resumed = learner.open_quiz(module).session
    assert resumed is not None and resumed.entry(question.id).answered
    [kept] = learner.store.answers("ana", course.id, where="quiz")
    assert (kept.question_id, kept.score, kept.points) == (question.id, 1.0, question.points)


def test_when_keeping_an_answer_fails_neither_answer_nor_attempt_moves(
        course: Course, monkeypatch: pytest.MonkeyPatch) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    session = learner.open_quiz(module).session
    assert session is not None
    learner.start_quiz(module, session)
    question = session.current
    assert question is not None
    result = session.answer(question.id, right(question))

    def full(*args: object, **kwargs: object) -> None:
        raise NotSavedError("The disk is full.")

    monkeypatch.setattr(learner.store, "record_answer", full)
    with pytest.raises(NotSavedError):
        learner.record_quiz_answer(module, session, right(question), result, question.id)
    monkeypatch.undo()
    resumed = learner.open_quiz(module).session
    assert resumed is not None and not resumed.entry(question.id).answered
    assert session.entry(question.id).answered  # still graded on screen


def test_a_hint_seen_in_a_quiz_is_kept_at_once(course: Course) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    session = learner.open_quiz(module).session
    assert session is not None
    learner.start_quiz(module, session)
    question = next(q for q in session.questions if q.hint)
    learner.use_quiz_hint(module, session, question.id)
    resumed = learner.open_quiz(module).session
    assert resumed is not None
    result = resumed.answer(question.id, right(question))
    assert result.hint_used


def test_a_saved_attempt_that_cannot_be_read_gives_way_to_a_new_one(course: Course) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    learner.store.save_quiz_state("ana", course.id, module.id, '{"version": 999}')
    opened = learner.open_quiz(module)
    assert opened.session is not None and not opened.resumed
    assert opened.unreadable


def test_finishing_a_passed_quiz_passes_the_module_and_opens_the_next(course: Course) -> None:
    learner = learner_of(course)
    module = course.modules[0]
    session = learner.open_quiz(module).session
    assert session is not None
    learner.start_quiz(module, session)
    while (question := session.current) is not None:
        result = session.answer(question.id, right(question))
        learner.record_quiz_answer(module, session, right(question), result, question.id)
    outcome = learner.finish_quiz(module, session)
    assert outcome.passed
    assert learner.attempts_used(module) == 1
    assert learner.standing(module).state is ModuleState.PASSED
    assert learner.standings()[1].state is ModuleState.OPEN
    assert learner.open_quiz(module).resumed is False  # the finished attempt is not resumed


def test_the_course_limits_the_attempts(course: Course) -> None:
    settings = dataclasses.replace(course.settings, quiz_attempts=1)
    limited = dataclasses.replace(
        course, manifest=dataclasses.replace(course.manifest, settings=settings))
    learner = learner_of(limited)
    module = limited.modules[0]
    session = learner.open_quiz(module).session
    assert session is not None
    learner.start_quiz(module, session)
    learner.finish_quiz(module, session)
    assert not learner.can_take_quiz_again(module)
    refused = learner.open_quiz(module)
    assert refused.session is None
    assert refused.no_attempts_left == ("You have used all 1 attempts this course allows at"
                                        " this quiz. Your best result stands.")


def with_attempts(course: Course, attempts: int) -> Course:
    settings = dataclasses.replace(course.settings, quiz_attempts=attempts)
    return dataclasses.replace(
        course, manifest=dataclasses.replace(course.manifest, settings=settings))


def two_windows(course: Course, data_dir: Path) -> tuple[Learner, Learner]:
    """The same learner in two windows: two processes' stores on one file."""
    return (Learner(course, ProgressStore.open(data_dir), "ana"),
            Learner(course, ProgressStore.open(data_dir), "ana"))


def answer_all(learner: Learner, module: Module, session: QuizSession) -> None:
    while (question := session.current) is not None:
        result = session.answer(question.id, right(question))
        learner.record_quiz_answer(module, session, right(question), result, question.id)


def test_one_sitting_finished_in_two_windows_is_one_attempt(
        course: Course, tmp_path: Path) -> None:
    limited = with_attempts(course, 2)
    module = limited.modules[0]
    first, second = two_windows(limited, tmp_path)
    opened = first.open_quiz(module)
    assert opened.session is not None
    first.start_quiz(module, opened.session)
    resumed = second.open_quiz(module)  # the other window finds the sitting under way
    assert resumed.resumed and resumed.session is not None
    answer_all(first, module, opened.session)
    answer_all(second, module, resumed.session)
    first.finish_quiz(module, opened.session)
    second.finish_quiz(module, resumed.session)
    assert first.attempts_used(module) == 1
    assert second.attempts_used(module) == 1
    again = second.open_quiz(module)  # the second attempt the course allows is still there
    assert again.session is not None and again.session.attempt == 2
    assert not again.resumed


def test_two_windows_that_each_drew_the_sitting_before_it_started_count_it_once(
        course: Course, tmp_path: Path) -> None:
    limited = with_attempts(course, 2)
    module = limited.modules[0]
    first, second = two_windows(limited, tmp_path)
    one, two = first.open_quiz(module).session, second.open_quiz(module).session
    assert one is not None and two is not None
    assert one.attempt == two.attempt == 1  # the same draw: one sitting
    first.start_quiz(module, one)
    second.start_quiz(module, two)
    answer_all(first, module, one)
    first.finish_quiz(module, one)
    answer_all(second, module, two)  # answered after the other window finished the sitting
    assert second.open_quiz(module).resumed is False  # a finished sitting does not come back
    second.finish_quiz(module, two)
    assert [a.id for a in first.store.quiz_attempts("ana", limited.id, module.id)] == [1]
    assert first.can_take_quiz_again(module)


def test_a_window_left_on_a_finished_sitting_does_not_clear_the_next_one(
        course: Course, tmp_path: Path) -> None:
    module = course.modules[0]
    first, second = two_windows(course, tmp_path)
    stale = first.open_quiz(module).session
    assert stale is not None
    first.start_quiz(module, stale)
    answer_all(first, module, stale)
    first.finish_quiz(module, stale)
    following = second.open_quiz(module).session
    assert following is not None and following.attempt == 2
    second.start_quiz(module, following)
    first.finish_quiz(module, stale)  # the old window finishes its sitting again
    assert second.open_quiz(module).resumed  # sitting 2 is still under way
    assert first.attempts_used(module) == 1


# --- review -------------------------------------------------------------------------------------


def test_a_review_answer_is_kept_with_its_next_date(course: Course) -> None:
    moment = [datetime(2026, 3, 2, 12, tzinfo=UTC)]
    learner = learner_of(course, ProgressStore.in_memory(clock=lambda: moment[0]))
    module = course.modules[0]
    step, _, lesson = first_check(module)
    check = PracticeCheck(step.check, "ana")
    check.attempt(wrong(step.check))
    learner.record_check(module, lesson, check, wrong(step.check))  # type: ignore[arg-type]
    assert learner.due_count() == 0
    later = learner.next_due()
    assert later is not None
    moment[0] = later
    [item] = learner.due_for_review()
    result = grade(item.question, right(item.question))
    learner.record_review(item, right(item.question), result)
    following = learner.next_review(item.question.id)
    assert following is not None and following > later
    assert [a.where for a in learner.store.answers("ana", course.id)] == ["check", "review"]


def test_the_review_summary_says_how_it_went_and_what_is_next(course: Course) -> None:
    learner = learner_of(course)
    assert learner.review_summary(0, 0) == [
        "Nothing is due for review yet. Questions you answer in quizzes and practice checks"
        " come back here when you are about to forget them."]
    module = course.modules[0]
    step, _, lesson = first_check(module)
    check = PracticeCheck(step.check, "ana")
    check.attempt(right(step.check))
    learner.record_check(module, lesson, check, right(step.check))  # type: ignore[arg-type]
    lines = learner.review_summary(2, 1)
    assert lines[0] == "Reviewed 2 questions: 1 right."
    assert lines[1].startswith("Nothing is due for review now; the next question is due")


# --- time studied -------------------------------------------------------------------------------


def test_time_counts_between_actions_up_to_the_cap(course: Course) -> None:
    ticks = Ticks()
    learner = learner_of(course, clock=StudyClock(ticks))
    module = course.modules[0]
    ticks.now = 40.0
    learner.count_time(module.id)
    ticks.now += 10 * IDLE_CAP
    learner.count_time(module.id)
    summary = learner.store.summary("ana", course.id)[module.id]
    assert summary.seconds_spent == pytest.approx(40.0 + IDLE_CAP)


def test_time_before_studying_starts_does_not_count(course: Course) -> None:
    ticks = Ticks()
    learner = learner_of(course, clock=StudyClock(ticks))
    module = course.modules[0]
    ticks.now = 200.0  # on the course map
    learner.start_studying()
    ticks.now = 230.0
    learner.count_time(module.id)
    summary = learner.store.summary("ana", course.id)[module.id]
    assert summary.seconds_spent == pytest.approx(30.0)


def test_the_open_course_lets_a_quiz_wait_for_its_lessons(open_course: Course) -> None:
    learner = learner_of(open_course)
    module = open_course.modules[2]
    assert learner.standing(module).state is ModuleState.OPEN
    assert not learner.standing(module).quiz_open


def test_a_passed_quiz_moves_continue_on_to_the_next_module(course: Course) -> None:
    learner = learner_of(course)
    module, following = course.modules[0], course.modules[1]
    for lesson in module.lessons:
        learner.complete_lesson(module, lesson)
    learner.go_to(Place(module.id, quiz=True))
    session = learner.open_quiz(module).session
    assert session is not None
    while (question := session.current) is not None:
        session.answer(question.id, right(question))
    learner.finish_quiz(module, session)
    assert learner.continue_place() == Place(following.id, following.lessons[0].id, 0)
    assert learner.opened_by(module) == [following]


def test_after_a_module_without_a_quiz_continue_goes_to_the_next_module(course: Course) -> None:
    module = dataclasses.replace(course.modules[0], quiz=None)
    without_quiz = dataclasses.replace(course, modules=(module, *course.modules[1:]))
    learner = learner_of(without_quiz)
    for lesson in module.lessons:
        learner.complete_lesson(module, lesson)
    done = learner.after_lesson(module, module.lessons[-1])
    assert done.next_place is None
    learner.go_on(done.next_place)
    following = course.modules[1]
    assert learner.continue_place() == Place(following.id, following.lessons[0].id, 0)
