"""A learner who studies a whole course through the study layer, as the app records it.

Every lesson is read and every module quiz is taken for real (a session drawn, each answer
graded and saved, the attempt finished), with answers that are all right or all wrong, so that
the saved quiz states are exactly what ivstem keeps.
"""

from __future__ import annotations

from course.material.model import Course, Module
from course.record.learner import Learner
from course.record.progress import ProgressStore
from quizzes.answers import (
    Answer,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
    format_number,
)
from quizzes.grading import correct_answer
from quizzes.questions import (
    CategorizeQuestion,
    MatchQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
    TrueFalseQuestion,
)

#: Right answers that `correct_answer` cannot write down (a short answer matched by a pattern).
RIGHT_TEXT = {"more-regex": "21 CFR 1271"}


def right_answer(question: Question) -> Answer:
    """An answer that earns full points."""
    answer = correct_answer(question)
    return TextAnswer(RIGHT_TEXT[question.id]) if answer is None else answer


def wrong_answer(question: Question) -> Answer:
    """An answer that earns nothing."""
    if isinstance(question, TrueFalseQuestion):
        return BoolAnswer(not question.answer)
    if isinstance(question, NumericQuestion):
        return TextAnswer(format_number(question.answer + 10 * question.tolerance + 1000))
    if isinstance(question, SingleQuestion) or hasattr(question, "correct_indexes"):
        wrong = [i for i in range(len(question.options))  # type: ignore[attr-defined]
                 if i not in question.correct_indexes]  # type: ignore[attr-defined]
        return ChoiceAnswer(frozenset(wrong[:1]))
    if isinstance(question, OrderQuestion):
        return OrderAnswer(tuple(reversed(range(len(question.items)))))
    if isinstance(question, MatchQuestion):
        count = len(question.pairs)
        return MatchAnswer({i: f"r{(i + 1) % count}" for i in range(count)})
    if isinstance(question, CategorizeQuestion):
        categories = len(question.categories)
        right = correct_answer(question)
        assert isinstance(right, CategorizeAnswer)
        return CategorizeAnswer({item: (category + 1) % categories
                                 for item, category in right.placements})
    return TextAnswer("nothing like the answer at all")


def take_quiz(learner: Learner, module: Module, *, right: bool = True) -> None:
    """One attempt at the module's quiz, every answer right (or every one wrong)."""
    opened = learner.open_quiz(module)
    session = opened.session
    assert session is not None
    learner.start_quiz(module, session)
    for question in session.questions:
        answer = right_answer(question) if right else wrong_answer(question)
        result = session.answer(question.id, answer)
        learner.record_quiz_answer(module, session, answer, result, question.id)
    learner.finish_quiz(module, session)


def study_course(course: Course, store: ProgressStore, name: str, *,
                 fail_first: bool = False) -> Learner:
    """Read every lesson and pass every quiz (after failing each once, with `fail_first`)."""
    learner = Learner(course, store, name)
    for module in course.modules:
        for lesson in module.lessons:
            learner.complete_lesson(module, lesson)
        if module.quiz is not None:
            if fail_first:
                take_quiz(learner, module, right=False)
            take_quiz(learner, module)
    return learner
