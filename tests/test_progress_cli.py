"""`ivstem progress` and `ivstem learners`, as a student types them, mistakes included."""

from __future__ import annotations

import compileall
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from course.material.model import Course
from course.material.snapshot import checked_course
from course.paths import shipped_course_dir
from course.record.progress import ProgressStore, schema
from course.record.review import Asked, questions_of
from tui.cli import main

REPO = Path(__file__).resolve().parent.parent
TINY = "tiny-course"

COURSE_YAML = """\
format: 1
id: tiny-course
title: Tiny course
version: "1"
summary: A course for tests.
modules:
{modules}
"""

MODULE_ONE = """\
id: one
title: Module one
summary: First.
lessons:
  - id: intro
    title: Intro to one
    steps:
      - text: Hello.
  - id: more
    title: More of one
    steps:
      - text: More.
quiz:
  questions:
    - id: q-one
      type: true_false
      prompt: True?
      answer: true
"""

MODULE_TWO = """\
id: two
title: Module two
summary: Second.
lessons:
  - id: intro
    title: Intro to two
    steps:
      - text: Hello again.
  - id: only-two
    title: Only in two
    steps:
      - text: Bye.
"""


def write_course(folder: Path, modules: dict[str, str]) -> Path:
    (folder / "modules").mkdir(parents=True, exist_ok=True)
    for old in (folder / "modules").iterdir():
        old.unlink()
    listing = "\n".join(f"  - modules/{name}.yaml" for name in modules)
    (folder / "course.yaml").write_text(COURSE_YAML.format(modules=listing))
    for name, text in modules.items():
        (folder / "modules" / f"{name}.yaml").write_text(text)
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_course(tmp_path / "tiny", {"one": MODULE_ONE, "two": MODULE_TWO})


@pytest.fixture
def store(_own_data_dir: Path) -> Iterator[ProgressStore]:
    with ProgressStore.open() as opened:
        yield opened


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:  # argparse's own usage errors
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def study_module_one(store: ProgressStore, learner: str = "alice") -> None:
    store.complete_lesson(learner, TINY, "one", "intro")
    store.record_answer(learner, TINY, "q-one", "quiz", '{"value": true}', 1.0, 1.0, 0,
                        module_id="one")
    store.finish_quiz(learner, TINY, "one", 0.75, 3, False, "{}")
    store.finish_quiz(learner, TINY, "one", 1.0, 4, True, "{}")


class Terminal(io.StringIO):
    """Standard input that claims to be a terminal, with the learner's reply typed in."""

    def isatty(self) -> bool:
        return True


# -- the table -------------------------------------------------------------------------------


