"""The instructor's round trip: the shipped course exported to Moodle (GIFT and Moodle XML) and
imported back gives the same questions, through the real commands.

"The same" modulo what the formats say they cannot carry, written out in `after_moodle`:
ids gain the module id of the import; the Moodle category (course/module) comes back as a
first tag; refs have no place in Moodle; glossary and reference links become words and web
addresses; practice checks come back as quiz questions; a multiple question's partial scoring
comes back as the credits Moodle's grades spell it out with (each right option 1/n, each wrong
option -1/n), which score the same. GIFT also has no hints, marks, units
or shuffle switch. Order questions survive as Moodle ordering questions. Categorize questions
go through Moodle's matching type and come back as categorize, their categories in the order
their items first name them (a category no item names comes last).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from course.instructor.moodle_bank import bank, moodle_text, percent
from course.instructor.scaffold import add_to_module_list
from course.material.loader import load_course, shipped_course_dir
from course.material.model import Course
from quizzes.questions import (
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
)

ROOT = Path(__file__).resolve().parents[1]


def ivstem(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=_env(), timeout=120)


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env


def _texts(value: Any, course: Course) -> Any:
    """`value` with every text as Moodle holds it (trimmed, course links resolved)."""
    if isinstance(value, str):
        return "\n".join(line.rstrip() for line in moodle_text(value, course).split("\n"))
    if isinstance(value, tuple):
        return tuple(_texts(item, course) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _texts(getattr(value, f.name), course) for f in fields(value)
                   if f.name not in ("id", "type")}
        return replace(value, **changes)
    return value


def after_moodle(question: Question, course: Course, category: str, fmt: str) -> Question:
    """What `question` is expected to be once it has been to Moodle in `fmt` and back."""
    expected = _texts(question, course)
    changes: dict[str, Any] = {
        "id": f"back-{question.id}",
        "tags": (category, *question.tags),
        "refs": (),
    }
    if fmt == "gift":
        changes.update(hint=None, points=1.0)
        if isinstance(question, SingleQuestion | MultipleQuestion):
            changes["shuffle"] = True
        if isinstance(question, NumericQuestion):
            changes["unit"] = ""
    if isinstance(question, MultipleQuestion | MatchQuestion | CategorizeQuestion):
        changes["scoring"] = "partial"
    if isinstance(question, MultipleQuestion) and not question.by_credit:
        # Partial scoring goes to Moodle as grades (each right option 1/n, each wrong -1/n)
        # and comes back as those credits, which score the same.
        share = round(float(percent(1 / len(question.correct_indexes))) / 100, 7)
        changes["options"] = tuple(replace(o, credit=share if o.correct else -share)
                                   for o in expected.options)
    if isinstance(question, ShortQuestion):
        changes.update(allow_typo=None, ignore_accents=False)
    if isinstance(question, CategorizeQuestion):
        named = [item.category for item in expected.items]
        changes["categories"] = tuple(dict.fromkeys(
            [*named, *(c for c in expected.categories if c not in named)]))
    return replace(expected, **changes)


@pytest.fixture(scope="module")
def shipped() -> Course:
    result = load_course(shipped_course_dir())
    assert result.course is not None
    return result.course


@pytest.fixture(scope="module", params=["gift", "moodle-xml"])
def round_trip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               shipped: Course) -> tuple[str, Course, subprocess.CompletedProcess[str],
                                         subprocess.CompletedProcess[str]]:
    """The shipped course exported in one format and imported back into a copy of itself."""
    fmt = request.param
    work = tmp_path_factory.mktemp(f"round-trip-{fmt}")
    course_dir = work / "course"
    shutil.copytree(shipped_course_dir(), course_dir)
    bank_file = work / ("questions.gift" if fmt == "gift" else "questions.xml")
    exported = ivstem("export", str(shipped_course_dir()), "--format", fmt, "-o",
                      str(bank_file), cwd=work)
    assert exported.returncode == 0, exported.stderr
    module = course_dir / "modules" / "07-back.yaml"
    imported = ivstem("import", fmt, str(bank_file), "-o", str(module), cwd=work)
    assert imported.returncode == 0, imported.stderr
    manifest = course_dir / "course.yaml"
    manifest.write_text(add_to_module_list(manifest.read_text(encoding="utf-8"),
                                           "modules/07-back.yaml"), encoding="utf-8")
    validated = ivstem("validate", str(course_dir), cwd=work)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    result = load_course(course_dir)
    assert result.course is not None, result.problems
    return fmt, result.course, exported, imported


def test_every_question_comes_back_as_it_went(round_trip: Any, shipped: Course) -> None:
    fmt, course, _, _ = round_trip
    back = course.module("back")
    assert back is not None and back.quiz is not None
    came_back = {q.id: q for q in back.quiz.questions}
    sent = list(bank(shipped))
    assert len(came_back) == len(sent) == 147
    for item in sent:
        category = "/".join(item.category)
        expected = after_moodle(item.question, shipped, category, fmt)
        assert came_back[expected.id] == expected, item.question.id


def test_the_export_says_what_it_left_out(round_trip: Any) -> None:
    fmt, _, exported, _ = round_trip
    assert "147 questions in 6 categories, one a module" in exported.stdout
    assert "note: the refs list has no place in Moodle" in exported.stderr
    assert "categorize became a Moodle matching question" in exported.stderr
    gift_only = ("GIFT has no hints", "GIFT has no units")
    if fmt == "gift":
        assert all(loss in exported.stderr for loss in gift_only)
    else:
        assert not any(loss in exported.stderr for loss in gift_only)
    assert "Traceback" not in exported.stderr


def test_the_import_says_categorize_came_back_through_matching(round_trip: Any) -> None:
    _, _, _, imported = round_trip
    notes = [line for line in imported.stderr.splitlines() if ": note: " in line]
    assert len(notes) == 11
    assert all("converts to a categorize question" in line for line in notes)
    assert "with 147 questions in its quiz" in imported.stdout


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_part_credit_goes_to_moodle_as_grades_and_comes_back(fmt: str) -> None:
    from course.instructor import gift, gift_export, moodle_xml, moodle_xml_export
    from quizzes.questions import adapter

    loaded = load_course(Path(__file__).parent / "data" / "courses" / "credit")
    assert loaded.course is not None
    course = loaded.course
    if fmt == "gift":
        exported = gift_export.export(course)
        back = gift.convert(exported.text, module_id="back")
    else:
        exported = moodle_xml_export.export(course)
        back = moodle_xml.convert(exported.text.encode(), module_id="back")
    assert exported.skipped == [] and back.problems == []
    assert not any("grade" in loss.text for loss in exported.losses)
    came_back = {q["id"]: adapter(Question).validate_python(q) for q in back.questions}
    for item in bank(course):
        expected = after_moodle(item.question, course, "/".join(item.category), fmt)
        assert came_back[expected.id] == expected, item.question.id


def test_a_credit_moodle_has_no_grade_for_is_written_as_the_nearest() -> None:
    from course.instructor.moodle_bank import choice_grades

    question = adapter_question({"id": "q", "type": "single", "prompt": "P?", "options": [
        {"text": "a", "correct": True}, {"text": "b", "credit": 0.35}]})
    losses: list[str] = []
    assert choice_grades(question, losses) == [1.0, 0.3333333]
    assert losses == ["Moodle has no grade of 35%; a part credit was written as 33.33333%, the"
                      " nearest it has"]


def adapter_question(data: dict[str, Any]) -> Any:
    from quizzes.questions import adapter

    return adapter(Question).validate_python(data)
