"""Properties of grading, shuffles and sessions over generated questions (hypothesis)."""

from __future__ import annotations

import contextlib
import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.answers import (
    Answer,
    AnswerError,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
    format_number,
    parse_number,
)
from quizzes.grading import Verdict, correct_answer, grade
from quizzes.presentation import present, seed_bytes, seeded_order, shuffled_indexes
from quizzes.questions import (
    CategorizedItem,
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from quizzes.session import QuizSession

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)
words = st.text(
    alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=8
) | st.from_regex(r"[A-Za-z][A-Za-z0-9 .,'()-]{0,14}", fullmatch=True)
points = st.sampled_from([1.0, 2.0, 0.5, 3.0, 0.1, 10.0])
scorings = st.sampled_from(["partial", "all_or_nothing"])


def distinct(size_min: int, size_max: int) -> st.SearchStrategy[list[str]]:
    """Texts that differ even after stripping spaces, as the models require."""
    return st.lists(words, min_size=size_min, max_size=size_max, unique_by=str.strip)


@st.composite
def options_questions(draw: st.DrawFn) -> Question:
    texts = draw(distinct(2, 6))
    if draw(st.booleans()):
        right = draw(st.integers(0, len(texts) - 1))
        return SingleQuestion(
            type="single",
            id=draw(slugs),
            prompt="Which?",
            options=tuple(Option(text=t, correct=i == right) for i, t in enumerate(texts)),
            shuffle=draw(st.booleans()),
            points=draw(points),
        )
    correct = draw(st.lists(st.booleans(), min_size=len(texts), max_size=len(texts)))
    correct[draw(st.integers(0, len(texts) - 1))] = True
    return MultipleQuestion(
        type="multiple",
        id=draw(slugs),
        prompt="Which?",
        options=tuple(
            Option(text=t, correct=c, feedback=draw(st.none() | words))
            for t, c in zip(texts, correct, strict=True)
        ),
        scoring=draw(scorings),
        points=draw(points),
    )


@st.composite
def true_false_questions(draw: st.DrawFn) -> Question:
    return TrueFalseQuestion(
        type="true_false", id=draw(slugs), prompt="True?", answer=draw(st.booleans())
    )


@st.composite
def short_questions(draw: st.DrawFn) -> Question:
    mode = draw(st.sampled_from(["normalized", "exact", "regex"]))
    if mode == "regex":
        accept = draw(st.lists(st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True), min_size=1))
    else:
        accept = draw(st.lists(words, min_size=1, max_size=4))
    return ShortQuestion(
        type="short",
        id=draw(slugs),
        prompt="Which?",
        accept=tuple(accept),
        match=mode,
        ignore_accents=draw(st.booleans()),
        points=draw(points),
    )


finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)


@st.composite
def numeric_questions(draw: st.DrawFn) -> Question:
    return NumericQuestion(
        type="numeric",
        id=draw(slugs),
        prompt="How many?",
        answer=draw(finite),
        tolerance=draw(st.sampled_from([0.0, 0.5, 1.0, 10.0])),
        unit=draw(st.sampled_from(["", "mL", "%", "years", "cells/kg"])),
        points=draw(points),
    )


@st.composite
def order_questions(draw: st.DrawFn) -> Question:
    return OrderQuestion(
        type="order",
        id=draw(slugs),
        prompt="Order.",
        items=tuple(draw(distinct(2, 6))),
        scoring=draw(scorings),
        points=draw(points),
    )


@st.composite
def match_questions(draw: st.DrawFn) -> Question:
    lefts = draw(distinct(2, 5))
    rights_and_distractors = draw(distinct(len(lefts), len(lefts) + 3))
    rights, distractors = rights_and_distractors[: len(lefts)], rights_and_distractors[len(lefts) :]
    return MatchQuestion(
        type="match",
        id=draw(slugs),
        prompt="Match.",
        pairs=tuple(zip(lefts, rights, strict=True)),
        distractors=tuple(distractors),
        scoring=draw(scorings),
        points=draw(points),
    )


@st.composite
def categorize_questions(draw: st.DrawFn) -> Question:
    categories = draw(distinct(2, 4))
    texts = draw(distinct(2, 6))
    return CategorizeQuestion(
        type="categorize",
        id=draw(slugs),
        prompt="Sort.",
        categories=tuple(categories),
        items=tuple(
            CategorizedItem(text=t, category=draw(st.sampled_from(categories))) for t in texts
        ),
        scoring=draw(scorings),
        points=draw(points),
    )


questions = st.one_of(
    options_questions(),
    true_false_questions(),
    short_questions(),
    numeric_questions(),
    order_questions(),
    match_questions(),
    categorize_questions(),
)


@st.composite
def well_shaped_answers(draw: st.DrawFn, question: Question) -> Answer:
    """Any answer of the right shape: it can be graded, right or wrong."""
    if isinstance(question, SingleQuestion):
        return ChoiceAnswer({draw(st.integers(0, len(question.options) - 1))})
    if isinstance(question, MultipleQuestion):
        indexes = st.integers(0, len(question.options) - 1)
        return ChoiceAnswer(draw(st.sets(indexes, min_size=1)))
    if isinstance(question, TrueFalseQuestion):
        return BoolAnswer(draw(st.booleans()))
    if isinstance(question, ShortQuestion):
        return TextAnswer(draw(words | st.sampled_from(question.accept)))
    if isinstance(question, NumericQuestion):
        return TextAnswer(format_number(draw(finite)))
    if isinstance(question, OrderQuestion):
        return OrderAnswer(draw(st.permutations(range(len(question.items)))))
    if isinstance(question, MatchQuestion):
        ids = [f"r{i}" for i in range(len(question.pairs))]
        ids += [f"d{i}" for i in range(len(question.distractors))]
        picked = draw(st.permutations(ids))[: len(question.pairs)]
        return MatchAnswer(dict(enumerate(picked)))
    assert isinstance(question, CategorizeQuestion)
    categories = st.integers(0, len(question.categories) - 1)
    return CategorizeAnswer({i: draw(categories) for i in range(len(question.items))})