def test_the_table_lists_modules_in_order_with_lessons_best_quiz_passed_and_last_studied(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    study_module_one(store)
    status, out, err = run(capsys, "progress", "--course", str(tiny), "--learner", "alice")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    one = next(line for line in lines if "Module one" in line)
    two = next(line for line in lines if "Module two" in line)
    assert lines.index(one) < lines.index(two)
    assert "1/2" in one and "100%" in one and "yes" in one
    assert "0/2" in two and "no quiz" in two and "never" in two
    assert "Modules passed: 1 of 2" in out


def test_the_json_format_gives_the_same_figures_for_scripts(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    study_module_one(store)
    status, out, _ = run(capsys, "--learner", "alice", "progress", "--course", str(tiny),
                         "--format", "json")
    document = json.loads(out)
    assert status == 0
    assert document["learner"] == "alice"
    assert document["course"] == {"id": TINY, "title": "Tiny course", "version": "1"}
    one, two = document["modules"]
    assert (one["id"], one["lessons_done"], one["lessons_total"], one["best_quiz_score"],
            one["quiz_attempts"], one["passed"]) == ("one", 1, 2, 1.0, 2, True)
    assert one["last_studied"] is not None
    assert (two["id"], two["has_quiz"], two["passed"], two["last_studied"]) == (
        "two", False, False, None)


def test_progress_show_is_the_table_too(capsys: pytest.CaptureFixture[str], tiny: Path) -> None:
    assert run(capsys, "progress", "--course", str(tiny)) == run(
        capsys, "progress", "show", "--course", str(tiny))


def test_the_table_shows_only_the_chosen_learners_progress(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    study_module_one(store, "alice")
    _, out, _ = run(capsys, "progress", "--course", str(tiny), "--learner", "bob",
                    "--format", "json")
    document = json.loads(out)
    assert document["learner"] == "bob"
    assert [(m["id"], m["lessons_done"], m["passed"]) for m in document["modules"]] == [
        ("one", 0, False), ("two", 0, False)]


def test_the_default_learner_is_the_os_user(
        capsys: pytest.CaptureFixture[str], tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "jsmith")
    _, out, _ = run(capsys, "progress", "--course", str(tiny), "--format", "json")
    assert json.loads(out)["learner"] == "jsmith"


def test_a_course_with_problems_is_reported_as_path_line_col_and_exits_1(
        capsys: pytest.CaptureFixture[str], tiny: Path) -> None:
    (tiny / "modules" / "two.yaml").write_text(MODULE_TWO.replace("title: Module two\n", ""))
    status, out, err = run(capsys, "progress", "--course", str(tiny))
    assert status == 1
    assert out == ""
    assert "two.yaml:1:1: error:" in err
    assert "Traceback" not in err


def test_a_course_that_changed_under_saved_progress_shows_what_still_applies(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    study_module_one(store)
    store.complete_lesson("alice", TINY, "one", "more")
    store.complete_lesson("alice", TINY, "two", "intro")
    store.set_position("alice", TINY, {"module": "two", "lesson": "only-two"})
    # The new edition drops lesson `more`, the quiz question, and module two altogether.
    one_without_more = MODULE_ONE.replace(
        "  - id: more\n    title: More of one\n    steps:\n      - text: More.\n", "").replace(
        "id: q-one", "id: q-new")
    write_course(tiny, {"one": one_without_more})
    status, out, err = run(capsys, "progress", "--course", str(tiny), "--learner", "alice",
                           "--format", "json")
    assert (status, err) == (0, "")
    [one] = json.loads(out)["modules"]
    assert (one["lessons_done"], one["lessons_total"]) == (1, 1)
    status, out, err = run(capsys, "progress", "--course", str(tiny), "--learner", "alice")
    assert (status, err) == (0, "")
    assert "Continue where" not in out  # the position names a module that is gone
    assert len(store.answers("alice", TINY)) == 1  # kept, though its question is gone


def test_the_table_offers_to_continue_where_the_learner_left_off(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    store.set_position("alice", TINY, {"module": "two", "lesson": "only-two", "step": 0})
    _, out, _ = run(capsys, "progress", "--course", str(tiny), "--learner", "alice")
    assert "Continue where you left off: Module two > Only in two" in out


# -- the dashboard's figures -----------------------------------------------------------------


def shipped_course() -> Course:
    course = checked_course(shipped_course_dir(), None).course
    assert course is not None
    return course


def practise_a_tagged_check(store: ProgressStore, learner: str = "alice") -> Asked:
    """One tagged practice check answered wrong, then right; an hour and five minutes' study."""
    course = shipped_course()
    asked = next(a for a in questions_of(course).values() if a.lesson and a.question.tags)
    assert asked.lesson is not None
    for share in (0.0, 1.0):
        store.record_answer(learner, course.id, asked.question.id, "check", "{}", share, share,
                            0, asked.module.id, asked.lesson.id)
    store.add_time(learner, course.id, asked.module.id, 3900)
    return asked


def test_progress_shows_the_dashboards_figures_as_plain_sentences(
        capsys: pytest.CaptureFixture[str], store: ProgressStore) -> None:
    asked = practise_a_tagged_check(store)
    assert asked.lesson is not None
    status, out, err = run(capsys, "progress", "--learner", "alice")
    assert (status, err) == (0, "")
    figures = out[out.index("Learner: alice."):].splitlines()[2:]
    assert figures[:3] == ["1 day in a row.", "2 answers in the last 7 days (today: 2).",
                           "1 h 05 min studied."]
    assert "due for review" in figures[3]
    assert figures[4] == "Weakest topics, by the share of your answers right, lowest first:"
    assert figures[5].startswith("- ") and ": 50% (1 of 2 right). Go over: " in figures[5]
    assert f"{asked.module.title} > {asked.lesson.title}" in figures[5]
    assert not any(set(line) & set("│┃━─┏┗█░▏") for line in figures), "no boxes or bars"


def test_progress_says_when_no_topic_is_weak_yet(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    study_module_one(store)
    _, out, _ = run(capsys, "progress", "--course", str(tiny), "--learner", "alice")
    assert "No study time yet." in out
    assert "Weakest topics: none yet." in out


def test_the_json_format_has_the_dashboards_figures_too(
        capsys: pytest.CaptureFixture[str], store: ProgressStore) -> None:
    asked = practise_a_tagged_check(store)
    _, out, _ = run(capsys, "progress", "--learner", "alice", "--format", "json")
    figures = json.loads(out)["figures"]
    assert (figures["streak_days"], figures["studied_today"], figures["answers_last_7_days"],
            figures["seconds_studied"]) == (1, True, 2, 3900.0)
    assert len(figures["answers_per_day"]) == 28 and figures["answers_per_day"][-1] == 2
    weakest = figures["weakest_topics"][0]
    assert (weakest["answered"], weakest["right"]) == (2, 1)
    assert {"module": asked.module.id, "lesson": asked.lesson.id} in weakest["lessons"]


def test_progress_reads_the_checked_course_instead_of_checking_it_again(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from course.material import loader

    checked: list[Path] = []
    load_course = loader.load_course

    def check(folder: Path) -> loader.LoadResult:
        checked.append(folder)
        return load_course(folder)

    monkeypatch.setattr(loader, "load_course", check)
    assert run(capsys, "progress", "--course", str(tiny))[0] == 0
    assert checked == [tiny]  # checked, and kept beside the progress
    assert run(capsys, "progress", "--course", str(tiny))[0] == 0
    assert run(capsys, "progress")[0] == 0  # the shipped course comes checked
    assert checked == [tiny]
    (tiny / "modules" / "two.yaml").write_text(MODULE_TWO.replace("Bye.", "Goodbye."))
    assert run(capsys, "progress", "--course", str(tiny))[0] == 0
    assert checked == [tiny, tiny]  # changed since: checked afresh


def test_ivstem_progress_prints_the_figures_without_loading_the_yaml_checker(
        store: ProgressStore) -> None:
    practise_a_tagged_check(store)
    store.close()
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui.cli", "progress", "--learner", "alice"],
        capture_output=True, text=True, timeout=60, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert "1 day in a row." in result.stdout
    assert "2 answers in the last 7 days (today: 2)." in result.stdout
    assert "Weakest topics, by the share of your answers right" in result.stdout
    imported = result.stderr
    assert "course.material.loader" not in imported and "yaml" not in imported


# -- export and import -----------------------------------------------------------------------


def test_export_then_import_on_another_machine_then_again_changes_nothing(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore,
        tmp_path: Path) -> None:
    study_module_one(store)
    exported = tmp_path / "alice.json"
    status, out, err = run(capsys, "progress", "export", str(exported), "--learner", "alice")
    assert (status, err) == (0, "")
    assert "Exported the progress of 'alice'" in out
    other = tmp_path / "other-machine"
    status, out, _ = run(capsys, "progress", "import", str(exported), "--data-dir", str(other))
    assert status == 0
    assert out.startswith(f"Imported {exported} into the progress of 'alice': 1 answer,")
    status, out, _ = run(capsys, "progress", "import", str(exported), "--data-dir", str(other))
    assert status == 0
    assert out == f"Nothing new in {exported}: the progress of 'alice' already has all of it.\n"
    _, out, _ = run(capsys, "--data-dir", str(other), "--learner", "alice", "progress",
                    "--course", str(tiny), "--format", "json")
    assert json.loads(out)["modules"][0]["passed"] is True


def test_export_to_standard_output_for_scripts(
        capsys: pytest.CaptureFixture[str], store: ProgressStore) -> None:
    study_module_one(store)
    status, out, _ = run(capsys, "progress", "export", "-", "--learner", "alice")
    assert status == 0
    assert json.loads(out)["format"] == "ivstem-progress"


def test_export_takes_its_file_with_o_as_the_other_commands_do(
        capsys: pytest.CaptureFixture[str], store: ProgressStore, tmp_path: Path) -> None:
    study_module_one(store)
    target = tmp_path / "alice.json"
    status, out, _ = run(capsys, "progress", "export", "-o", str(target), "--learner", "alice")
    assert status == 0 and f"to {target}:" in out
    assert json.loads(target.read_text())["format"] == "ivstem-progress"
    status, _, err = run(capsys, "progress", "export", str(target), "-o", str(target),
                         "--learner", "alice")
    assert status == 2 and "either FILE or -o FILE, not both" in err
    status, _, err = run(capsys, "progress", "export", "--learner", "alice")
    assert status == 2 and "where to write" in err


def test_exporting_a_learner_with_no_progress_says_who_has_some(
        capsys: pytest.CaptureFixture[str], store: ProgressStore, tmp_path: Path) -> None:
    study_module_one(store, "alice")
    status, _, err = run(capsys, "progress", "export", str(tmp_path / "x.json"),
                           "--learner", "nobody")
    assert status == 1
    assert "no progress for learner 'nobody'" in err
    assert "alice" in err
    assert not (tmp_path / "x.json").exists()


def test_import_goes_to_the_learner_given_with_the_learner_option(
        capsys: pytest.CaptureFixture[str], store: ProgressStore, tmp_path: Path) -> None:
    study_module_one(store, "alice")
    run(capsys, "progress", "export", str(tmp_path / "a.json"), "--learner", "alice")
    status, out, _ = run(capsys, "progress", "import", str(tmp_path / "a.json"),
                         "--learner", "alice-2")
    assert status == 0
    assert "into the progress of 'alice-2'" in out
    assert len(store.answers("alice-2", TINY)) == 1


@pytest.mark.parametrize(("setup", "expected"), [
    ("missing", "Cannot read"),
    ("folder", "is a folder"),
    ("not-json", "is not an ivstem progress file"),
    ("tampered", "has been changed since it was exported"),
])
def test_a_bad_import_file_gets_one_clear_message_and_exit_1(
        capsys: pytest.CaptureFixture[str], store: ProgressStore, tmp_path: Path,
        setup: str, expected: str) -> None:
    study_module_one(store, "alice")
    target = tmp_path / "in.json"
    if setup == "folder":
        target.mkdir()
    elif setup == "not-json":
        target.write_text("name,score\nalice,100\n")
    elif setup == "tampered":
        run(capsys, "progress", "export", str(target), "--learner", "alice")
        target.write_text(target.read_text().replace('"score": 0.75', '"score": 1.0'))
    status, _, err = run(capsys, "progress", "import", str(target), "--learner", "mallory")
    assert status == 1
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert "mallory" not in store.learners()


# -- reset -----------------------------------------------------------------------------------


def test_reset_a_lesson_with_yes_forgets_just_that_lesson(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    study_module_one(store)
    store.complete_lesson("alice", TINY, "two", "only-two")
    status, out, _ = run(capsys, "progress", "reset", "--lesson", "only-two", "--yes",
                         "--course", str(tiny), "--learner", "alice")
    assert status == 0
    assert "Reset lesson 'Only in two'" in out
    assert store.completed_lessons("alice", TINY) == {("one", "intro")}


def test_a_lesson_id_in_two_modules_must_be_given_as_module_slash_lesson(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    study_module_one(store)
    status, _, err = run(capsys, "progress", "reset", "--lesson", "intro", "--yes",
                         "--course", str(tiny), "--learner", "alice")
    assert status == 2
    assert "one/intro, two/intro" in err
    status, _, _ = run(capsys, "progress", "reset", "--lesson", "one/intro", "--yes",
                       "--course", str(tiny), "--learner", "alice")
    assert status == 0
    assert store.completed_lessons("alice", TINY) == frozenset()


def test_reset_of_an_unknown_module_suggests_the_nearest(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    study_module_one(store)
    status, _, err = run(capsys, "progress", "reset", "--module", "onw", "--yes",
                         "--course", str(tiny), "--learner", "alice")
    assert status == 2
    assert "did you mean `one`?" in err
    assert store.passed_modules("alice", TINY) == {"one"}


def test_reset_a_module_and_reset_all(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore) -> None:
    study_module_one(store)
    store.complete_lesson("alice", TINY, "two", "only-two")
    assert run(capsys, "progress", "reset", "--module", "one", "--yes", "--course", str(tiny),
               "--learner", "alice")[0] == 0
    assert set(store.summary("alice", TINY)) == {"two"}
    assert run(capsys, "progress", "reset", "--all", "--yes", "--course", str(tiny),
               "--learner", "alice")[0] == 0
    assert store.summary("alice", TINY) == {}


def test_reset_needs_to_be_told_what_to_reset(
        capsys: pytest.CaptureFixture[str], tiny: Path) -> None:
    status, _, err = run(capsys, "progress", "reset", "--course", str(tiny))
    assert status == 2
    assert "--lesson" in err and "--module" in err and "--all" in err


def test_reset_without_a_terminal_or_yes_refuses_instead_of_hanging(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    study_module_one(store)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    status, _, err = run(capsys, "progress", "reset", "--all", "--course", str(tiny),
                         "--learner", "alice")
    assert status == 1
    assert "--yes" in err
    assert store.passed_modules("alice", TINY) == {"one"}


@pytest.mark.parametrize(("reply", "kept"), [("n\n", True), ("\n", True), ("yes\n", False)])
def test_reset_asks_first_on_a_terminal(
        capsys: pytest.CaptureFixture[str], tiny: Path, store: ProgressStore,
        monkeypatch: pytest.MonkeyPatch, reply: str, kept: bool) -> None:
    study_module_one(store)
    monkeypatch.setattr(sys, "stdin", Terminal(reply))
    status, out, _ = run(capsys, "progress", "reset", "--module", "one", "--course", str(tiny),
                         "--learner", "alice")
    assert status == 0
    assert "Reset module 'Module one' for learner 'alice'? This cannot be undone. [y/N]" in out
    assert bool(store.summary("alice", TINY)) is kept


# -- learners --------------------------------------------------------------------------------


def test_learners_with_no_action_lists_the_profiles_marking_the_one_in_use(
        capsys: pytest.CaptureFixture[str], store: ProgressStore) -> None:
    store.add_learner("bob")
    store.add_learner("alice")
    status, out, _ = run(capsys, "learners", "--learner", "bob")
    assert status == 0
    assert out.splitlines() == ["  alice", "* bob (in use)"]
    _, out, _ = run(capsys, "learners", "list", "--format", "json", "--learner", "BOB")
    assert json.loads(out) == {"learners": ["alice", "bob"], "current": "bob"}


def test_learners_add_rename_and_remove(
        capsys: pytest.CaptureFixture[str], store: ProgressStore) -> None:
    assert run(capsys, "learners", "add", "Zoë")[0] == 0
    store.record_answer("Zoë", TINY, "q", "check", "{}", 1, 1, 0)
    assert run(capsys, "learners", "rename", "zoë", "Zoe B")[0] == 0
    assert store.learners() == ["Zoe B"]
    assert len(store.answers("Zoe B", TINY)) == 1
    status, _, _ = run(capsys, "learners", "remove", "Zoe B", "--yes")
    assert status == 0
    assert store.learners() == []


@pytest.mark.parametrize(("args", "status", "expected"), [
    (("learners", "add", "bob"), 1, "already exists"),
    (("learners", "rename", "nobody", "x"), 1, "no learner named 'nobody'"),
    (("learners", "rename", "alice", "bob"), 1, "already exists"),
    (("learners", "remove", "nobody", "--yes"), 1, "no learner named 'nobody'"),
    (("learners", "add", "x" * 65), 2, "at most 64 characters"),
    (("learners", "add", "\x1b[31mred"), 2, "cannot be shown"),
    (("progress", "--learner", ""), 2, "cannot be empty"),
])
def test_learner_mistakes_get_one_message_and_the_right_exit_status(
        capsys: pytest.CaptureFixture[str], store: ProgressStore,
        args: tuple[str, ...], status: int, expected: str) -> None:
    store.add_learner("alice")
    store.add_learner("bob")
    result, _, err = run(capsys, *args)
    assert result == status
    assert expected in err
    assert "Traceback" not in err
    assert store.learners() == ["alice", "bob"]


def test_removing_a_learner_without_a_terminal_or_yes_refuses(
        capsys: pytest.CaptureFixture[str], store: ProgressStore,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_learner("alice")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    status, _, err = run(capsys, "learners", "remove", "alice")
    assert status == 1
    assert "--yes" in err
    assert store.learners() == ["alice"]


# -- the store cannot be used ----------------------------------------------------------------


def test_an_unwritable_data_dir_gets_a_message_naming_both_ways_out(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    status, _, err = run(capsys, "learners", "--data-dir", str(tmp_path / "file" / "data"))
    assert status == 1
    assert "--data-dir" in err and "IVSTEM_DATA_DIR" in err
    assert "Traceback" not in err


def test_a_store_from_a_newer_ivstem_is_refused_with_a_message(
        capsys: pytest.CaptureFixture[str], _own_data_dir: Path, tiny: Path) -> None:
    ProgressStore.open().close()
    raw = sqlite3.connect(_own_data_dir / "progress.sqlite3")
    raw.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    status, _, err = run(capsys, "progress", "--course", str(tiny))
    assert status == 1
    assert "newer version of ivstem" in err
    assert len(err.strip().splitlines()) == 1


def test_a_damaged_store_is_reported_and_the_command_goes_on(
        capsys: pytest.CaptureFixture[str], _own_data_dir: Path) -> None:
    (_own_data_dir / "progress.sqlite3").write_text("garbage " * 100)
    status, out, err = run(capsys, "learners", "add", "alice")
    assert status == 0
    assert "moved aside" in err
    assert "Added learner 'alice'" in out


# -- read-only install -----------------------------------------------------------------------


def _tree(root: Path) -> dict[str, tuple[int, int, bytes]]:
    return {
        str(path.relative_to(root)): (path.stat().st_mtime_ns, path.stat().st_size,
                                      path.read_bytes() if path.is_file() else b"")
        for path in sorted(root.rglob("*"))
    }


def _set_read_only(root: Path, read_only: bool) -> None:
    chattr = os.geteuid() == 0 and shutil.which("chattr")
    if chattr and not read_only:
        subprocess.run(["chattr", "-R", "-i", str(root)], capture_output=True, check=False)
    for path in [root, *root.rglob("*")]:
        mode = path.stat().st_mode
        os.chmod(path, mode & ~0o222 if read_only else mode | stat.S_IWUSR)
    if chattr and read_only:
        # Root ignores modes; the immutable flag stops root too (where the kernel allows it).
        subprocess.run(["chattr", "-R", "+i", str(root)], capture_output=True, check=False)


def test_the_commands_run_from_a_read_only_install_and_never_write_inside_it(
        tmp_path: Path) -> None:
    site = tmp_path / "site"
    for package in ("course", "quizzes", "tui"):
        shutil.copytree(REPO / package, site / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    assert compileall.compile_dir(site, quiet=1)  # as pip does when it installs
    before = _tree(site)
    data = tmp_path / "data"
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "IVSTEM_DATA_DIR": str(data)}

    def ivstem(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main())",
             *args], env=env, cwd=elsewhere, capture_output=True, text=True, timeout=60)

    _set_read_only(site, True)
    try:
        where = subprocess.run([sys.executable, "-c", "import course; print(course.__file__)"],
                               env=env, cwd=elsewhere, capture_output=True, text=True)
        assert where.stdout.strip() == str(site / "course" / "__init__.py")
        exported = str(tmp_path / "me.json")
        for args in (("learners", "add", "alice"),
                     ("progress", "--learner", "alice"),
                     ("progress", "export", exported, "--learner", "alice"),
                     ("progress", "import", exported),
                     ("progress", "reset", "--all", "--yes", "--learner", "alice"),
                     ("learners",)):
            result = ivstem(*args)
            assert result.returncode == 0, (args, result.stderr)
    finally:
        _set_read_only(site, False)
    assert _tree(site) == before
    assert (data / "progress.sqlite3").exists()


def test_the_help_of_import_says_which_learner_a_file_goes_to(
        capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "progress", "import", "--help")
    assert status == 0
    text = " ".join(out.split())
    assert "learner named in it" in text
    assert "--learner NAME" in text
