"""`ivstem import moodle-xml`: a Moodle XML bank becomes a module's quiz; a file that is not
one, or is hostile, gets a message and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from course.instructor import moodle_xml
from course.instructor.moodle_xml import NotMoodleXml, convert
from course.instructor.scaffold import add_to_module_list

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "data" / "moodle"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="truefalse"><name><text>&lol9;</text></name></question></quiz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&secret;</text></questiontext>
</question></quiz>
"""


def ivstem(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def refusal(data: bytes) -> str:
    with pytest.raises(NotMoodleXml) as caught:
        convert(data, module_id="m")
    return caught.value.message


def test_an_entity_expansion_bomb_is_refused_at_once() -> None:
    started = time.perf_counter()
    message = refusal(BILLION_LAUGHS)
    assert "refused at line 2: it declares a DOCTYPE" in message
    assert time.perf_counter() - started < 1


def test_an_external_entity_is_refused_and_nothing_is_read() -> None:
    message = refusal(EXTERNAL_ENTITY)
    assert "DOCTYPE" in message and "root:" not in message


def test_an_undeclared_entity_is_not_well_formed() -> None:
    assert refusal(b"<quiz>&secret;</quiz>") == (
        "it is not well-formed XML (line 1, column 7: undefined entity)")


def test_text_that_is_not_xml_or_not_a_quiz_is_refused() -> None:
    assert "not well-formed XML (line 1, column 1" in refusal(b"// GIFT, not XML\n::Q:: A {T}")
    assert refusal(b"<html><body/></html>").startswith("its root element is <html>, not <quiz>")
    assert "not well-formed" in refusal(b"")


def test_a_file_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(moodle_xml, "MAX_BYTES", 100)
    assert "ivstem reads Moodle XML files up to" in refusal(b"<quiz>" + b" " * 200 + b"</quiz>")


def test_each_note_and_omission_names_the_question_and_its_line() -> None:
    result = convert(b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="essay"><name><text>Reflect</text></name>
    <questiontext format="html"><text>Why?</text></questiontext></question>
  <question type="calculatedsimple"><name><text>Sum</text></name>
    <questiontext format="html"><text>{a} + {b}?</text></questiontext></question>
  <question type="shortanswer"><name><text>Capital</text></name>
    <questiontext format="html"><text><![CDATA[<p>The <b>capital</b> of France?</p>]]>
    </text></questiontext>
    <answer fraction="100"><text>Paris</text></answer>
    <answer fraction="50"><text>Lyon</text></answer>
  </question>
</quiz>
""", module_id="m")
    assert [(m.line, m.text.split(":")[0]) for m in result.problems] == [
        (3, "essay 'Reflect'"), (5, "calculatedsimple 'Sum'")]
    assert "a calculated question (numbers drawn at each attempt)" in result.problems[1].text
    [question] = result.questions
    assert question["prompt"] == "The capital of France?"
    assert question["accept"] == ["Paris", {"text": "Lyon", "credit": 0.5}]
    notes = [(m.line, m.text) for m in result.notes]
    assert notes == [(7, "shortanswer 'Capital': HTML formatting (<b>) was turned into plain"
                         " text; check its layout")]


def test_markdown_text_is_kept_and_units_and_usecase_carry_over() -> None:
    result = convert(b"""<quiz>
  <question type="numerical"><name><text>Dose</text></name>
    <questiontext format="markdown"><text>How many **mL**?</text></questiontext>
    <answer fraction="100"><text>5</text><tolerance>0.5</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>mL</unit_name></unit>
      <unit><multiplier>0.001</multiplier><unit_name>L</unit_name></unit></units>
  </question>
  <question type="shortanswer"><name><text>Code</text></name>
    <questiontext format="plain_text"><text>Type CD34.</text></questiontext>
    <usecase>1</usecase><answer fraction="100"><text>CD34</text></answer>
  </question>
</quiz>""", module_id="m")
    dose, code = result.questions
    assert dose["prompt"] == "How many **mL**?" and dose["unit"] == "mL"
    assert (dose["answer"], dose["tolerance"]) == (5, 0.5)
    assert any("other units (L)" in m.text for m in result.notes)
    assert code["match"] == "exact"


def test_the_command_writes_a_module_that_validates_in_a_course(tmp_path: Path) -> None:
    course = tmp_path / "course"
    assert ivstem("new", "course", str(course), cwd=tmp_path).returncode == 0
    out = course / "modules" / "02-from-moodle.yaml"
    done = ivstem("import", "moodle-xml", str(FIXTURES / "xml" / "xmlformat_test_imports.xml"),
                  "-o", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "module 'from-moodle' with 6 questions in its quiz; 3 items not converted" in (
        done.stdout)
    assert "xmlformat_test_imports.xml:23: essay 'An essay'" in done.stderr
    assert "Traceback" not in done.stderr
    text = out.read_text(encoding="utf-8")
    assert "by `ivstem import moodle-xml`" in text and "id: from-moodle-testidnum1" in text
    manifest = course / "course.yaml"
    manifest.write_text(add_to_module_list(manifest.read_text(encoding="utf-8"),
                                           "modules/02-from-moodle.yaml"), encoding="utf-8")
    checked = ivstem("validate", str(course), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize(("content", "expected"), [
    (BILLION_LAUGHS, "it declares a DOCTYPE"),
    (b"not xml at all", "it is not well-formed XML (line 1, column 1: syntax error)"),
    (b"<quiz><question type='truefalse'>", "no element found"),
])
def test_bad_files_get_a_message_and_exit_one(tmp_path: Path, content: bytes,
                                              expected: str) -> None:
    bad = tmp_path / "bank.xml"
    bad.write_bytes(content)
    out = tmp_path / "module.yaml"
    done = ivstem("import", "moodle-xml", str(bad), "-o", str(out), cwd=tmp_path)
    assert done.returncode == 1 and expected in done.stderr
    assert "Export it again from Moodle" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_a_missing_folder_or_unreadable_file_is_a_message(tmp_path: Path) -> None:
    done = ivstem("import", "moodle-xml", str(tmp_path / "none.xml"), "-o", "x.yaml",
                  cwd=tmp_path)
    assert done.returncode == 2 and "does not exist" in done.stderr
    done = ivstem("import", "moodle-xml", str(tmp_path), "-o", "x.yaml", cwd=tmp_path)
    assert done.returncode == 1 and "is a folder, not a Moodle XML file" in done.stderr
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        locked = tmp_path / "locked.xml"
        locked.write_bytes(b"<quiz/>")
        locked.chmod(0)
        done = ivstem("import", "moodle-xml", str(locked), "-o", "x.yaml", cwd=tmp_path)
        assert done.returncode == 1 and "cannot read" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_file_that_cannot_be_read_is_a_message(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    from tui.cli import main

    bank = tmp_path / "bank.xml"
    bank.write_bytes(b"<quiz/>")
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == bank:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", refuse)
    status = main(["import", "moodle-xml", str(bank), "-o", str(tmp_path / "m.yaml")])
    err = capsys.readouterr().err
    assert status == 1
    assert f"ivstem: import moodle-xml: cannot read {bank}: Permission denied." in err
