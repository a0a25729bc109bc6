"""Export to a file and import it elsewhere: a checked, idempotent merge."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from course.record.progress import ProgressStore
from course.record.progress.transfer import (
    FORMAT,
    VERSION,
    TransferError,
    checksum,
    export_document,
    import_progress,
    parse_progress_file,
    read_progress_file,
    render,
    write_export,
)

COURSE = "iv-stem-cell-therapy"


class Clock:
    """A settable clock that moves one second each time it is read."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def machine_a(tmp_path: Path) -> Iterator[ProgressStore]:
    with ProgressStore.open(tmp_path / "a", clock=Clock(datetime(2026, 11, 1, tzinfo=UTC))) as s:
        yield s


@pytest.fixture
def machine_b(tmp_path: Path) -> Iterator[ProgressStore]:
    with ProgressStore.open(tmp_path / "b", clock=Clock(datetime(2026, 11, 5, tzinfo=UTC))) as s:
        yield s


def study(store: ProgressStore, learner: str = "alice", module: str = "mechanisms") -> None:
    store.reach_step(learner, COURSE, module, "what-are-mscs", 0)
    store.record_answer(learner, COURSE, "msc-main-mechanism", "check", '{"choice": 0}', 1.0, 1.0,
                        1, module_id=module, lesson_id="what-are-mscs")
    store.complete_lesson(learner, COURSE, module, "what-are-mscs")
    store.finish_quiz(learner, COURSE, module, 0.9, 9.0, True, '{"done": true}')
    store.add_time(learner, COURSE, module, 300)
    store.set_position(learner, COURSE, {"module": module, "lesson": "what-are-mscs"})


def file_of(store: ProgressStore, learner: str = "alice") -> bytes:
    return render(export_document(store, learner)).encode("utf-8")


def database(store: ProgressStore) -> list[str]:
    assert store.path is not None
    raw = sqlite3.connect(store.path)
    lines = list(raw.iterdump())
    raw.close()
    return lines


def resign(document: dict[str, Any]) -> bytes:
    document["checksum"] = checksum(document)
    return render(document).encode("utf-8")


# -- the file --------------------------------------------------------------------------------


