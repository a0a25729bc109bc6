"""Quiz sessions: draw, record answers and hints, total, pass or fail, save and resume."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizzes.answers import AnswerError, BoolAnswer, ChoiceAnswer, TextAnswer
from quizzes.grading import Verdict
from quizzes.questions import NumericQuestion, Option, Question, SingleQuestion, TrueFalseQuestion
from quizzes.session import QuizSession, SessionError, attempt_allowed, passes


def single(n: int, points: float = 1, hint: str | None = None) -> SingleQuestion:
    """Question `q<n>`: option 0 is right."""
    return SingleQuestion(
        type="single",
        id=f"q{n}",
        prompt=f"Question {n}?",
        options=(Option(text="Right", correct=True), Option(text="Wrong"), Option(text="Other")),
        points=points,
        hint=hint,
    )


POOL: list[Question] = [single(n) for n in range(10)]


def start(
    pool: list[Question] | None = None,
    *,
    draw: int | None = 5,
    pass_mark: float = 0.8,
    shuffle: bool = True,
    attempt: int = 1,
) -> QuizSession:
    """A session for learner ada on quiz `mechanisms`."""
    return QuizSession.start(
        POOL if pool is None else pool,
        quiz_id="mechanisms",
        learner="ada",
        draw=draw,
        pass_mark=pass_mark,
        shuffle=shuffle,
        attempt=attempt,
    )


RIGHT = ChoiceAnswer({0})
WRONG = ChoiceAnswer({1})


# --- Drawing ---------------------------------------------------------------------------------


def test_a_session_draws_the_asked_number_of_distinct_questions_from_the_pool() -> None:
    session = start()
    assert len(session.question_ids) == 5
    assert len(set(session.question_ids)) == 5
    assert set(session.question_ids) <= {q.id for q in POOL}


def test_without_draw_every_question_of_the_pool_is_asked() -> None:
    assert sorted(start(draw=None).question_ids) == sorted(q.id for q in POOL)


def test_the_same_learner_quiz_and_attempt_get_the_same_questions_in_the_same_order() -> None:
    assert start().question_ids == start().question_ids
    assert start().entries == start().entries


def test_other_attempts_and_other_learners_get_other_draws() -> None:
    first = start().question_ids
    assert any(start(attempt=n).question_ids != first for n in range(2, 8))
    others = {
        QuizSession.start(
            POOL, quiz_id="mechanisms", learner=f"l{n}", pass_mark=0.8, draw=5
        ).question_ids
        for n in range(10)
    }
    assert len(others) > 1


def test_shuffle_false_asks_the_drawn_questions_in_pool_order() -> None:
    ids = start(shuffle=False).question_ids
    pool_order = [q.id for q in POOL]
    assert list(ids) == sorted(ids, key=pool_order.index)
    assert start(draw=None, shuffle=False).question_ids == tuple(pool_order)


@pytest.mark.parametrize("draw", [0, 11, -1])
def test_drawing_more_than_the_pool_or_nothing_is_refused(draw: int) -> None:
    with pytest.raises(ValueError, match="cannot draw"):
        start(draw=draw)


@pytest.mark.parametrize("pass_mark", [0, -0.1, 1.01])
def test_a_pass_mark_outside_zero_to_one_is_refused(pass_mark: float) -> None:
    with pytest.raises(ValueError, match="pass_mark"):
        start(pass_mark=pass_mark)


def test_a_pool_with_two_questions_of_one_id_is_refused() -> None:
    with pytest.raises(ValueError, match="two questions with the id 'q1'"):
        start([single(1), single(1)], draw=None)


def test_each_question_gets_its_presentation_for_this_learner_and_attempt() -> None:
    session = start(attempt=3)
    for qid in session.question_ids:
        order = session.presentation(qid).order
        assert sorted(order) == [0, 1, 2]


# --- Answering -------------------------------------------------------------------------------


def test_answering_grades_and_records_the_answer_and_result() -> None:
    session = start()
    first = session.question_ids[0]
    result = session.answer(first, RIGHT)
    assert result.verdict is Verdict.RIGHT
    assert session.entry(first).answer == RIGHT
    assert session.entry(first).result == result


def test_the_current_question_is_the_first_unanswered_one() -> None:
    session = start()
    ids = session.question_ids
    session.answer(ids[1], RIGHT)
    assert session.current is not None and session.current.id == ids[0]
    session.answer(ids[0], RIGHT)
    assert session.current is not None and session.current.id == ids[2]


def test_a_question_cannot_be_answered_twice_in_a_graded_quiz() -> None:
    session = start()
    first = session.question_ids[0]
    session.answer(first, WRONG)
    with pytest.raises(SessionError, match="already been answered"):
        session.answer(first, RIGHT)
    assert session.entry(first).answer == WRONG


def test_a_malformed_answer_is_an_answer_error_and_records_nothing() -> None:
    session = start()
    first = session.question_ids[0]
    with pytest.raises(AnswerError):
        session.answer(first, ChoiceAnswer({0, 1}))
    assert not session.entry(first).answered
    assert session.answer(first, RIGHT).verdict is Verdict.RIGHT


def test_answering_a_question_not_in_the_quiz_is_a_session_error() -> None:
    session = start(draw=5)
    absent = next(q.id for q in POOL if q.id not in session.question_ids)
    with pytest.raises(SessionError, match="not in this quiz"):
        session.answer(absent, RIGHT)


def test_a_hint_used_before_answering_is_recorded_with_the_result_and_costs_nothing() -> None:
    session = start([single(1, hint="Think of secretions."), single(2)], draw=None)
    assert session.use_hint("q1") == "Think of secretions."
    result = session.answer("q1", RIGHT)
    assert result.hint_used is True
    assert result.score == 1.0
    assert session.entry("q1").hint_used
    assert session.outcome().hints_used == 1


def test_a_question_without_a_hint_or_a_hint_after_answering_is_not_recorded() -> None:
    session = start([single(1, hint="A hint."), single(2)], draw=None)
    assert session.use_hint("q2") is None
    session.answer("q1", RIGHT)
    assert session.use_hint("q1") == "A hint."
    assert session.outcome().hints_used == 0


# --- Totals ----------------------------------------------------------------------------------


def test_score_and_total_add_up_points_and_unanswered_questions_count_zero() -> None:
    pool: list[Question] = [single(1, points=2), single(2, points=3), single(3, points=5)]
    session = start(pool, draw=None)
    session.answer("q1", RIGHT)
    session.answer("q2", WRONG)
    outcome = session.outcome()
    assert (outcome.score, outcome.total) == (2.0, 10.0)
    assert (outcome.answered, outcome.asked, outcome.finished) == (2, 3, False)


def test_reaching_the_pass_mark_exactly_passes_and_falling_short_fails() -> None:
    session = start(draw=5, pass_mark=0.8)
    for qid in session.question_ids[:4]:
        session.answer(qid, RIGHT)
    session.answer(session.question_ids[4], WRONG)
    assert session.finished
    assert session.outcome().passed
    strict = start(draw=5, pass_mark=0.81)
    for qid in strict.question_ids[:4]:
        strict.answer(qid, RIGHT)
    strict.answer(strict.question_ids[4], WRONG)
    assert not strict.outcome().passed


def test_float_rounding_does_not_fail_a_learner_who_reached_the_pass_mark() -> None:
    assert 0.1 + 0.7 < 0.8  # the rounding this guards against
    pool: list[Question] = [single(1, points=0.1), single(2, points=0.7), single(3, points=0.2)]
    session = start(pool, draw=None, pass_mark=0.8)
    session.answer("q1", RIGHT)
    session.answer("q2", RIGHT)
    session.answer("q3", WRONG)
    assert session.outcome().passed


def test_passes_needs_points_to_pass() -> None:
    assert not passes(0, 0, 0.5)
    assert passes(1, 1, 1.0)


@pytest.mark.parametrize(
    ("used", "allowed", "expected"),
    [(0, 0, True), (99, 0, True), (0, 1, True), (1, 1, False), (2, 3, True), (3, 3, False)],
)
def test_another_attempt_is_allowed_below_the_limit_and_always_when_unlimited(
    used: int, allowed: int, expected: bool
) -> None:
    assert attempt_allowed(used, allowed) is expected


def test_negative_attempt_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        attempt_allowed(-1, 3)


# --- Saving and resuming ---------------------------------------------------------------------


HINTED: list[Question] = [single(n, hint="A hint.") for n in range(8)]


def half_done() -> QuizSession:
    """A session with two of five questions answered, a hint used on the third."""
    session = start(HINTED)
    ids = session.question_ids
    session.answer(ids[0], RIGHT)
    session.answer(ids[1], WRONG)
    session.use_hint(ids[2])
    return session


def test_a_session_left_halfway_resumes_with_the_same_questions_order_and_answers() -> None:
    session = half_done()
    resumed, changes = QuizSession.from_json(session.to_json(), HINTED)
    assert changes == ()
    assert resumed == session
    assert resumed.question_ids == session.question_ids
    assert resumed.entries == session.entries
    assert resumed.current == session.current
    assert resumed.outcome() == session.outcome()


def test_a_removed_question_is_replaced_by_an_unused_one_and_the_change_is_reported() -> None:
    session = half_done()
    answered = session.question_ids[0]
    pool = [q for q in HINTED if q.id != answered]
    resumed, changes = QuizSession.from_json(session.to_json(), pool)
    assert len(changes) == 1
    change = changes[0]
    assert change.question_id == answered
    assert change.replaced_by is not None
    assert change.replaced_by not in session.question_ids
    assert "no longer in the course" in change.message
    assert resumed.question_ids[0] == change.replaced_by
    assert not resumed.entry(change.replaced_by).answered
    assert resumed.question_ids[1:] == session.question_ids[1:]


def test_a_removed_question_with_nothing_to_replace_it_shortens_the_quiz() -> None:
    pool: list[Question] = [single(n) for n in range(3)]
    session = start(pool, draw=None)
    resumed, changes = QuizSession.from_json(session.to_json(), pool[1:])
    assert resumed.question_ids == tuple(i for i in session.question_ids if i != "q0")
    assert [(c.question_id, c.replaced_by) for c in changes] == [("q0", None)]
    assert "one question shorter" in changes[0].message


def test_an_unanswered_question_whose_options_changed_is_shown_afresh() -> None:
    pool: list[Question] = [single(1), single(2)]
    session = start(pool, draw=None)
    session.answer("q1", WRONG)
    changed = [
        replace(single(1), options=single(1).options[:2]),
        replace(single(2), options=single(2).options[:2]),
    ]
    resumed, changes = QuizSession.from_json(session.to_json(), changed)
    assert [c.question_id for c in changes] == ["q2"]
    assert sorted(resumed.presentation("q2").order) == [0, 1]
    assert resumed.entry("q1") == session.entry("q1")


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"format": 99}',
        '{"format": 1, "quiz": "m"}',
        '{"format": 1, "quiz": 1}',
        '{"format": 1, "quiz": "m", "learner": "a", "attempt": 1, "pass_mark": 2, "entries": []}',
        '{"format": 1, "quiz": "m", "learner": "a", "attempt": 1, "pass_mark": 1, "entries": [1]}',
    ],
)
def test_saved_data_that_is_not_a_session_is_a_session_error(text: str) -> None:
    with pytest.raises(SessionError, match="could not be read"):
        QuizSession.from_json(text, POOL)


def test_mixed_question_types_survive_a_round_trip() -> None:
    pool: list[Question] = [
        TrueFalseQuestion(type="true_false", id="tf", prompt="True?", answer=True),
        NumericQuestion(type="numeric", id="year", prompt="Year?", answer=2024.0, unit="AD"),
        single(1),
    ]
    session = start(pool, draw=None)
    session.answer("tf", BoolAnswer(False))
    session.answer("year", TextAnswer("2,024 AD"))
    resumed, _ = QuizSession.from_json(session.to_json(), pool)
    assert resumed == session
    assert resumed.entry("year").answer == TextAnswer("2,024 AD")
