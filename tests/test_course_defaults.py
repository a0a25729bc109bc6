"""Course-wide defaults in course.yaml `settings:` reach the questions they apply to."""

from __future__ import annotations

import shutil
from pathlib import Path

from course.material.loader import load_course
from course.material.model import CheckStep, Course
from quizzes.answers import TextAnswer
from quizzes.grading import Verdict, grade
from quizzes.questions import ShortQuestion

ALL_CHECKS = Path(__file__).parent / "data" / "courses" / "all-checks"


def course_with(tmp_path: Path, settings: str, short_fields: str = "") -> Path:
    """A copy of the every-check course with other settings and fields on its short check."""
    folder = tmp_path / "course"
    shutil.copytree(ALL_CHECKS, folder)
    manifest = folder / "course.yaml"
    text = manifest.read_text()
    start = text.index("settings:")
    end = text.index("modules:")
    manifest.write_text(text[:start] + settings + text[end:])
    if short_fields:
        module = folder / "modules" / "01-checks.yaml"
        module.write_text(module.read_text().replace(
            "          accept: [placebo]\n", f"          accept: [placebo]\n{short_fields}"))
    return folder


def short_check(course: Course) -> ShortQuestion:
    """The course's short practice check."""
    for step in course.modules[0].lessons[0].steps:
        if isinstance(step, CheckStep) and isinstance(step.check, ShortQuestion):
            return step.check
    raise AssertionError("no short check")


def loaded(folder: Path) -> Course:
    """The course, which must load cleanly."""
    result = load_course(folder)
    assert result.course is not None, result.problems
    return result.course


def test_a_course_that_allows_typos_forgives_them_in_its_short_questions(tmp_path: Path) -> None:
    course = loaded(course_with(tmp_path, "settings:\n  allow_typo: true\n"))
    question = short_check(course)
    assert question.allow_typo is True
    assert grade(question, TextAnswer("placbo")).verdict is Verdict.RIGHT


def test_typos_are_not_forgiven_by_default(tmp_path: Path) -> None:
    course = loaded(course_with(tmp_path, "settings:\n  gating: open\n"))
    assert course.settings.allow_typo is False
    assert grade(short_check(course), TextAnswer("placbo")).verdict is Verdict.WRONG


def test_a_question_that_says_no_typos_keeps_to_it_in_a_course_that_allows_them(
    tmp_path: Path,
) -> None:
    folder = course_with(tmp_path, "settings:\n  allow_typo: true\n",
                         "          allow_typo: false\n")
    assert grade(short_check(loaded(folder)), TextAnswer("placbo")).verdict is Verdict.WRONG


def test_a_course_that_allows_typos_leaves_exact_and_pattern_questions_alone(
    tmp_path: Path,
) -> None:
    folder = course_with(tmp_path, "settings:\n  allow_typo: true\n", "          match: exact\n")
    question = short_check(loaded(folder))
    assert question.allow_typo is None
    assert grade(question, TextAnswer("placbo")).verdict is Verdict.WRONG


def test_allowing_typos_on_an_exact_question_is_a_problem_that_says_what_to_do(
    tmp_path: Path,
) -> None:
    folder = course_with(tmp_path, "settings:\n  gating: open\n",
                         "          match: exact\n          allow_typo: true\n")
    result = load_course(folder)
    assert result.course is None
    [problem] = result.problems
    assert "allow_typo works with match: normalized only, not with match: exact" in (
        problem.message)
    assert problem.hint == "remove allow_typo, or use match: normalized"
