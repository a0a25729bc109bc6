"""`--learner NAME` for a profile that does not exist yet, while others do: a mistyped name
must not quietly open an empty record. On a terminal ivstem asks; without one it refuses and
says how to create the profile."""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import pexpect
import pytest

from course.record.progress import ProgressStore
from tui.cli import main
from tui.cli.common import EXIT_OK, EXIT_PROBLEMS
from tui.new_learner import check_new_learner

VALID = Path(__file__).parent / "data" / "courses" / "valid"
PLAIN = Path(__file__).parent / "data" / "courses" / "plain"
IVSTEM = str(Path(sys.executable).parent / "ivstem")


def with_profiles(data_dir: Path, *names: str) -> None:
    """A data folder whose store holds these profiles."""
    with ProgressStore.open(data_dir) as store:
        for name in names:
            store.add_learner(name)


def profiles(data_dir: Path) -> list[str]:
    with ProgressStore.open(data_dir) as store:
        return store.learners()


def test_without_a_terminal_a_new_name_is_refused_with_the_profiles_and_how_to_add_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with_profiles(tmp_path, "ana", "Ben")
    status = main(["--course", str(VALID), "--learner", "bob smith", "--data-dir", str(tmp_path)])
    assert status == EXIT_PROBLEMS
    err = " ".join(capsys.readouterr().err.split())
    assert f"there is no learner profile 'bob smith' in {tmp_path}" in err
    assert "the profiles there are: ana, Ben." in err
    assert "`ivstem learners add 'bob smith'`" in err
    assert profiles(tmp_path) == ["ana", "Ben"]


def test_piped_answers_to_the_plain_mode_are_not_read_as_a_reply(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with_profiles(tmp_path, "ana")
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n1\n"))
    status = main(["--plain", "--course", str(PLAIN), "--learner", "anna",
                   "--data-dir", str(tmp_path)])
    assert status == EXIT_PROBLEMS
    captured = capsys.readouterr()
    assert "`ivstem learners add anna`" in captured.err
    assert "Create a new profile" not in captured.out
    assert profiles(tmp_path) == ["ana"]


def test_an_existing_name_in_any_case_or_the_first_profile_goes_straight_on(
        tmp_path: Path) -> None:
    quiet = io.StringIO()
    with ProgressStore.open(tmp_path / "empty") as store:
        assert check_new_learner(store, "zoe", stdin=quiet, stdout=quiet) is None
    with_profiles(tmp_path, "ana")
    with ProgressStore.open(tmp_path) as store:
        assert check_new_learner(store, "ANA", stdin=quiet, stdout=quiet) is None
        assert check_new_learner(store, None, stdin=quiet, stdout=quiet) is None
    with ProgressStore.in_memory() as store:
        store.add_learner("ana")
        assert check_new_learner(store, "bob", stdin=quiet, stdout=quiet) is None
    assert quiet.getvalue() == ""


def spawn(data_dir: Path, learner: str) -> pexpect.spawn:
    """ivstem in a pseudo-terminal of 80x24, as a learner starts it."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    return pexpect.spawn(IVSTEM, ["--course", str(VALID), "--learner", learner,
                                  "--data-dir", str(data_dir)],
                         dimensions=(24, 80), env=env, timeout=20)


def test_on_a_terminal_ivstem_asks_and_no_creates_nothing(tmp_path: Path) -> None:
    with_profiles(tmp_path, "ana")
    child = spawn(tmp_path, "anna")
    try:
        child.expect_exact("the profiles there are: ana.")
        child.expect_exact("Create a new profile 'anna'? [y/N] ")
        child.sendline("")
        child.expect_exact("Nothing was created.")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == EXIT_OK
    finally:
        child.close(force=True)
    assert profiles(tmp_path) == ["ana"]


def test_on_a_terminal_yes_creates_the_profile_and_opens_the_course(tmp_path: Path) -> None:
    with_profiles(tmp_path, "ana")
    child = spawn(tmp_path, "bob")
    try:
        child.expect_exact("Create a new profile 'bob'? [y/N] ")
        child.sendline("y")
        child.expect_exact("learner: bob")
        time.sleep(0.5)
        child.send("\x11")  # ctrl+q
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == EXIT_OK
    finally:
        child.close(force=True)
    assert profiles(tmp_path) == ["ana", "bob"]
