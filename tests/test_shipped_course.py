"""The shipped course keeps every promise the course makes about itself, counted."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest

from course.material.loader import load_course, shipped_course_dir
from course.material.model import CalloutStep, CheckStep, Course, Module, ScenarioStep, TextStep
from course.material.rules import LINK
from quizzes.questions import QUESTION_TYPES, MultipleQuestion, Question, SingleQuestion

MODULE_IDS = ["orientation", "mechanisms", "evidence", "regulation", "safety", "capstone"]


@pytest.fixture(scope="module")
def course() -> Course:
    result = load_course(shipped_course_dir())
    assert result.problems == []
    assert result.course is not None
    return result.course


def lesson_text(module: Module) -> Iterator[str]:
    """The prose a learner reads: text and callout steps (not questions or scenarios)."""
    for lesson in module.lessons:
        for step in lesson.steps:
            if isinstance(step, TextStep):
                yield step.text
            elif isinstance(step, CalloutStep):
                yield step.callout.text


def questions(module: Module) -> Iterator[tuple[str, Question]]:
    for lesson in module.lessons:
        for step in lesson.steps:
            if isinstance(step, CheckStep):
                yield "check", step.check
    for question in module.quiz.questions if module.quiz else ():
        yield "quiz", question


def all_markdown(course: Course) -> Iterator[str]:
    for module in course.modules:
        yield from lesson_text(module)
        for lesson in module.lessons:
            for step in lesson.steps:
                if isinstance(step, ScenarioStep):
                    for node in step.scenario.nodes.values():
                        yield node.text or ""
                        yield node.end or ""
        for _, question in questions(module):
            yield question.prompt
            yield question.explanation or ""
            yield question.hint or ""


def words(text: str) -> int:
    return len(LINK.sub(lambda m: m.group("label"), text).split())


def test_the_six_modules_come_in_order(course: Course) -> None:
    assert [m.id for m in course.modules] == MODULE_IDS


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_each_module_has_the_promised_shape(course: Course, module_id: str) -> None:
    module = course.module(module_id)
    assert module is not None
    assert module.objectives
    assert 3 <= len(module.lessons) <= 5
    assert 1200 <= sum(words(t) for t in lesson_text(module)) <= 2500
    for lesson in module.lessons:
        assert any(isinstance(s, CheckStep) for s in lesson.steps), lesson.id
    assert module.quiz is not None
    assert len(module.quiz.questions) >= 12
    assert (module.quiz.draw or len(module.quiz.questions)) <= len(module.quiz.questions)
    assert module.reviewed and module.jurisdiction


def test_each_question_type_is_used_at_least_three_times(course: Course) -> None:
    used = Counter(q.type for m in course.modules for _, q in questions(m))
    assert {t: used[t] for t in QUESTION_TYPES if used[t] < 3} == {}


def test_every_question_explains_itself_and_cites_a_source(course: Course) -> None:
    for module in course.modules:
        for _, question in questions(module):
            assert question.explanation, question.id
            assert question.refs, question.id


def test_every_wrong_option_says_why_it_is_wrong(course: Course) -> None:
    for module in course.modules:
        for _, question in questions(module):
            if isinstance(question, SingleQuestion | MultipleQuestion):
                for option in question.options:
                    if not option.correct:
                        assert option.feedback, (question.id, option.text)


@pytest.mark.parametrize("claim", range(1, 16))
def test_each_clinic_claim_is_taught_in_a_lesson_and_tested_in_a_quiz(course: Course,
                                                                      claim: int) -> None:
    tag = f"claim-{claim}"
    where = {kind for m in course.modules for kind, q in questions(m) if tag in q.tags}
    assert where == {"check", "quiz"}


def test_the_capstone_quiz_tests_all_fifteen_claims(course: Course) -> None:
    capstone = course.module("capstone")
    assert capstone is not None and capstone.quiz is not None
    tags = {t for q in capstone.quiz.questions for t in q.tags}
    assert {f"claim-{n}" for n in range(1, 16)} <= tags


def test_the_capstone_quiz_mixes_every_earlier_module(course: Course) -> None:
    capstone = course.module("capstone")
    assert capstone is not None and capstone.quiz is not None
    cited = {r for q in capstone.quiz.questions for r in q.refs}
    for module in course.modules[1:-1]:
        module_refs = {r for _, q in questions(module) for r in q.refs}
        assert cited & module_refs, module.id


def test_the_glossary_has_forty_terms_each_linked_from_the_text(course: Course) -> None:
    linked = {m.group("target") for text in all_markdown(course) for m in LINK.finditer(text)
              if m.group("scheme") == "glossary"}
    terms = {t.id for t in course.glossary.terms}
    assert len(terms) >= 40
    assert terms - linked == set()


def test_thirty_references_each_cited_at_least_once(course: Course) -> None:
    cited = {m.group("target") for text in all_markdown(course) for m in LINK.finditer(text)
             if m.group("scheme") == "ref"}
    cited |= {r for m in course.modules for _, q in questions(m) for r in q.refs}
    references = {r.id for r in course.references.references}
    assert len(references) >= 30
    assert references - cited == set()


def test_the_course_says_it_gives_no_medical_advice(course: Course) -> None:
    assert course.manifest.disclaimer and "not medical" in course.manifest.disclaimer
    orientation = " ".join(lesson_text(course.modules[0])).lower()
    assert "medical advice" in orientation


def test_the_course_points_to_where_claims_can_be_checked(course: Course) -> None:
    text = " ".join(all_markdown(course))
    for place in ("ClinicalTrials.gov", "FDA", "ISSCR"):
        assert place in text


@pytest.mark.parametrize("pattern", [
    r"second (FDA )?rejection",
    r"rejected (again )?in 2023",
    r"only (FDA-)?approved MSC",
    r"MASTERS-2 (showed|found|met|missed)",
    r"voted (9-1|8-2|9 to 1|8 to 2)",
])
def test_nothing_the_fact_sheet_leaves_unconfirmed_is_stated(course: Course, pattern: str) -> None:
    text = " ".join(all_markdown(course))
    assert not re.search(pattern, text, flags=re.IGNORECASE)
