"""`ivstem export --format gift | moodle-xml`: a course's questions for Moodle's question bank,
with what a format cannot hold said once on standard error."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from course.instructor import gift, gift_export, moodle_xml, moodle_xml_export
from course.instructor.moodle_bank import MOODLE_FRACTIONS, moodle_fraction, percent
from course.material.loader import load_course
from course.material.model import Course

ROOT = Path(__file__).resolve().parents[1]

MODULE = r"""id: edges
title: "Edges: escapes / slashes"
summary: Questions at the edges of what Moodle holds.
lessons:
  - id: only
    title: Only lesson
    steps:
      - text: Read [MSC](glossary:msc) and [the trial](ref:trial-2020).
      - check:
          id: edges-specials
          type: single
          prompt: |
            Which of ~ = # { } : \ is *not* special?

            See [MSC](glossary:msc) and [the trial](ref:trial-2020).
          options:
            - text: "\\"
              correct: true
              feedback: "Right: the backslash {escapes} the others."
            - text: "#"
              feedback: "No: # starts feedback."
          hint: Think of escapes.
          refs: [trial-2020]
quiz:
  questions:
    - id: edges-three-right
      type: multiple
      prompt: Pick the three right ones.
      shuffle: false
      scoring: all_or_nothing
      points: 2
      options:
        - {text: a, correct: true}
        - {text: b, correct: true}
        - {text: c, correct: true}
        - {text: d}
    - id: edges-regex
      type: short
      prompt: Type a CD number.
      match: regex
      accept: ["CD[0-9]+"]
    - id: edges-star
      type: short
      prompt: Which rating?
      accept: ["5*"]
    - id: edges-braces
      type: order
      prompt: Order them.
      items: ["first {a}", "second"]
      scoring: partial
    - id: edges-dose
      type: numeric
      prompt: How many mL?
      answer: 5
      tolerance: 0.5
      unit: mL
    - id: edges-pairs
      type: match
      prompt: Pair them.
      pairs: [[A, a], [B, b]]
    - id: edges-false
      type: true_false
      prompt: The sky is green.
      answer: false
      feedback:
        false: Right.
