"""`ivstem validate`, `ivstem schema` and `ivstem --version`, as an instructor or CI uses them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import __version__
from tui.cli import main

COURSES = Path(__file__).parent / "data" / "courses"
VALID = COURSES / "valid"
BROKEN = COURSES / "broken"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:  # argparse's own usage errors and --version
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_shipped_course_validates_clean(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate")
    assert out == "1 course checked: no problems\n"
    assert status == 0


def test_a_clean_course_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", str(VALID))[:2] == (0, "1 course checked: no problems\n")


def test_problems_print_as_path_line_col_then_a_summary_and_exit_one(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN / "many-mistakes")
    status, out, _ = run(capsys, "validate", ".")
    lines = out.splitlines()
    assert status == 1
    assert lines[0] == "course.yaml:17:5: error: `modules/03-missing.yaml` does not exist"
    assert lines[-1] == "5 problems in 4 files (1 course checked)"
    locations = [line.split(": error:")[0] for line in lines if ": error:" in line]
    assert locations == sorted(locations, key=lambda loc: (loc.split(":")[0],
                                                           int(loc.split(":")[1])))


@pytest.mark.parametrize(("case", "hint"), [
    ("unknown-field-typo", "hint: did you mean `options`?"),
    ("callout-kind-not-allowed",
     "hint: did you mean `myth`? (allowed: key, note, warning or myth)"),
    ("single-with-two-correct", "hint: use type: multiple when more than one answer is right"),
    ("unknown-question-type", "hint: did you mean `order`?"),
    ("requires-unknown-module", "hint: did you mean `basics`?"),
    ("glossary-link-to-nothing", "hint: did you mean `msc`?"),
    ("pass-mark-out-of-range", "hint: a pass mark is a fraction: write 0.8 for 80%"),
    ("bidi-override-in-option",
     "hint: remove it: it shows the text around it in another order than it is written, so"
     " learners could read something other than what the course says; right-to-left text"
     " shows correctly without it"),
])
def test_hints_say_how_to_mend_the_mistake(capsys: pytest.CaptureFixture[str], case: str,
                                           hint: str) -> None:
    status, out, _ = run(capsys, "validate", str(BROKEN / case))
    assert status == 1
    assert f"    {hint}" in out.splitlines()


def test_several_folders_are_checked_in_one_run(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", str(VALID), str(BROKEN / "draw-larger-than-pool"),
                         str(BROKEN / "wrong-type"))
    assert status == 1
    assert out.splitlines()[-1] == "2 problems in 2 files (3 courses checked)"


def test_json_output_for_editors_and_ci(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", "--format", "json",
                         str(BROKEN / "draw-larger-than-pool"))
    report = json.loads(out)
    assert status == 1 and report["ok"] is False
    [problem] = report["problems"]
    assert problem["path"].endswith("modules/01-basics.yaml")
    assert (problem["line"], problem["column"], problem["severity"]) == (56, 9, "error")
    assert problem["hint"] == "draw at most 4, or add questions"


def test_a_folder_that_does_not_exist_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    status, out, err = run(capsys, "validate", str(tmp_path / "nope"))
    assert status == 2 and out == ""
    assert err == f"ivstem: validate: {tmp_path / 'nope'} does not exist\n"
    status, _, err = run(capsys, "validate", str(tmp_path))
    assert status == 2 and "is not a course folder (it has no course.yaml)" in err


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "validate", "--colour")
    assert status == 2 and "unrecognized arguments: --colour" in err


@pytest.mark.parametrize(("args", "said"), [
    (["--learner"], "argument --learner: expected one argument"),
    (["--learner", "ana", "valdiate"], "invalid choice: 'valdiate' (choose from 'validate',"),
    (["--colour"], "unrecognized arguments: --colour"),
])
def test_a_mistake_in_opening_the_course_is_a_usage_error_that_lists_the_commands(
        capsys: pytest.CaptureFixture[str], args: list[str], said: str) -> None:
    # A mistake made while opening the course is explained with the commands listed.
    status, _, err = run(capsys, *args)
    assert status == 2 and said in err
    assert "usage: ivstem" in err and "COMMAND ..." in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--version")[:2] == (0, f"ivstem {__version__}\n")


@pytest.mark.parametrize("command", [[], ["validate"], ["schema"]])
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    status, out, _ = run(capsys, *command, "--help")
    assert status == 0 and out.startswith("usage: ivstem")


@pytest.mark.parametrize("kind", ["module", "course", "glossary", "references"])
def test_schema_describes_each_kind_of_file(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    status, out, _ = run(capsys, "schema", kind)
    schema = json.loads(out)
    assert status == 0
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    expected = {"module": "lessons", "course": "modules", "glossary": "terms",
                "references": "references"}[kind]
    assert expected in schema["properties"]


def test_the_module_schema_knows_all_eight_question_types(
        capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "schema")
    types = {d["properties"]["type"]["const"] for d in json.loads(out)["$defs"].values()
             if "type" in d.get("properties", {}) and "const" in d["properties"]["type"]}
    assert types == {"single", "multiple", "true_false", "short", "numeric", "order", "match",
                     "categorize"}


def test_schema_can_be_written_to_a_file(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    target = tmp_path / "module.schema.json"
    assert run(capsys, "schema", "module", "-o", str(target))[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "ivstem course module"


@pytest.mark.parametrize("args", [["--version"], ["validate", str(VALID)], ["schema"]])
def test_instructor_commands_do_not_import_textual(args: list[str]) -> None:
    code = ("import sys; from tui.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "assert 'textual' not in sys.modules, 'textual was imported'")
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_broken_course_never_prints_a_traceback() -> None:
    for case in sorted(BROKEN.iterdir()):
        done = subprocess.run([sys.executable, "-m", "tui.cli", "validate", str(case)],
                              capture_output=True, text=True)
        assert done.returncode == 1, (case.name, done.stderr)
        assert "Traceback" not in done.stderr + done.stdout


def test_a_module_file_the_course_does_not_list_is_a_warning_not_an_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    extra = course / "modules" / "03-forgotten.yaml"
    extra.write_text((course / "modules" / "02-more.yaml").read_text(encoding="utf-8"),
                     encoding="utf-8")
    assert main(["validate", str(course)]) == 0
    out = capsys.readouterr().out
    assert f"{extra}:1:1: warning: this module file is not listed in course.yaml" in out
    assert "add `- modules/03-forgotten.yaml` under `modules:`" in out
    assert out.rstrip().endswith("1 course checked: no problems, 1 warning")
    # The hint applied: listed, the file is no longer left out (here its ids clash instead).
    manifest = course / "course.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "  - modules/02-more.yaml\n", "  - modules/02-more.yaml\n  - modules/03-forgotten.yaml\n"),
        encoding="utf-8")
    main(["validate", str(course)])
    assert "not listed in course.yaml" not in capsys.readouterr().out


def course_with(tmp_path: Path, modules: dict[str, str], manifest_edit: tuple[str, str] = ("", ""),
                glossary: str | None = None) -> Path:
    """A copy of the valid course with more modules listed (name to text), an edit of
    course.yaml and, if given, another glossary."""
    root = tmp_path / "course"
    shutil.copytree(VALID, root)
    manifest = root / "course.yaml"
    text = manifest.read_text(encoding="utf-8").replace(*manifest_edit)
    listed = "".join(f"  - modules/{name}\n" for name in modules)
    text = text.replace("  - modules/02-more.yaml\n", "  - modules/02-more.yaml\n" + listed)
    manifest.write_text(text, encoding="utf-8")
    for name, body in modules.items():
        (root / "modules" / name).write_text(body, encoding="utf-8")
    if glossary is not None:
        (root / "glossary.yaml").write_text(glossary, encoding="utf-8")
    return root


def a_module(module_id: str, question_id: str, extra: str = "") -> str:
    return (f"id: {module_id}\ntitle: A module\nsummary: Short.\n{extra}lessons:\n"
            f"  - id: one\n    title: One\n    steps:\n      - check:\n"
            f"          id: {question_id}\n          type: true_false\n"
            f"          prompt: Is it so?\n          answer: true\n")


def validate_subprocess(root: Path) -> tuple[int, list[str]]:
    run = subprocess.run([sys.executable, "-m", "tui.cli", "validate", str(root)],
                         capture_output=True, text=True, cwd=root)
    assert "Traceback" not in run.stderr
    return run.returncode, [line for line in run.stdout.splitlines() if ": error: " in line]


def test_every_independent_mistake_is_reported_in_one_run(tmp_path: Path) -> None:
    root = course_with(tmp_path, {
        "03-yaml.yaml": "id: third\ntitle: Third: a colon\nsummary: Short.\n",
        "04-field.yaml": a_module("fourth", "fourth-q", "estimated_minutes: ten\n"),
        "05-first.yaml": a_module("fifth", "same-q"),
        "06-again.yaml": a_module("sixth", "same-q"),
    })
    status, errors = validate_subprocess(root)
    assert status == 1
    assert [line.split(": error: ")[0] for line in errors] == [
        "modules/03-yaml.yaml:2:13", "modules/04-field.yaml:4:20", "modules/06-again.yaml:9:15"]
    assert "mapping values are not allowed" in errors[0]
    assert "`estimated_minutes` must be a whole number" in errors[1]
    assert "the question id `same-q` is used twice in the course" in errors[2]


def test_a_file_with_a_mistake_still_takes_part_in_the_checks_across_files(
        tmp_path: Path) -> None:
    # The manifest and one module each have a mistake of their own; the module's question id
    # is also used elsewhere, and its text links to no term. All of it shows in one run.
    module = a_module("third", "basics-check-single", "estimated_minutes: ten\n")
    module = module.replace("summary: Short.", "summary: See [MSC](glossary:mcs).")
    root = course_with(tmp_path, {"03-field.yaml": module},
                       manifest_edit=("pass_mark: 0.8", "pass_mark: 80"))
    status, errors = validate_subprocess(root)
    assert status == 1
    messages = [line.split(": error: ")[1] for line in errors]
    assert len(errors) == 4, errors
    assert messages[0].startswith("`pass_mark` must be at most 1")
    assert "glossary link `glossary:mcs` names no term" in messages[1]
    assert messages[2].startswith("`estimated_minutes` must be a whole number")
    assert "the question id `basics-check-single` is used twice" in messages[3]


def test_a_mistake_is_not_echoed_by_the_checks_that_depend_on_its_file(tmp_path: Path) -> None:
    # A glossary that does not parse, and a module that does not parse but that another
    # requires: one problem each, not a problem for every link or every `requires`.
    root = course_with(tmp_path, {
        "03-broken.yaml": "id: third\ntitle: Third: a colon\nsummary: Short.\n",
        "04-needs.yaml": a_module("fourth", "fourth-q", "requires: [third]\n"),
    }, glossary="terms:\n  - id: msc\n    term: \"MSC\n")
    status, errors = validate_subprocess(root)
    assert status == 1
    assert [line.split(":")[0] for line in errors] == ["glossary.yaml", "modules/03-broken.yaml"]


@pytest.mark.parametrize("where", ["modules/02-more.yaml", "course.yaml"])
def test_a_named_pipe_where_a_course_file_should_be_is_named_and_never_waited_on(
        tmp_path: Path, where: str) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    (course / where).unlink()
    os.mkfifo(course / where)
    # Nobody ever writes into the pipe: a reader that opened it would wait for ever.
    done = subprocess.run([sys.executable, "-m", "tui.cli", "validate", str(course)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert "is a named pipe, not a YAML file" in done.stdout
    assert "does not exist" not in done.stdout
    assert "no course.yaml" not in done.stdout + done.stderr


def test_a_folder_where_a_module_file_should_be_is_called_a_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = tmp_path / "course"
    shutil.copytree(VALID, course)
    (course / "modules" / "02-more.yaml").unlink()
    (course / "modules" / "02-more.yaml").mkdir()
    status, out, _ = run(capsys, "validate", str(course))
    assert status == 1
    assert "`modules/02-more.yaml` is a folder, not a YAML file" in out
