"""`ivstem new course` and `ivstem new module`: templates that validate and teach the format."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from course.instructor.scaffold import (
    QUESTION_EXAMPLES_END,
    QUESTION_EXAMPLES_START,
    STEP_EXAMPLES_END,
    STEP_EXAMPLES_START,
    ScaffoldError,
    add_to_module_list,
    module_paths,
)
from course.material.loader import load_course
from course.material.model import CalloutStep, CheckStep, ScenarioStep, TextStep
from course.material.schema import json_schema
from quizzes.questions import QUESTION_TYPES
from tui.cli import main

VALID = Path(__file__).parent / "data" / "courses" / "valid"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def uncomment_examples(text: str) -> str:
    """The module text with the leading `# ` removed from every line of the example blocks."""
    lines = []
    inside = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped.startswith((STEP_EXAMPLES_START, QUESTION_EXAMPLES_START)):
            inside = True
        elif stripped.startswith((STEP_EXAMPLES_END, QUESTION_EXAMPLES_END)):
            inside = False
        elif inside:
            line = re.sub(r"^(\s*)# ?", r"\1", line, count=1)
        lines.append(line)
    return "".join(lines)


@pytest.fixture
def course_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "my-course"
    assert run(capsys, "new", "course", str(folder))[0] == 0
    return folder


def test_a_new_course_passes_validate(capsys: pytest.CaptureFixture[str],
                                      course_dir: Path) -> None:
    assert run(capsys, "validate", str(course_dir))[:2] == (0, "1 course checked: no problems\n")


def test_a_new_course_takes_its_id_and_title_from_the_folder_unless_given(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "new", "course", str(tmp_path / "Stem Cells 101"))[0] == 0
    course = load_course(tmp_path / "Stem Cells 101").course
    assert course is not None and (course.id, course.title) == ("stem-cells-101",
                                                                 "Stem cells 101")
    assert run(capsys, "new", "course", str(tmp_path / "b"), "--id", "iv-basics",
               "--title", "IV basics: No nonsense")[0] == 0
    course = load_course(tmp_path / "b").course
    assert course is not None and (course.id, course.title) == ("iv-basics",
                                                                "IV basics: No nonsense")


def test_every_file_points_at_a_schema_written_beside_the_course(course_dir: Path) -> None:
    kinds = {"course.yaml": "course", "glossary.yaml": "glossary",
             "references.yaml": "references", "modules/01-first-module.yaml": "module"}
    for name, kind in kinds.items():
        path = course_dir / name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{name} has no schema comment on its first line"
        schema = (path.parent / match.group(1)).resolve()
        assert schema.is_relative_to(course_dir.resolve())
        assert json.loads(schema.read_text(encoding="utf-8")) == json_schema(kind)


def test_new_course_refuses_to_overwrite_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "glossary.yaml").write_text("terms: []\n", encoding="utf-8")
    status, out, err = run(capsys, "new", "course", str(folder))
    assert status == 1 and out == ""
    assert "already has glossary.yaml; nothing was written" in err
    assert sorted(p.name for p in folder.iterdir()) == ["glossary.yaml"]


def test_new_course_with_an_id_that_is_not_a_slug_is_a_usage_error(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "new", "course", str(tmp_path / "c"), "--id", "My Course")
    assert status == 2 and "'my-course'" in err
    assert not (tmp_path / "c").exists()


def test_new_without_what_to_create_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "new")
    assert status == 2 and "ivstem new course DIR" in err


def test_new_module_is_numbered_next_and_listed_last(capsys: pytest.CaptureFixture[str],
                                                     course_dir: Path) -> None:
    before = (course_dir / "course.yaml").read_text(encoding="utf-8")
    status, out, _ = run(capsys, "new", "module", str(course_dir), "safety")
    assert status == 0 and "The course validates." in out
    assert (course_dir / "modules" / "02-safety.yaml").is_file()
    after = (course_dir / "course.yaml").read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert added == ["  - modules/02-safety.yaml"]
    assert after.replace("  - modules/02-safety.yaml\n", "") == before
    assert run(capsys, "new", "module", str(course_dir), "evidence",
               "--title", "What the trials show")[0] == 0
    assert [*module_paths(after), "modules/03-evidence.yaml"] == module_paths(
        (course_dir / "course.yaml").read_text(encoding="utf-8"))
    assert run(capsys, "validate", str(course_dir))[0] == 0


@pytest.mark.parametrize(("manifest", "expected"), [
    ("modules:   # in order\n  - a.yaml   # first\n\n  # more to come\nglossary: g.yaml\n",
     "modules:   # in order\n  - a.yaml   # first\n  - new.yaml\n\n  # more to come\n"
     "glossary: g.yaml\n"),
    ("modules:\n- 'a.yaml'\n- \"b.yaml\"\n",
     "modules:\n- 'a.yaml'\n- \"b.yaml\"\n- \"new.yaml\"\n"),
    ("modules: [a.yaml, b.yaml]  # order\nid: x\n",
     "modules: [a.yaml, b.yaml, new.yaml]  # order\nid: x\n"),
    ("modules: [\n  a.yaml,\n  b.yaml\n]\n", "modules: [\n  a.yaml,\n  b.yaml, new.yaml\n]\n"),
    ("id: x\nmodules:\n    -   a.yaml", "id: x\nmodules:\n    -   a.yaml\n    -   new.yaml\n"),
    ("modules:\r\n  - a.yaml\r\nid: x\r\n", "modules:\r\n  - a.yaml\r\n  - new.yaml\r\nid: x\r\n"),
])
def test_the_module_list_is_extended_as_text_keeping_the_authors_layout(
        manifest: str, expected: str) -> None:
    assert add_to_module_list(manifest, "new.yaml") == expected


@pytest.mark.parametrize("manifest", [
    "id: x\n",
    "modules: modules/01.yaml\n",
    "modules: []\n",
    "modules: [a.yaml\n",
])
def test_a_module_list_that_cannot_be_extended_safely_is_refused(manifest: str) -> None:
    with pytest.raises(ScaffoldError):
        add_to_module_list(manifest, "new.yaml")


def test_the_commented_examples_are_valid_once_uncommented(capsys: pytest.CaptureFixture[str],
                                                           course_dir: Path) -> None:
    assert run(capsys, "new", "module", str(course_dir), "second")[0] == 0
    for path in (course_dir / "modules").iterdir():
        path.write_text(uncomment_examples(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = load_course(course_dir)
    assert result.problems == []
    assert result.course is not None
    for module in result.course.modules:
        steps = module.lessons[0].steps
        kinds = {type(step).__name__ for step in steps}
        assert kinds == {t.__name__ for t in (TextStep, CalloutStep, CheckStep, ScenarioStep)}
        assert module.quiz is not None
        assert {q.type for q in module.quiz.questions} == set(QUESTION_TYPES)


def test_a_module_is_all_comments_but_for_a_small_valid_lesson_and_quiz(
        course_dir: Path) -> None:
    module = load_course(course_dir).course.modules[0]  # type: ignore[union-attr]
    assert [type(step) for step in module.lessons[0].steps] == [TextStep]
    assert module.quiz is not None and [q.type for q in module.quiz.questions] == ["single"]


def test_new_module_refuses_an_id_that_is_not_a_slug(capsys: pytest.CaptureFixture[str],
                                                     course_dir: Path) -> None:
    before = (course_dir / "course.yaml").read_text(encoding="utf-8")
    status, _, err = run(capsys, "new", "module", str(course_dir), "Safety First")
    assert status == 2 and "'safety-first'" in err
    assert (course_dir / "course.yaml").read_text(encoding="utf-8") == before


def test_new_module_refuses_an_id_the_course_already_has(capsys: pytest.CaptureFixture[str],
                                                         course_dir: Path) -> None:
    status, _, err = run(capsys, "new", "module", str(course_dir), "first-module")
    assert status == 1
    assert "already has a module with id 'first-module' (modules/01-first-module.yaml)" in err
    assert sorted(p.name for p in (course_dir / "modules").iterdir()) == ["01-first-module.yaml"]


def test_new_module_needs_a_course_folder(capsys: pytest.CaptureFixture[str],
                                          tmp_path: Path) -> None:
    status, _, err = run(capsys, "new", "module", str(tmp_path), "x")
    assert status == 1 and "has no course.yaml" in err
    status, _, err = run(capsys, "new", "module", str(tmp_path / "nowhere"), "x")
    assert status == 2 and "is not a folder" in err


def test_new_module_in_a_course_made_by_hand_adds_the_schema_it_points_at(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "valid"
    shutil.copytree(VALID, folder)
    status, out, _ = run(capsys, "new", "module", str(folder), "extra")
    assert status == 0 and "schema/module.schema.json" in out
    assert (folder / "modules" / "03-extra.yaml").is_file()
    assert (folder / "schema" / "module.schema.json").is_file()
    assert run(capsys, "validate", str(folder))[0] == 0