"""


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("edges")
    (folder / "modules").mkdir()
    (folder / "course.yaml").write_text(
        "format: 1\nid: edges-course\ntitle: Edge course\nversion: '1'\nsummary: Edges.\n"
        "disclaimer: Education only.\nmodules:\n  - modules/01-edges.yaml\n"
        "glossary: glossary.yaml\nreferences: references.yaml\n", encoding="utf-8")
    (folder / "glossary.yaml").write_text(
        "terms:\n  - id: msc\n    term: mesenchymal stromal cell\n    definition: A cell.\n",
        encoding="utf-8")
    (folder / "references.yaml").write_text(
        "references:\n  - id: trial-2020\n    citation: A trial. 2020.\n"
        "    url: https://example.org/trial\n", encoding="utf-8")
    (folder / "modules" / "01-edges.yaml").write_text(MODULE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def course(edges: Path) -> Course:
    result = load_course(edges)
    assert result.course is not None, result.problems
    return result.course


def ivstem(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_moodle_grades_are_written_as_moodle_writes_them() -> None:
    assert percent(1) == "100" and percent(-0.5) == "-50" and percent(0) == "0"
    assert percent(1 / 3) == "33.33333" and percent(-1 / 7) == "-14.28571"
    assert moodle_fraction(0.3333333) == moodle_fraction(1 / 3) and moodle_fraction(0.33) is None
    assert len(MOODLE_FRACTIONS) == 41


def test_gift_escapes_read_back_as_written(course: Course) -> None:
    text = "Which of ~ = # { } : \\ is *not* special?\n\nA second paragraph."
    back = gift.convert(f"::q::[markdown]{gift_export.escape(text)}{{T}}", module_id="m")
    assert back.questions[0]["prompt"] == text


def test_gift_export_skips_what_gift_cannot_hold_and_notes_losses(course: Course) -> None:
    result = gift_export.export(course)
    skipped = {loss.question_id: loss.text for loss in result.skipped}
    assert set(skipped) == {"edges-regex", "edges-braces"}
    assert "regular expression" in skipped["edges-regex"]
    assert "brace" in skipped["edges-braces"]
    losses = {(loss.question_id, loss.text.split(";")[0]) for loss in result.losses}
    assert ("edges-specials", "GIFT has no hints") in losses
    assert ("edges-specials", "the refs list has no place in Moodle") in losses
    assert ("edges-three-right", "GIFT has no marks, so Moodle gives each question 1") in losses
    assert ("edges-three-right", "GIFT cannot say not to shuffle") in losses
    assert ("edges-dose", "GIFT has no units") in losses
    assert result.written == 6
    assert "$CATEGORY: $course$/top/Edge course/Edges: escapes // slashes" in result.text
    assert "\t~%33.33333%a\n" in result.text and "\t~%-33.33333%d\n" in result.text
    assert "=%100%5\\\\*" in result.text  # Moodle's \* for a literal star, GIFT-escaped


def test_gift_export_reads_back_with_links_resolved(course: Course) -> None:
    back = {q["id"]: q for q in gift.convert(gift_export.export(course).text,
                                              module_id="edges").questions}
    specials = back["edges-specials"]
    assert specials["prompt"] == ("Which of ~ = # { } : \\ is *not* special?\n\nSee MSC and"
                                  " [the trial](https://example.org/trial).")
    assert specials["options"][0] == {"text": "\\", "correct": True,
                                      "feedback": "Right: the backslash {escapes} the others."}
    assert specials["tags"] == ["Edge course/Edges: escapes / slashes"]
    assert back["edges-star"]["accept"] == ["5*"]
    assert back["edges-false"]["feedback"] == {"false": "Right."}
    assert [o.get("correct", False) for o in back["edges-three-right"]["options"]] == [
        True, True, True, False]


def test_moodle_xml_export_keeps_what_gift_cannot(course: Course) -> None:
    result = moodle_xml_export.export(course)
    assert [loss.question_id for loss in result.skipped] == ["edges-regex"]
    root = ET.fromstring(result.text)
    questions = {q.findtext("name/text"): q for q in root.iter("question")
                 if q.get("type") != "category"}
    three = questions["edges-three-right"]
    assert three.findtext("defaultgrade") == "2" and three.findtext("shuffleanswers") == "false"
    assert [a.get("fraction") for a in three.findall("answer")] == [
        "33.33333", "33.33333", "33.33333", "-33.33333"]
    assert all(moodle_fraction(float(a.get("fraction", "")) / 100) is not None
               for q in questions.values() if q.get("type") == "multichoice"
               for a in q.findall("answer"))
    dose = questions["edges-dose"]
    assert dose.findtext("answer/tolerance") == "0.5"
    assert dose.findtext("units/unit/unit_name") == "mL" and dose.findtext("showunits") == "0"
    braces = questions["edges-braces"]
    assert braces.get("type") == "ordering"
    assert [a.findtext("text") for a in braces.findall("answer")] == ["first {a}", "second"]
    assert braces.findtext("gradingtype") == "ABSOLUTE_POSITION"
    assert questions["edges-specials"].findtext("hint/text") == "Think of escapes."
    assert questions["edges-specials"].find("questiontext").get("format") == "markdown"
    losses = {(loss.question_id, loss.text.split(";")[0]) for loss in result.losses}
    assert ("edges-pairs", "Moodle's matching editor asks for three answers or more") in losses
    assert ("edges-three-right", "Moodle's multiple-answer questions give part marks") in losses


def test_moodle_xml_export_reads_back(course: Course) -> None:
    result = moodle_xml.convert(moodle_xml_export.export(course).text.encode(),
                                module_id="edges")
    back = {q["id"]: q for q in result.questions}
    assert back["edges-braces"]["items"] == ["first {a}", "second"]
    assert back["edges-dose"]["unit"] == "mL"
    assert back["edges-three-right"]["points"] == 2
    assert back["edges-specials"]["hint"] == "Think of escapes."
    assert result.problems == []


def test_the_command_infers_the_format_and_prints_notes_once(edges: Path,
                                                             tmp_path: Path) -> None:
    done = ivstem("export", str(edges), "-o", str(tmp_path / "bank.gift"), cwd=tmp_path)
    assert done.returncode == 0
    assert "Wrote" in done.stdout and "GIFT question bank of 'Edge course'" in done.stdout
    assert "6 questions in 1 category, one a module; 2 not exported" in done.stdout
    assert done.stderr.count("GIFT has no hints") == 1
    assert "not exported: a regular expression has no Moodle equivalent" in done.stderr
    done = ivstem("export", str(edges), "-o", str(tmp_path / "bank.xml"), cwd=tmp_path)
    assert done.returncode == 0 and "Moodle XML question bank" in done.stdout
    ET.parse(tmp_path / "bank.xml")
    done = ivstem("export", str(edges), "--format", "moodle-xml", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith('<?xml version="1.0"')


def test_bad_calls_are_messages(edges: Path, tmp_path: Path) -> None:
    done = ivstem("export", str(edges), "-o", str(tmp_path / "bank.pdf"), cwd=tmp_path)
    assert done.returncode == 2 and "gift or moodle-xml" in done.stderr
    done = ivstem("export", str(edges), "-o", str(tmp_path / "no" / "bank.xml"), cwd=tmp_path)
    assert done.returncode == 1 and "cannot write" in done.stderr
    done = ivstem("export", str(edges), "--format", "gift", "-o",
                  str(edges / "glossary.yaml"), cwd=tmp_path)
    assert done.returncode == 2 and "a file of the course itself" in done.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "course.yaml").write_text("id: [\n", encoding="utf-8")
    done = ivstem("export", str(broken), "-o", str(tmp_path / "b.xml"), cwd=tmp_path)
    assert done.returncode == 1 and "has problems" in done.stderr
    assert "Traceback" not in done.stderr