def test_an_export_is_versioned_json_with_a_checksum_over_everything_else(
        machine_a: ProgressStore) -> None:
    study(machine_a)
    document = json.loads(file_of(machine_a))
    assert (document["format"], document["version"], document["learner"]) == (
        FORMAT, VERSION, "alice")
    assert document["checksum"].startswith("sha256:")
    body = {key: value for key, value in document.items() if key != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert document["checksum"] == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()
    assert [a["question"] for a in document["records"]["answers"]] == ["msc-main-mechanism"]
    assert document["records"]["quiz_attempts"][0]["passed"] is True


def test_an_export_holds_every_course_of_the_learner_and_nobody_else(
        machine_a: ProgressStore) -> None:
    study(machine_a)
    machine_a.record_answer("alice", "other-course", "q", "review", "{}", 0.0, 0.0, 0)
    study(machine_a, "bob")
    records = json.loads(file_of(machine_a))["records"]
    assert {a["course"] for a in records["answers"]} == {COURSE, "other-course"}
    assert len(records["answers"]) == 2


def test_an_export_file_is_written_whole_and_readable_only_by_its_owner(
        machine_a: ProgressStore, tmp_path: Path) -> None:
    study(machine_a)
    target = tmp_path / "out" / "progress.json"
    target.parent.mkdir()
    target.write_text("an older export")
    write_export(export_document(machine_a, "alice"), target, store_path=machine_a.path)
    assert read_progress_file(target).learner == "alice"
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["progress.json"]


def test_exporting_over_the_store_itself_is_refused(machine_a: ProgressStore) -> None:
    study(machine_a)
    assert machine_a.path is not None
    with pytest.raises(TransferError, match="progress store itself"):
        write_export(export_document(machine_a, "alice"), machine_a.path,
                     store_path=machine_a.path)
    assert machine_a.answers("alice", COURSE)


# -- importing -------------------------------------------------------------------------------


def test_importing_on_another_machine_brings_every_kind_of_record(
        machine_a: ProgressStore, machine_b: ProgressStore) -> None:
    study(machine_a)
    report = import_progress(machine_b, parse_progress_file(file_of(machine_a)))
    assert report.learner == "alice"
    assert all(report.counts[kind] == 1 for kind in report.counts if kind != "quiz_states")
    assert machine_b.dump("alice") == machine_a.dump("alice")


def test_importing_the_same_file_twice_changes_nothing(
        machine_a: ProgressStore, machine_b: ProgressStore) -> None:
    study(machine_a)
    machine_a.save_quiz_state("alice", COURSE, "evidence", '{"question": 3}')
    exported = parse_progress_file(file_of(machine_a))
    import_progress(machine_b, exported)
    before = database(machine_b)
    again = import_progress(machine_b, exported)
    assert again.changed == 0
    assert database(machine_b) == before


def test_two_machines_merge_into_the_union_of_their_answers(
        machine_a: ProgressStore, machine_b: ProgressStore) -> None:
    study(machine_a)
    study(machine_b, module="evidence")
    import_progress(machine_b, parse_progress_file(file_of(machine_a)))
    import_progress(machine_a, parse_progress_file(file_of(machine_b)))
    assert len(machine_a.answers("alice", COURSE)) == 2
    assert machine_a.dump("alice") == machine_b.dump("alice")
    assert machine_a.passed_modules("alice", COURSE) == {"mechanisms", "evidence"}
    assert machine_a.summary("alice", COURSE)["evidence"].seconds_spent == 300


def test_the_newer_position_and_quiz_in_progress_win(
        machine_a: ProgressStore, machine_b: ProgressStore) -> None:
    machine_a.set_position("alice", COURSE, {"module": "old"})
    machine_a.save_quiz_state("alice", COURSE, "evidence", '{"question": 1}')
    machine_b.set_position("alice", COURSE, {"module": "new"})  # machine_b's clock is later
    machine_b.save_quiz_state("alice", COURSE, "evidence", '{"question": 5}')
    import_progress(machine_b, parse_progress_file(file_of(machine_a)))
    assert machine_b.position("alice", COURSE) == {"module": "new"}
    assert machine_b.load_quiz_state("alice", COURSE, "evidence") == '{"question": 5}'
    import_progress(machine_a, parse_progress_file(file_of(machine_b)))
    assert machine_a.position("alice", COURSE) == {"module": "new"}
    assert machine_a.load_quiz_state("alice", COURSE, "evidence") == '{"question": 5}'


def test_a_quiz_finished_on_the_other_machine_is_no_longer_in_progress_here(
        machine_a: ProgressStore, machine_b: ProgressStore) -> None:
    machine_a.save_quiz_state("alice", COURSE, "evidence", '{"question": 2}')
    machine_b.finish_quiz("alice", COURSE, "evidence", 1.0, 10, True, "{}")
    import_progress(machine_a, parse_progress_file(file_of(machine_b)))
    assert machine_a.load_quiz_state("alice", COURSE, "evidence") is None
    assert machine_a.module_passed("alice", COURSE, "evidence")


def test_a_file_goes_to_the_learner_it_names_unless_another_is_given(
        machine_a: ProgressStore, machine_b: ProgressStore) -> None:
    study(machine_a)
    exported = parse_progress_file(file_of(machine_a))
    machine_b.add_learner("lab3")
    import_progress(machine_b, exported)
    assert machine_b.learners() == ["alice", "lab3"]
    report = import_progress(machine_b, exported, "alice-laptop")
    assert report.learner == "alice-laptop"
    assert len(machine_b.answers("alice-laptop", COURSE)) == 1
    assert machine_b.answers("lab3", COURSE) == []


def test_records_of_questions_a_course_no_longer_has_are_imported_and_kept(
        machine_a: ProgressStore, machine_b: ProgressStore) -> None:
    machine_a.record_answer("alice", COURSE, "a-question-since-removed", "quiz", "{}", 0.0, 0.0,
                            0, module_id="a-module-since-removed")
    import_progress(machine_b, parse_progress_file(file_of(machine_a)))
    [kept] = machine_b.answers("alice", COURSE)
    assert kept.question_id == "a-question-since-removed"


# -- refused files ---------------------------------------------------------------------------


def tamper_score(document: dict[str, Any]) -> None:
    document["records"]["answers"][0]["score"] = 1.0
    document["records"]["answers"][0]["answer"] = '{"choice": 3}'


def tamper_learner(document: dict[str, Any]) -> None:
    document["learner"] = "mallory"


def drop_an_attempt(document: dict[str, Any]) -> None:
    document["records"]["quiz_attempts"].clear()


@pytest.mark.parametrize("tamper", [tamper_score, tamper_learner, drop_an_attempt])
def test_a_tampered_file_is_refused_and_nothing_is_imported(
        machine_a: ProgressStore, machine_b: ProgressStore,
        tamper: Callable[[dict[str, Any]], None]) -> None:
    study(machine_a)
    document = json.loads(file_of(machine_a))
    tamper(document)
    with pytest.raises(TransferError, match="changed since it was exported"):
        parse_progress_file(render(document).encode())
    assert machine_b.learners() == []


def test_a_file_with_its_checksum_removed_is_refused(machine_a: ProgressStore) -> None:
    study(machine_a)
    document = json.loads(file_of(machine_a))
    del document["checksum"]
    with pytest.raises(TransferError, match="checksum does not match"):
        parse_progress_file(render(document).encode())


def test_a_truncated_file_is_refused(machine_a: ProgressStore) -> None:
    study(machine_a)
    with pytest.raises(TransferError, match="not valid JSON"):
        parse_progress_file(file_of(machine_a)[:-40])


@pytest.mark.parametrize(("raw", "expected"), [
    (b"\xff\xfe not text", "not UTF-8"),
    (b"[1, 2, 3]", "not an ivstem progress file"),
    (b'{"format": "something-else", "version": 1}', "not an ivstem progress file"),
    (b'{"format": "ivstem-progress", "version": "one"}', "version is missing"),
    (b'{"format": "ivstem-progress", "version": 1, "version": 2}', "appears twice"),
])
def test_a_file_that_is_not_an_ivstem_export_is_refused_saying_so(
        raw: bytes, expected: str) -> None:
    with pytest.raises(TransferError, match=expected):
        parse_progress_file(raw)


def test_a_file_from_a_newer_ivstem_is_refused_asking_for_an_update(
        machine_a: ProgressStore) -> None:
    study(machine_a)
    document = json.loads(file_of(machine_a))
    document["version"] = VERSION + 1
    with pytest.raises(TransferError, match=r"newer ivstem.*Update ivstem"):
        parse_progress_file(resign(document))


@pytest.mark.parametrize(("kind", "field", "value", "expected"), [
    ("answers", "score", 7, r"records.answers\[0\].score must be from 0 to 1"),
    ("answers", "where", "exam", r"records.answers\[0\].where must be one of"),
    ("answers", "at", "yesterday", r"records.answers\[0\].at"),
    ("answers", "at", "2026-11-01T10:00:00", "time zone"),
    ("answers", "answer", "{not json", r"records.answers\[0\].answer"),
    ("answers", "extra", 1, "unknown field 'extra'"),
    ("time", "seconds", -3, r"records.time\[0\].seconds"),
    ("quiz_attempts", "passed", "yes", "must be true or false"),
])
def test_a_record_that_makes_no_sense_is_refused_even_with_a_good_checksum(
        machine_a: ProgressStore, machine_b: ProgressStore,
        kind: str, field: str, value: object, expected: str) -> None:
    study(machine_a)
    document = json.loads(file_of(machine_a))
    document["records"][kind][0][field] = value
    with pytest.raises(TransferError, match=expected):
        parse_progress_file(resign(document))
    assert machine_b.learners() == []


def test_times_in_other_zones_are_stored_in_utc_so_newest_still_wins(
        machine_a: ProgressStore, machine_b: ProgressStore) -> None:
    machine_b.set_position("alice", COURSE, {"module": "here"})  # 2026-11-05T00:00:01Z
    document = json.loads(file_of(machine_b))
    # 01:00 in Paris is midnight UTC: one second older than machine_b's own position.
    document["records"]["positions"][0].update(
        position={"module": "paris"}, at="2026-11-05T01:00:00+01:00")
    import_progress(machine_b, parse_progress_file(resign(document)))
    assert machine_b.position("alice", COURSE) == {"module": "here"}
    document["records"]["positions"][0]["at"] = "2026-11-05T01:00:02+01:00"
    import_progress(machine_b, parse_progress_file(resign(document)))
    assert machine_b.position("alice", COURSE) == {"module": "paris"}


def test_a_missing_file_or_a_folder_is_reported_in_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(TransferError, match=r"Cannot read .*No such file"):
        read_progress_file(tmp_path / "nowhere.json")
    with pytest.raises(TransferError, match="is a folder"):
        read_progress_file(tmp_path)
