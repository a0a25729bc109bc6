"""An image in course text must name a file in the course folder, or be reported where it is."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.material.loader import load_course

VALID = Path(__file__).parent / "data" / "courses" / "valid"
LESSON_TEXT = "An [MSC](glossary:msc) is studied"
PROMPT = "prompt: Which are documented risks?"


def course_with_image(tmp_path: Path, image: str, *, in_prompt: bool = False,
                      files: tuple[str, ...] = ()) -> Path:
    """The valid course with `image` (Markdown) in a lesson's text or a quiz prompt, and the
    given files (paths from the course folder) present."""
    root = tmp_path / "course"
    shutil.copytree(VALID, root)
    module = root / "modules" / "01-basics.yaml"
    text = module.read_text(encoding="utf-8")
    if in_prompt:
        text = text.replace(PROMPT, f"prompt: 'Which are documented risks? {image}'")
    else:
        text = text.replace(LESSON_TEXT, f"{image}\n          {LESSON_TEXT}")
    module.write_text(text, encoding="utf-8")
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"\x89PNG\r\n")
    return root


def problems(root: Path) -> list[tuple[str, int, int, str, str | None]]:
    return [(p.path.relative_to(root).as_posix(), p.line, p.column, p.message, p.hint)
            for p in load_course(root).problems]


def apply_hint(root: Path, written: str, hint: str | None) -> None:
    """Write the path the hint names in place of the one written."""
    assert hint is not None
    suggested = re.search(r"`([^`]+)`", hint)
    assert suggested, hint
    module = root / "modules" / "01-basics.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace(f"]({written})", f"]({suggested.group(1)})"), encoding="utf-8")


def test_an_image_whose_file_is_there_is_fine(tmp_path: Path) -> None:
    root = course_with_image(tmp_path, "![A cell](images/cell.png)", files=("images/cell.png",))
    assert problems(root) == []


def test_an_image_on_the_web_is_left_to_the_author(tmp_path: Path) -> None:
    root = course_with_image(tmp_path, "![A cell](https://example.org/cell.png)")
    assert problems(root) == []


def test_a_missing_image_in_lesson_text_is_an_error_at_its_path(tmp_path: Path) -> None:
    root = course_with_image(tmp_path, "![A cell](images/cell.png)")
    [(path, line, column, message, hint)] = problems(root)
    assert (path, line, column) == ("modules/01-basics.yaml", 15, 21)
    assert message == "the image file `images/cell.png` does not exist"
    assert hint is not None and "images/cell.png" in hint


def test_a_missing_image_in_a_question_is_an_error_at_its_path(tmp_path: Path) -> None:
    root = course_with_image(tmp_path, '![Chart](images/risks.png "Risks")', in_prompt=True)
    [(path, line, column, message, _)] = problems(root)
    text = (root / path).read_text(encoding="utf-8").splitlines()
    assert text[line - 1][column - 1:].startswith("images/risks.png")
    assert message == "the image file `images/risks.png` does not exist"


def test_an_image_written_from_the_module_folder_gets_the_path_from_the_course_folder(
        tmp_path: Path) -> None:
    root = course_with_image(tmp_path, "![A cell](images/cell.png)",
                             files=("modules/images/cell.png",))
    [(*_, hint)] = problems(root)
    assert hint == ("image paths start from the folder that holds course.yaml:"
                    " write `modules/images/cell.png`")
    apply_hint(root, "images/cell.png", hint)
    assert problems(root) == []


def test_a_misspelt_image_gets_the_file_it_most_likely_means(tmp_path: Path) -> None:
    root = course_with_image(tmp_path, "![A cell](images/cel.png)", files=("images/cell.png",))
    [(*_, hint)] = problems(root)
    assert hint == "did you mean `images/cell.png`?"
    apply_hint(root, "images/cel.png", hint)
    assert problems(root) == []


@pytest.mark.parametrize(("image", "words"), [
    ("![x](../outside.png)", "leads outside the course folder"),
    ("![x](/etc/cell.png)", "is an absolute path"),
])
def test_an_image_outside_the_course_is_an_error(tmp_path: Path, image: str, words: str) -> None:
    root = course_with_image(tmp_path, image, files=("../outside.png",))
    [(*_, message, _)] = problems(root)
    assert words in message


def test_validate_reports_a_missing_image_and_exits_one(tmp_path: Path) -> None:
    root = course_with_image(tmp_path, "![A cell](images/cell.png)")
    run = subprocess.run([sys.executable, "-m", "tui.cli", "validate", "."], cwd=root,
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stdout.splitlines()[:2] == [
        "modules/01-basics.yaml:15:21: error: the image file `images/cell.png` does not exist",
        "    hint: put the image at `images/cell.png` in the course folder (beside course.yaml),"
        " or fix the path",
    ]
