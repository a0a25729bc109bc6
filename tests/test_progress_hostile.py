"""Progress files made to break the import: nested JSON, huge files, records that cannot be right.

Every attack goes through the real command (`python -m tui.cli progress import`), and must end
in one clear message and a non-zero status, never a traceback; what can be imported of a file
with a few bad records is imported, and what was left out is named with its reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from studied import study_course
from test_app import VALID

from course.bounded_json import MAX_DEPTH, JsonLimitError, depth, loads
from course.material.loader import load_course
from course.material.model import Course
from course.record.progress import ProgressStore
from course.record.progress.transfer import (
    MAX_FILE_BYTES,
    TransferError,
    checksum,
    export_document,
    parse_progress_file,
    render,
)
from course.record.vetting import vet

REPO = Path(__file__).resolve().parent.parent
COURSE = "test-course"


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = load_course(VALID).course
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def document(course: Course) -> dict[str, Any]:
    """The export of a learner who studied the whole test course, failing each quiz once."""
    with ProgressStore.in_memory() as store:
        study_course(course, store, "Ana Lima", fail_first=True)
        return export_document(store, "Ana Lima")


def copy(document: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(document))


def resigned(document: dict[str, Any]) -> bytes:
    """The document with its checksum computed again, as anyone with ivstem can."""
    document["checksum"] = checksum(document)
    return render(document).encode("utf-8")


def ivstem(data: Path, *args: str, stdin: bytes | None = None
           ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "IVSTEM_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], env=env, input=stdin,
                          capture_output=True, timeout=120)  # type: ignore[call-overload]


def said(result: subprocess.CompletedProcess[Any]) -> str:
    out = result.stdout.decode() if isinstance(result.stdout, bytes) else result.stdout
    err = result.stderr.decode() if isinstance(result.stderr, bytes) else result.stderr
    assert "Traceback" not in out + err
    return out + err


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "data"


def learners_in(data: Path) -> list[str]:
    if not (data / "progress.sqlite3").exists():
        return []
    with ProgressStore.open(data) as store:
        return store.learners()


# -- nesting: bounded, with a message, on every path ---------------------------------------------


def test_depth_is_measured_without_recursion() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    assert depth(deep, stop_after=MAX_DEPTH) == MAX_DEPTH + 1
    assert depth({"a": [1, {"b": []}]}) == 4
    assert depth("text") == 0


@pytest.mark.parametrize("text", ["[" * 100_000, "[" * 100_000 + "]" * 100_000,
                                  '{"a":' * 50_000 + "1" + "}" * 50_000,
                                  "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)])
def test_json_nested_too_deep_is_refused_with_a_message(text: str) -> None:
    with pytest.raises(JsonLimitError, match=f"more than {MAX_DEPTH} levels deep"):
        loads(text)


def test_json_nested_as_deep_as_allowed_is_read() -> None:
    assert depth(loads("[" * MAX_DEPTH + "]" * MAX_DEPTH)) == MAX_DEPTH


def test_a_deeply_nested_file_is_refused_by_the_import(tmp_path: Path, data: Path) -> None:
    hostile = tmp_path / "deep.json"
    hostile.write_text("[" * 200_000)
    result = ivstem(data, "progress", "import", str(hostile))
    assert result.returncode == 1
    assert f"is not an ivstem progress file: it nests arrays or objects more than {MAX_DEPTH}" \
        " levels deep" in said(result)
    assert learners_in(data) == []


def test_deeply_nested_standard_input_is_refused_by_the_import(data: Path) -> None:
    result = ivstem(data, "progress", "import", "-", stdin=b'{"a":' * 200_000)
    assert result.returncode == 1
    assert "standard input is not an ivstem progress file: it nests" in said(result)


@pytest.mark.parametrize(("kind", "key"), [("answers", "answer"), ("quiz_attempts", "state"),
                                           ("review_cards", "card")])
def test_a_nested_answer_inside_a_valid_export_is_refused(
        document: dict[str, Any], tmp_path: Path, data: Path, kind: str, key: str) -> None:
    hostile = copy(document)
    # Within each text's own limit of length: 64 KB for an answer, 4 KB for a card.
    levels = {"answer": 30_000, "state": 100_000, "card": 1000}[key]
    hostile["records"][kind][0][key] = "[" * levels + "]" * levels
    path = tmp_path / "nested.json"
    path.write_bytes(resigned(hostile))
    result = ivstem(data, "progress", "import", str(path))
    assert result.returncode == 1
    text = said(result)
    assert f"cannot be imported: records.{kind}[0].{key}" in text
    assert f"nested at most {MAX_DEPTH} levels deep" in text or "it nests" in text
    assert learners_in(data) == []


# -- size: bounded memory, from a file or standard input -----------------------------------------


def test_standard_input_over_the_limit_is_refused_having_read_no_more_than_the_limit(
        data: Path) -> None:
    script = ("import resource, sys; from tui.cli import main; status = main(sys.argv[1:]);"
              " print('peak', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
              " file=sys.stderr); sys.exit(status)")
    env = {**os.environ, "PYTHONPATH": str(REPO), "IVSTEM_DATA_DIR": str(data)}
    child = subprocess.Popen([sys.executable, "-c", script, "progress", "import", "-"],
                             env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stdin is not None
    chunk = b" " * (1024 * 1024)
    sent = 0
    try:
        while sent < 300 * 1024 * 1024:  # 300 MB offered; the command stops reading at 16
            child.stdin.write(chunk)
            sent += len(chunk)
    except BrokenPipeError:
        pass
    _, err = child.communicate(timeout=120)
    assert child.returncode == 1
    text = err.decode()
    assert "standard input is not an ivstem progress file: it is larger than 16 MB" in text
    assert sent < 300 * 1024 * 1024
    peak_mb = int(text.split("peak ")[1].split()[0]) / 1024
    assert peak_mb < 16 + 150  # the limit, and the interpreter with ivstem loaded


def test_a_file_over_the_limit_is_refused(tmp_path: Path, data: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as out:
        out.truncate(MAX_FILE_BYTES + 1)
    result = ivstem(data, "progress", "import", str(big))
    assert result.returncode == 1
    assert "it is larger than 16 MB, the most an export can be; nothing was imported" \
        in said(result)


# -- records that cannot be right: left out, named, the rest imported ----------------------------


def future(document: dict[str, Any]) -> None:
    document["records"]["answers"][0]["at"] = "9999-12-31T00:00:00+00:00"


def ancient(document: dict[str, Any]) -> None:
    document["records"]["lessons"][0]["at"] = "1970-01-01T00:00:00+00:00"


def after_export(document: dict[str, Any]) -> None:
    exported = datetime.fromisoformat(document["exported_at"])
    document["records"]["answers"][1]["at"] = (exported + timedelta(hours=1)).isoformat()


def huge_points(document: dict[str, Any]) -> None:
    document["records"]["answers"][0]["points"] = 1e308


def points_above_the_question(document: dict[str, Any]) -> None:
    document["records"]["answers"][0]["points"] = 50.0


def attempt_worth_more_than_the_quiz(document: dict[str, Any]) -> None:
    document["records"]["quiz_attempts"][0]["points"] = 500.0


def passed_below_the_mark(document: dict[str, Any]) -> None:
    first = document["records"]["quiz_attempts"][0]  # the failed one: score 0
    first["passed"] = True


def due_in_a_century(document: dict[str, Any]) -> None:
    document["records"]["review_cards"][0]["due"] = "2126-01-01T00:00:00+00:00"


CASES: list[tuple[Callable[[dict[str, Any]], None], str, str]] = [
    (future, "an answer", "dated 9999-12-31 00:00 UTC, later than the file was exported"),
    (ancient, "a lesson completed", "dated 1970-01-01 00:00 UTC, before 2000"),
    (after_export, "an answer", "later than the file was exported"),
    (huge_points, "an answer", "it says it earned 1e+308 points; no question or quiz is worth"
     " more than 10000"),
    (points_above_the_question, "an answer", "it earned 50 points; the question is worth"),
    (attempt_worth_more_than_the_quiz, "a quiz attempt",
     "it earned 500 points; the whole quiz is worth"),
    (passed_below_the_mark, "a quiz attempt", "it says it passed with 0%, below the pass mark"),
    (due_in_a_century, "a review card", "more than 10 years after it was last reviewed"),
]


@pytest.mark.parametrize(("tamper", "record", "reason"), CASES,
                         ids=[case[0].__name__ for case in CASES])
def test_a_record_that_cannot_be_right_is_left_out_and_the_rest_imported(
        document: dict[str, Any], tmp_path: Path, data: Path,
        tamper: Callable[[dict[str, Any]], None], record: str, reason: str) -> None:
    hostile = copy(document)
    tamper(hostile)
    path = tmp_path / "hostile.json"
    path.write_bytes(resigned(hostile))
    result = ivstem(data, "progress", "import", str(path), "--course", str(VALID))
    assert result.returncode == 1
    text = said(result)
    assert f"left out 1 record of {path} that cannot be right" in text
    assert f"- {record} (course {COURSE}" in text
    assert reason in text
    assert f"Imported {path} into the progress of 'Ana Lima'" in text
    with ProgressStore.open(data) as store:
        assert store.learners() == ["Ana Lima"]
        assert len(store.answers("Ana Lima", COURSE)) >= len(document["records"]["answers"]) - 1


def test_made_up_passed_modules_are_left_out(
        document: dict[str, Any], tmp_path: Path, data: Path) -> None:
    hostile = copy(document)
    records = hostile["records"]
    stamp = records["modules_passed"][0]["at"]
    # Nothing studied but the first lesson: then say every module was passed, and one more.
    records.update(quiz_attempts=[], quiz_states=[], lessons=records["lessons"][:1])
    records["modules_passed"] = [
        {"course": COURSE, "module": "basics", "at": stamp},
        {"course": COURSE, "module": "more", "at": stamp},
        {"course": COURSE, "module": "made-up", "at": stamp},
    ]
    path = tmp_path / "made-up.json"
    path.write_bytes(resigned(hostile))
    result = ivstem(data, "progress", "import", str(path), "--course", str(VALID))
    assert result.returncode == 1
    text = said(result)
    assert "left out 3 records" in text
    assert ("- a module passed (course test-course, module basics): no attempt at its quiz"
            " passed, in the file or here") in text
    assert "- a module passed (course test-course, module made-up): the course test-course has" \
        " no module made-up" in text
    with ProgressStore.open(data) as store:
        assert store.passed_modules("Ana Lima", COURSE) == frozenset()


def test_the_class_report_leaves_made_up_passes_out_and_says_so(
        document: dict[str, Any], tmp_path: Path, data: Path) -> None:
    hostile = copy(document)
    hostile["records"]["quiz_attempts"] = []
    path = tmp_path / "made-up.json"
    path.write_bytes(resigned(hostile))
    table = tmp_path / "class.csv"
    result = ivstem(data, "report", str(path), "--course", str(VALID), "-o", str(table))
    assert result.returncode == 0, said(result)
    assert ("note: made-up.json: left out a module passed (course test-course, module basics):"
            " no attempt at its quiz passed") in said(result)
    rows = table.read_text().splitlines()[1:]
    assert [row.split(",")[5] for row in rows] == ["no", "no"]


def test_a_pass_backed_by_an_attempt_already_here_is_kept(
        course: Course, document: dict[str, Any]) -> None:
    progress = parse_progress_file(resigned(copy(document)))
    only_the_passes = type(progress)(progress.learner, progress.exported_at, {
        "modules_passed": progress.records["modules_passed"]})
    with ProgressStore.in_memory() as store:
        study_course(course, store, "Ana Lima")
        assert vet(only_the_passes, course, store, "Ana Lima").skipped == ()
    with ProgressStore.in_memory() as store:
        assert len(vet(only_the_passes, course, store, "Ana Lima").skipped) == 2


def test_records_of_other_courses_are_checked_only_against_the_clock_and_limits(
        course: Course, document: dict[str, Any]) -> None:
    hostile = copy(document)
    for kind in ("answers", "quiz_attempts", "modules_passed"):
        for item in hostile["records"][kind]:
            item["course"] = "another-course"
    hostile["records"]["answers"][0]["points"] = 50.0
    progress = parse_progress_file(resigned(hostile))
    with ProgressStore.in_memory() as store:
        assert vet(progress, course, store, "Ana Lima").skipped == ()


def test_a_file_exported_in_the_future_is_held_to_this_machines_clock(
        document: dict[str, Any]) -> None:
    hostile = copy(document)
    hostile["exported_at"] = "9999-12-31T23:59:59+00:00"
    hostile["records"]["answers"][0]["at"] = "9000-01-01T00:00:00+00:00"
    progress = parse_progress_file(resigned(hostile))
    [skipped] = progress.skipped
    assert "later than this machine's clock allows" in skipped.reason


def test_a_time_that_overflows_in_utc_is_refused_with_a_message(
        document: dict[str, Any]) -> None:
    hostile = copy(document)
    hostile["records"]["answers"][0]["at"] = "0001-01-01T00:00:00+05:00"
    with pytest.raises(TransferError, match=r"records.answers\[0\].at must be a time between"):
        parse_progress_file(resigned(hostile))


def test_an_honest_export_is_imported_whole(document: dict[str, Any], tmp_path: Path,
                                            data: Path) -> None:
    path = tmp_path / "honest.json"
    path.write_bytes(resigned(copy(document)))
    started = time.monotonic()
    result = ivstem(data, "progress", "import", str(path), "--course", str(VALID))
    assert result.returncode == 0, said(result)
    assert "left out" not in said(result)
    assert time.monotonic() - started < 60
    with ProgressStore.open(data) as store:
        assert store.passed_modules("Ana Lima", COURSE) == {"basics", "more"}


def test_parse_gives_the_clock_it_is_asked_to(document: dict[str, Any]) -> None:
    early = datetime(2001, 1, 1, tzinfo=UTC)
    progress = parse_progress_file(resigned(copy(document)), now=early)
    assert {s.reason.split(",")[1].strip() for s in progress.skipped} == {
        "later than this machine's clock allows"}
