"""Signed completion records: the instructor's key, issuing from exports, and every forgery.

The attacks are the ones a learner with ivstem (it is open source) can make: change the name or
the course and compute the code again with `course.record.certificate.render`; keep or drop
the signature; sign with a key of their own named after the instructor; edit their progress
export and compute its checksum again. None of them may ever be reported as signed by the
instructor, nor as genuine.
"""

from __future__ import annotations

import base64
import json
import os
import re
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from studied import study_course, take_quiz
from test_app import VALID

from course.material.loader import load_course
from course.material.model import Course
from course.record import certificate
from course.record.certificate import Record, render, sign
from course.record.learner import Learner
from course.record.progress import ProgressStore
from course.record.progress.transfer import checksum, export_document
from course.record.progress.transfer import render as render_export
from course.record.signing import (
    PrivateKey,
    new_key,
    read_private_key,
    read_public_key,
    write_key_pair,
)
from tui.cli import main

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "certificates"
INSTRUCTOR = "Dr Ada Ruiz, St Elsewhere"


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates are local dates: run these tests in UTC, wherever the machine is."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = load_course(VALID).course
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The instructor's key pair, as `ivstem keys new` writes it: (private, public)."""
    return write_key_pair(new_key(INSTRUCTOR), tmp_path_factory.mktemp("keys"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def export_of(course: Course, folder: Path, name: str = "Ana Lima", *,
              fail_first: bool = True, passes: bool = True, file: str | None = None) -> Path:
    """A learner's real progress export: the whole course studied, each quiz taken for real."""
    with ProgressStore.in_memory() as store:
        if passes:
            study_course(course, store, name, fail_first=fail_first)
        else:
            learner = Learner(course, store, name)
            for module in course.modules:
                for lesson in module.lessons:
                    learner.complete_lesson(module, lesson)
                if module.quiz is not None:
                    take_quiz(learner, module, right=False)
        document = export_document(store, name)
    path = folder / (file or f"{name.replace(' ', '-')}.json")
    path.write_text(render_export(document), encoding="utf-8")
    return path


def issued(capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
           tmp_path: Path) -> tuple[Path, Path]:
    """The signed record of Ana Lima, issued from her real export: (markdown, html)."""
    export = export_of(course, tmp_path)
    out = tmp_path / "issued"
    status, said, _ = run(capsys, "certificate", "issue", str(export), "--key", str(keys[0]),
                          "-o", str(out), "--course", str(VALID))
    assert status == 0, said
    stem = out / "ivstem-certificate-test-course-Ana-Lima"
    return stem.with_suffix(".md"), stem.with_suffix(".html")


def embedded(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    payload = text.split("<!-- ivstem-record ")[1].split(" -->")[0]
    data: dict[str, Any] = json.loads(payload)
    return data


def verify(capsys: pytest.CaptureFixture[str], path: Path, key: Path | None = None
           ) -> tuple[int, str]:
    args = ["certificate", "--verify", str(path)]
    if key is not None:
        args += ["--key", str(key)]
    status, out, _ = run(capsys, *args)
    assert "GENUINE" not in out
    return status, out


# -- the key ------------------------------------------------------------------------------------


def test_keys_new_writes_a_private_key_for_its_owner_only_and_a_named_public_key(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    status, out, _ = run(capsys, "keys", "new", "-o", str(folder), "--name", INSTRUCTOR)
    assert status == 0
    private, public = folder / "ivstem-signing-key.json", folder / "ivstem-signing-key.pub.json"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    document = json.loads(public.read_text())
    assert document["name"] == INSTRUCTOR
    assert "private_key" not in document
    key = read_public_key(public)
    assert key.fingerprint == document["fingerprint"]
    assert f"fingerprint {key.fingerprint}" in out
    assert read_private_key(private).public == key
    status, out, _ = run(capsys, "keys", "show", str(public))
    assert (status, out.strip()) == (0, f"{public}: the public key of “{INSTRUCTOR}”,"
                                        f" fingerprint {key.fingerprint}.")


def test_keys_new_never_overwrites_a_key(capsys: pytest.CaptureFixture[str],
                                         tmp_path: Path) -> None:
    run(capsys, "keys", "new", "-o", str(tmp_path), "--name", "First")
    before = (tmp_path / "ivstem-signing-key.json").read_bytes()
    status, _, err = run(capsys, "keys", "new", "-o", str(tmp_path), "--name", "Second")
    assert status == 1
    assert "already exists; ivstem never overwrites a key" in err
    assert (tmp_path / "ivstem-signing-key.json").read_bytes() == before


@pytest.mark.parametrize("name", ["", "   ", "tab\tand\x1b[2J"])
def test_a_key_needs_a_printable_name(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                      name: str) -> None:
    status, _, err = run(capsys, "keys", "new", "-o", str(tmp_path), "--name", name)
    assert status == 2
    assert "keys new --name:" in err
    assert not list(tmp_path.iterdir())


def test_a_damaged_or_foreign_key_file_is_refused_with_a_message(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, keys: tuple[Path, Path]) -> None:
    record = DATA / "version-1.md"
    damaged = tmp_path / "damaged.pub.json"
    document = json.loads(keys[1].read_text())
    document["public_key"] = base64.b64encode(b"x" * 32).decode()
    damaged.write_text(json.dumps(document))
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000)
    for bad, expected in ((damaged, "its fingerprint is not that of its key"),
                          (deep, "nests arrays or objects"),
                          (tmp_path / "missing.json", "Cannot read"),
                          (record, "is not an ivstem key file")):
        status, _, err = run(capsys, "certificate", "--verify", str(record), "--key", str(bad))
        assert status == 2, bad
        assert expected in err


# -- issuing ------------------------------------------------------------------------------------


def test_an_instructor_issues_a_signed_record_that_verifies_with_the_public_key(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    markdown, page = issued(capsys, course, keys, tmp_path)
    text = markdown.read_text(encoding="utf-8")
    key = read_public_key(keys[1])
    assert text.startswith("# Completion record (signed)")
    assert f"signed by **{INSTRUCTOR}** with the key {key.fingerprint}" in text
    assert "| The basics | 100% | 50% |" in text  # the best attempt that passes, graded again
    assert "self-reported" not in text.lower()
    html = page.read_text(encoding="utf-8")
    assert f"signed by <strong>{INSTRUCTOR}</strong>" in html
    for path in (markdown, page):
        status, out = verify(capsys, path, keys[1])
        assert status == 0
        assert out.startswith(f"SIGNED: {path} is the completion record of Ana Lima in “A test"
                              " course”")
        assert f"signed by “{INSTRUCTOR}”, key {key.fingerprint}, the key you gave" in out


def test_without_the_public_key_verify_names_the_key_but_not_whose_it_is(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    markdown, _ = issued(capsys, course, keys, tmp_path)
    status, out = verify(capsys, markdown)
    assert status == 3
    fingerprint = read_public_key(keys[1]).fingerprint
    assert out.startswith(f"SIGNED BY AN UNCONFIRMED KEY: {markdown}")
    assert f"signed by the key {fingerprint}" in out
    assert "cannot say whose it is" in out


def test_a_record_checked_against_another_key_is_not_signed_by_it(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    markdown, _ = issued(capsys, course, keys, tmp_path)
    _, other = write_key_pair(new_key(INSTRUCTOR), tmp_path / "other")
    status, out = verify(capsys, markdown, other)
    assert status == 1
    assert out.startswith(f"NOT SIGNED BY THAT KEY: {markdown} is signed by the key"
                          f" {read_public_key(keys[1]).fingerprint}")


def test_a_learner_whose_answers_do_not_pass_gets_no_record(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    export = export_of(course, tmp_path, "Bo", passes=False)
    status, out, _ = run(capsys, "certificate", "issue", str(export), "--key", str(keys[0]),
                         "-o", str(tmp_path / "out"), "--course", str(VALID))
    assert status == 1
    assert "Not issued to Bo: the progress does not complete “A test course”:" in out
    assert "- “The basics”: no attempt at its quiz passes (graded again with the course, the" \
        " best of 1 attempts scores 0%, below the pass mark of 50%)." in out
    assert not (tmp_path / "out").exists()


def test_an_edited_export_that_claims_a_pass_gets_no_record(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    """The learner failed, then edited the file: full score, passed, modules passed, and the
    checksum computed again. The answers saved in the attempt still fail."""
    export = export_of(course, tmp_path, "Bo", passes=False)
    document = json.loads(export.read_text())
    records = document["records"]
    for attempt in records["quiz_attempts"]:
        attempt.update(score=1.0, points=1.0, passed=True)
    records["modules_passed"] = [{"course": "test-course", "module": module.id,
                                  "at": records["quiz_attempts"][0]["at"]}
                                 for module in course.modules]
    document["checksum"] = checksum(document)
    export.write_text(render_export(document))
    status, out, _ = run(capsys, "certificate", "issue", str(export), "--key", str(keys[0]),
                         "-o", str(tmp_path / "out"), "--course", str(VALID))
    assert status == 1
    assert "Not issued to Bo" in out
    assert out.count("no attempt at its quiz passes (graded again with the course") == 2


def test_an_attempt_without_its_answers_does_not_count(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    export = export_of(course, tmp_path)
    document = json.loads(export.read_text())
    for attempt in document["records"]["quiz_attempts"]:
        attempt["state"] = "{}"
    document["checksum"] = checksum(document)
    export.write_text(render_export(document))
    status, out, _ = run(capsys, "certificate", "issue", str(export), "--key", str(keys[0]),
                         "-o", str(tmp_path / "out"), "--course", str(VALID))
    assert status == 1
    assert "2 attempts do not count: its saved answers cannot be read" in out


def test_issue_takes_folders_merges_a_learners_files_and_leaves_out_bad_files(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    export_of(course, inbox, "Ana Lima", file="first.json")
    export_of(course, inbox, "Ana-Lima", file="second.json")  # another learner, one file stem
    (inbox / "broken.json").write_text("[" * 100_000)
    out = tmp_path / "out"
    status, said, err = run(capsys, "certificate", "issue", str(inbox), "--key", str(keys[0]),
                            "-o", str(out), "--course", str(VALID))
    assert status == 1  # a file was left out
    assert "left out" in err and "broken.json" in err and "nests arrays or objects" in err
    assert said.count("Issued the signed record of") == 2
    names = sorted(path.name for path in out.iterdir())
    assert names == ["ivstem-certificate-test-course-Ana-Lima-2.html",
                     "ivstem-certificate-test-course-Ana-Lima-2.md",
                     "ivstem-certificate-test-course-Ana-Lima.html",
                     "ivstem-certificate-test-course-Ana-Lima.md"]


def test_issue_wants_the_private_key_and_warns_when_others_can_read_it(
        capsys: pytest.CaptureFixture[str], course: Course, tmp_path: Path) -> None:
    private, public = write_key_pair(new_key(INSTRUCTOR), tmp_path / "keys")
    export = export_of(course, tmp_path)
    status, _, err = run(capsys, "certificate", "issue", str(export), "--key", str(public),
                         "-o", str(tmp_path / "out"), "--course", str(VALID))
    assert status == 2
    assert "is a public key; signing needs the private key" in err
    os.chmod(private, 0o644)
    status, _, err = run(capsys, "certificate", "issue", str(export), "--key", str(private),
                         "-o", str(tmp_path / "out"), "--course", str(VALID))
    assert status == 0
    assert "can be read by other accounts on this machine" in err


# -- forgeries: never signed, never genuine --------------------------------------------------------


def rewrite(path: Path, record: Record) -> None:
    fmt = "html" if path.suffix == ".html" else "markdown"
    path.write_text(render(record, fmt), encoding="utf-8")


def forged_fields(fields: dict[str, Any]) -> dict[str, Any]:
    changed = json.loads(json.dumps(fields))
    changed["learner"] = "Mallory"
    changed["course"]["title"] = "Advanced stem cell surgery"
    return changed


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_a_self_reported_record_with_the_name_and_course_changed_and_its_code_recomputed_is_only_self_reported(  # noqa: E501
        capsys: pytest.CaptureFixture[str], tmp_path: Path, keys: tuple[Path, Path],
        suffix: str) -> None:
    path = tmp_path / f"forged{suffix}"
    fields = embedded(DATA / "version-1.md")["record"]
    rewrite(path, Record(forged_fields(fields)))
    for key in (None, keys[1]):
        status, out = verify(capsys, path, key)
        assert status == 4
        assert out.startswith(f"SELF-REPORTED, NOT SIGNED: {path} is the completion record of"
                              " Mallory")
        assert "proves nothing about who passed the course" in out
        assert not out.startswith("SIGNED")


@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_a_signed_record_with_the_name_and_course_changed_and_its_code_recomputed_is_refused(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path, suffix: str) -> None:
    markdown, page = issued(capsys, course, keys, tmp_path)
    path = markdown if suffix == ".md" else page
    data = embedded(path)
    signature = base64.b64decode(data["signature"])
    rewrite(path, Record(forged_fields(data["record"]), signature))
    for key in (None, keys[1]):
        status, out = verify(capsys, path, key)
        assert status == 1
        assert out.startswith(f"ALTERED: {path}: its signature does not match its contents.")


def test_a_signed_record_stripped_of_its_signature_is_only_self_reported(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    markdown, _ = issued(capsys, course, keys, tmp_path)
    fields = forged_fields(embedded(markdown)["record"])
    del fields["signed_by"]
    rewrite(markdown, Record(fields))
    status, out = verify(capsys, markdown, keys[1])
    assert status == 4
    assert out.startswith("SELF-REPORTED, NOT SIGNED")
    assert "It is not signed by the key you gave" in out


def test_a_record_signed_by_a_key_of_the_learners_own_under_the_instructors_name(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    markdown, _ = issued(capsys, course, keys, tmp_path)
    impostor = new_key(INSTRUCTOR)
    fields = forged_fields(embedded(markdown)["record"])
    del fields["signed_by"]
    rewrite(markdown, sign(Record(fields), impostor))
    status, out = verify(capsys, markdown)
    assert status == 3  # a valid signature by *a* key: whose, only --key can say
    assert impostor.public.fingerprint in out
    assert read_public_key(keys[1]).fingerprint not in out
    status, out = verify(capsys, markdown, keys[1])
    assert status == 1
    assert out.startswith("NOT SIGNED BY THAT KEY")


def test_the_instructors_key_named_in_a_record_signed_by_another_is_refused(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    markdown, _ = issued(capsys, course, keys, tmp_path)
    impostor = new_key("Mallory")
    fields = forged_fields(embedded(markdown)["record"])  # still names the instructor's key
    rewrite(markdown, Record(fields, impostor.sign(certificate.canonical(fields))))
    for key in (None, keys[1]):
        status, out = verify(capsys, markdown, key)
        assert status == 1
        assert "its signature does not match its contents" in out


def test_a_signature_taken_from_another_record_is_refused(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    markdown, _ = issued(capsys, course, keys, tmp_path)
    data = embedded(markdown)
    text = markdown.read_text(encoding="utf-8")
    other = sign(Record(forged_fields(data["record"])), read_private_key(keys[0]))
    stolen = base64.b64encode(other.signature or b"").decode()
    markdown.write_text(text.replace(data["signature"], stolen), encoding="utf-8")
    status, out = verify(capsys, markdown, keys[1])
    assert status == 1
    assert "its signature does not match its contents" in out


def test_a_signed_records_visible_text_changed_is_altered(
        capsys: pytest.CaptureFixture[str], course: Course, keys: tuple[Path, Path],
        tmp_path: Path) -> None:
    markdown, _ = issued(capsys, course, keys, tmp_path)
    text = markdown.read_text(encoding="utf-8")
    markdown.write_text(text.replace("**Ana Lima**", "**Mallory**", 1), encoding="utf-8")
    status, out = verify(capsys, markdown, keys[1])
    assert status == 1
    assert out.startswith(f"ALTERED: {markdown}: its text was changed (line 3")


def test_a_record_written_before_signing_existed_is_read_as_self_reported(
        capsys: pytest.CaptureFixture[str]) -> None:
    for path in (DATA / "version-1.md", DATA / "version-1.html"):
        status, out = verify(capsys, path)
        assert status == 4
        assert out.startswith(f"SELF-REPORTED, NOT SIGNED: {path} is the completion record of"
                              " Ana Lima")


# -- hostile record files, through the real command ------------------------------------------------


def ivstem(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "IVSTEM_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("nested", ['{"record":' + "[" * 100_000 + "]" * 100_000 + "}",
                                    '{"record":' + '{"a":' * 50_000 + "1" + "}" * 50_001],
                         ids=["arrays", "objects"])
def test_a_deeply_nested_record_is_altered_not_a_traceback(tmp_path: Path, nested: str) -> None:
    text = (DATA / "version-1.md").read_text(encoding="utf-8")
    hostile = tmp_path / "nested.md"
    hostile.write_text(re.sub(r"<!-- ivstem-record .* -->",
                              lambda _: f"<!-- ivstem-record {nested} -->", text),
                       encoding="utf-8")
    result = ivstem("certificate", "--verify", str(hostile), data=tmp_path / "data")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(f"ALTERED: {hostile}: its embedded record cannot be read"
                                    " (it nests arrays or objects more than 32 levels deep).")


def test_many_record_markers_are_refused_at_once(tmp_path: Path) -> None:
    hostile = tmp_path / "markers.md"
    hostile.write_text("<!-- ivstem-record {" * 50_000, encoding="utf-8")
    started = time.monotonic()
    result = ivstem("certificate", "--verify", str(hostile), data=tmp_path / "data")
    assert result.returncode == 1
    assert "has no ivstem record in it (or more than one)" in result.stdout
    assert time.monotonic() - started < 30


def test_the_key_and_certificate_commands_run_without_textual(
        course: Course, keys: tuple[Path, Path], tmp_path: Path) -> None:
    export = export_of(course, tmp_path)
    code = ("import sys; from tui.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "assert 'textual' not in sys.modules, 'textual was imported'")
    env = {**os.environ, "PYTHONPATH": str(REPO), "IVSTEM_DATA_DIR": str(tmp_path / "data")}
    for args in (["keys", "new", "-o", str(tmp_path / "k"), "--name", "Someone"],
                 ["certificate", "issue", str(export), "--key", str(keys[0]), "-o",
                  str(tmp_path / "out"), "--course", str(VALID)],
                 ["certificate", "--verify", str(DATA / "version-1.md"), "--key", str(keys[1])]):
        done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                              text=True, timeout=120)
        assert "textual was imported" not in done.stderr, args
        assert "Traceback" not in done.stderr, done.stderr


def test_control_characters_in_a_record_are_shown_escaped_never_sent_to_the_terminal(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fields = embedded(DATA / "version-1.md")["record"]
    fields["learner"] = "\x1b]52;c;SGVsbG8=\x07Mallory\u202e"
    fields["course"]["title"] = "\x1b[2JA course"
    path = tmp_path / "escapes.md"
    forger = PrivateKey("\x1b]8;;http://x\x07Dr", new_key("anyone").seed)  # no name check
    rewrite(path, sign(Record(fields), forger))
    for expected, key in ((3, None), (1, _other_public(tmp_path))):
        status, out = verify(capsys, path, key)
        assert status == expected
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "\\x1b]8;;http://x\\x07Dr" in out
    rewrite(path, Record(fields))
    status, out = verify(capsys, path)
    assert status == 4
    assert "\\x1b]52;c;SGVsbG8=\\x07Mallory\\u202e in “\\x1b[2JA course”" in out


def _other_public(folder: Path) -> Path:
    return write_key_pair(new_key("Someone else"), folder / "other")[1]
