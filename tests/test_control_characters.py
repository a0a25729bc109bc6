"""Terminal escapes in course files, file names and typed answers are shown, never obeyed.

A course file can hold an OSC 52 clipboard write, an OSC 8 hidden link or a CSI 2J screen clear
in a key, a value or its file name. Whatever command prints a message that quotes it, the
terminal must get a visible escape, never the control character itself.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course.material.problems import Problem
from course.printable import printable
from tui.plain.output import PlainOutput
from tui.plain.reader import LineReader

ROOT = Path(__file__).parent.parent
VALID = Path(__file__).parent / "data" / "courses" / "valid"

OSC_52 = "\x1b]52;c;SGVsbG8=\x07"  # writes "Hello" to the clipboard
OSC_8 = "\x1b]8;;mailto:a@example.org\x07link\x1b]8;;\x07"  # a hidden link
CLEAR = "\x1b[2J"
# Bytes a terminal may act on: C0 controls but newline and tab, DEL, and C1 controls (UTF-8).
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def hostile_course(tmp_path: Path) -> Path:
    """The valid course with escapes in a key, in values and in a module's file name."""
    folder = tmp_path / "course"
    shutil.copytree(VALID, folder)
    modules = folder / "modules"
    shutil.copy(modules / "02-more.yaml", modules / f"stray{OSC_8}{CLEAR}.yaml")
    with (modules / "01-basics.yaml").open("a", encoding="utf-8") as module:
        module.write('"\\e]52;c;SGVsbG8=\\a": 1\n')  # a key, written with YAML escapes
    with (modules / "02-more.yaml").open("a", encoding="utf-8") as module:
        module.write(f"bell: {CLEAR}ring\x9b2J\n")  # a value holding the characters as they are
    return folder


def ivstem(*args: str, cwd: Path, data_dir: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=cwd, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=120, check=False,
                          env={**_env(), "IVSTEM_DATA_DIR": str(data_dir)})


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}


def assert_printable(output: bytes) -> None:
    found = RAW_CONTROL.search(output)
    assert found is None, f"raw control character {found.group()!r} in {output!r}"


def test_printable_shows_control_and_bidirectional_characters_as_escapes() -> None:
    assert printable(f"a{OSC_52}b") == "a\\u001b]52;c;SGVsbG8=\\u0007b"
    assert printable("x\x9b2J\x7f\u202ey") == "x\\u009b2J\\u007f\\u202ey"
    assert printable("two\nlines\tand a tab") == "two\nlines\tand a tab"
    assert printable("two\nlines", one_line=True) == "two\\u000alines"
    assert printable("évidence, 細胞, עברית") == "évidence, 細胞, עברית"


def test_a_problem_quoting_a_file_name_and_a_key_shows_their_escapes(tmp_path: Path) -> None:
    problem = Problem(tmp_path / f"m{CLEAR}.yaml", 3, 1, f"unknown field `{OSC_52}`",
                      f"did you mean `{OSC_8}`?")
    text = problem.format(tmp_path)
    assert text.startswith("m\\u001b[2J.yaml:3:1: error: unknown field `\\u001b]52;")
    assert "\x1b" not in text and "\x07" not in text
    assert "\x1b" not in json.dumps(problem.to_dict(tmp_path), ensure_ascii=False)


@pytest.mark.parametrize("how", [("validate", "COURSE"), ("validate", "--format", "json", "COURSE"),
                                 ("--plain", "--course", "COURSE"),
                                 ("export", "COURSE", "-o", "handout.html"),
                                 ("export", "COURSE", "--format", "markdown", "-o", "-")])
def test_no_command_prints_a_raw_control_character_from_a_course(
        tmp_path: Path, how: tuple[str, ...]) -> None:
    folder = hostile_course(tmp_path)
    args = [str(folder) if arg == "COURSE" else arg for arg in how]
    done = ivstem(*args, cwd=tmp_path, data_dir=tmp_path / "data")
    assert done.returncode == 1, done.stderr
    assert_printable(done.stdout)
    assert_printable(done.stderr)
    said = (done.stdout + done.stderr).decode()
    # Each is reported, its escapes visible.
    assert "U+001B" in said  # the key and the value
    if how[0] == "validate" and "json" not in how:
        assert "stray\\u001b]8;;mailto:a@example.org\\u0007link" in said
    assert not (tmp_path / "handout.html").exists()


def test_validate_json_stays_valid_json_with_the_escapes_in_it(tmp_path: Path) -> None:
    folder = hostile_course(tmp_path)
    done = ivstem("validate", "--format", "json", str(folder), cwd=tmp_path,
                  data_dir=tmp_path / "data")
    report = json.loads(done.stdout)
    paths = [problem["path"] for problem in report["problems"]]
    assert any("stray\\u001b]8;;" in path for path in paths)


def test_a_folder_name_with_escapes_in_a_usage_error_is_shown_escaped(tmp_path: Path) -> None:
    done = ivstem("validate", str(tmp_path / f"no{OSC_52}such"), cwd=tmp_path,
                  data_dir=tmp_path / "data")
    assert done.returncode == 2
    assert_printable(done.stderr)
    assert b"no\\u001b]52;c;SGVsbG8=\\u0007such does not exist" in done.stderr


def test_plain_mode_echoes_a_piped_answer_with_its_escapes_visible() -> None:
    stdout = io.StringIO()
    reader = LineReader(io.StringIO(f"1{OSC_52}\n"), stdout)
    assert reader.read("Your answer: ") == f"1{OSC_52}"  # the answer itself is as typed
    assert "\x1b" not in stdout.getvalue()
    assert "1\\u001b]52;" in stdout.getvalue()


def test_plain_output_never_writes_a_control_character() -> None:
    stream = io.StringIO()
    out = PlainOutput(stream, 80)
    out.line(f"No glossary term matches “{CLEAR}{OSC_8}”.")
    out.heading(f"A {OSC_52} heading")
    out.markdown(f"Some *text* {CLEAR}")
    assert RAW_CONTROL.search(stream.getvalue().encode()) is None