any_text = st.text(max_size=12)
small_ints = st.integers(-2, 8)
any_answers = st.one_of(
    st.builds(ChoiceAnswer, st.sets(small_ints, max_size=4)),
    st.builds(BoolAnswer, st.booleans()),
    st.builds(TextAnswer, any_text),
    st.builds(OrderAnswer, st.lists(small_ints, max_size=7)),
    st.builds(
        MatchAnswer, st.lists(st.tuples(small_ints, st.from_regex(r"[rdx]\d", fullmatch=True)))
    ),
    st.builds(CategorizeAnswer, st.lists(st.tuples(small_ints, small_ints), max_size=7)),
)


@PROPERTY
@given(questions)
def test_the_correct_answer_always_scores_full_points(question: Question) -> None:
    answer = correct_answer(question)
    assert answer is not None
    result = grade(question, answer)
    assert result.score == question.points
    assert result.verdict is Verdict.RIGHT


@PROPERTY
@given(st.data(), questions)
def test_every_well_shaped_answer_scores_within_zero_and_the_points(
    data: st.DataObject, question: Question
) -> None:
    answer = data.draw(well_shaped_answers(question))
    try:
        result = grade(question, answer)
    except AnswerError as error:  # a typed text may still be unreadable, never anything else
        assert isinstance(answer, TextAnswer)
        assert error.message
        return
    assert 0 <= result.score <= question.points
    assert (result.verdict is Verdict.RIGHT) == (result.score == question.points)
    assert (result.verdict is Verdict.WRONG) == (result.score == 0)


@PROPERTY
@given(questions, any_answers)
def test_any_answer_at_all_is_graded_within_bounds_or_refused_with_a_message(
    question: Question, answer: Answer
) -> None:
    try:
        result = grade(question, answer)
    except AnswerError as error:
        assert error.message
        return
    assert 0 <= result.score <= question.points


@PROPERTY
@given(st.integers(0, 40), st.text(max_size=10), st.text(max_size=10), st.text(max_size=10))
def test_a_shuffle_is_a_permutation_and_the_same_for_the_same_seed(
    count: int, learner: str, subject: str, purpose: str
) -> None:
    seed = seed_bytes(learner, subject, purpose)
    order = shuffled_indexes(count, seed)
    assert sorted(order) == list(range(count))
    assert shuffled_indexes(count, seed) == order
    labels = [f"q{n}" for n in range(count)]
    assert sorted(seeded_order(labels, seed)) == sorted(labels)


@PROPERTY
@given(questions, st.text(max_size=10))
def test_a_presentation_is_a_permutation_and_the_same_for_the_same_learner(
    question: Question, learner: str
) -> None:
    presentation = present(question, learner)
    assert present(question, learner) == presentation
    assert presentation.fits(question)
    if isinstance(question, OrderQuestion):
        assert presentation.order != tuple(range(len(question.items)))


@st.composite
def pools(draw: st.DrawFn) -> list[Question]:
    pool = draw(st.lists(questions, min_size=1, max_size=6, unique_by=lambda q: q.id))
    return pool


@PROPERTY
@given(st.data(), pools(), st.text(max_size=8), st.integers(1, 4))
def test_a_session_survives_a_json_round_trip_unchanged(
    data: st.DataObject, pool: list[Question], learner: str, attempt: int
) -> None:
    session = QuizSession.start(
        pool,
        quiz_id="module",
        learner=learner,
        pass_mark=data.draw(st.sampled_from([0.5, 0.8, 1.0])),
        draw=data.draw(st.integers(1, len(pool))),
        shuffle=data.draw(st.booleans()),
        attempt=attempt,
    )
    for qid in session.question_ids:
        question = session.question(qid)
        if data.draw(st.booleans()):
            session.use_hint(qid)
        if data.draw(st.booleans()):
            with contextlib.suppress(AnswerError):  # typed text the reader refuses
                session.answer(qid, data.draw(well_shaped_answers(question)))
    resumed, changes = QuizSession.from_json(session.to_json(), pool)
    assert changes == ()
    assert resumed == session
    assert resumed.to_json() == session.to_json()
    assert resumed.outcome() == session.outcome()


@PROPERTY
@given(finite)
def test_a_formatted_number_reads_back_as_the_same_number(value: float) -> None:
    assert parse_number(format_number(value)) == value


@PROPERTY
@given(st.text(max_size=16))
def test_reading_a_number_either_gives_a_finite_number_or_a_message(text: str) -> None:
    try:
        value = parse_number(text)
    except AnswerError as error:
        assert error.message
        return
    assert math.isfinite(value)


@PROPERTY
@given(st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True))
def test_a_plain_regex_accept_entry_is_its_own_example_answer(word: str) -> None:
    question = ShortQuestion(type="short", id="q", prompt="?", accept=(word,), match="regex")
    assert re.fullmatch(word, word)
    assert correct_answer(question) == TextAnswer(word)
