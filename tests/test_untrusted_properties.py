"""Properties of the two parsers that read what strangers hand in (hypothesis).

A progress export and a completion record may come from anyone. Whatever their bytes, reading
them ends in a result or in the one documented error (TransferError for an export; a Verdict,
never an exception, for a record), never a traceback: not for random bytes, not for random
JSON, not for a good file with any one value replaced and its checksum or code made good
again. And no change to a record's text makes it pass as signed.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from studied import study_course
from test_app import VALID

from course.material.loader import load_course
from course.material.model import Course
from course.record.certificate import Kind, Record, render, sign, verify_text
from course.record.progress import ProgressStore
from course.record.progress.transfer import (
    ProgressFile,
    TransferError,
    checksum,
    export_document,
    import_progress,
    parse_progress_file,
)
from course.record.signing import new_key
from course.record.vetting import vet
from tui.cli import main

PROPERTY = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])

COURSE_ID = "test-course"
INSTRUCTOR = new_key("Dr Ada Ruiz")

# Values chosen to sit on the edges the readers check: times out of range or overflowing in UTC,
# numbers past every limit, text nested past the depth limit, names with control characters.
edges = st.sampled_from([
    "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00",
    "2026-01-01T00:00:00", "1999-12-31T23:59:59+00:00", "not a time", "",
    "[" * 5000, "[" * 40 + "]" * 40, '{"a":' * 40 + "1" + "}" * 40, "{}", "\x1b]52;c;SGk=\x07",
    10**30, -1, 2**31, 2**63, 1e308, -0.0, 0.5, 1.0000001, True, None,
])
scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
           | edges)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)



@st.composite
def times(draw: st.DrawFn) -> str:
    """ISO 8601 times anywhere from year 1 to 9999, in any offset (or none): some overflow."""
    moment = draw(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)))
    if draw(st.booleans()):
        return moment.isoformat()
    minutes = draw(st.integers(-23 * 60 - 59, 23 * 60 + 59))
    return moment.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat()


def nested(levels: int, kind: str) -> str:
    return "[" * levels + "]" * levels if kind == "[" else '{"a":' * levels + "1" + "}" * levels


deep_texts = st.builds(nested, st.integers(0, 40) | st.integers(30_000, 40_000),
                       st.sampled_from(["[", "{"]))
json_texts = st.one_of(deep_texts, deep_texts, json_values.map(json.dumps), st.text(max_size=20))
numbers = st.integers() | st.floats() | edges
#: For each kind of value in an export, values of that kind that sit on or past its edges.
BY_KEY: dict[str, st.SearchStrategy[Any]] = {
    **dict.fromkeys(["at", "due", "exported_at"], times() | edges),
    **dict.fromkeys(["answer", "state", "card"], json_texts),
    **dict.fromkeys(["points", "score", "seconds", "step", "hints_used", "version"], numbers),
}


@pytest.fixture(scope="module")
def course() -> Course:
    loaded = load_course(VALID).course
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def export(course: Course) -> dict[str, Any]:
    with ProgressStore.in_memory() as store:
        study_course(course, store, "Ana Lima", fail_first=True)
        return export_document(store, "Ana Lima")


@pytest.fixture(scope="module")
def records(course: Course) -> Iterator[dict[str, str]]:
    """A self-reported and a signed record of the test course, in both formats."""
    fields = {
        "format": "ivstem-completion-record", "version": 2, "learner": "Ana Lima",
        "course": {"id": COURSE_ID, "title": "A test course", "version": "1.0"},
        "modules": [{"id": "basics", "title": "The basics", "score": 88, "pass_mark": 50,
                     "passed_on": "2026-03-09"}],
        "completed_on": "2026-03-09", "issued_on": "2026-03-10", "program": "ivstem 0.1.0",
    }
    signed = sign(Record(fields), INSTRUCTOR)
    yield {
        "self-md": render(Record(fields), "markdown"), "self-html": render(Record(fields), "html"),
        "signed-md": render(signed, "markdown"), "signed-html": render(signed, "html"),
    }


def with_checksum(document: dict[str, Any]) -> bytes:
    """The document as a file with its checksum made good (when its values allow one)."""
    try:
        document["checksum"] = checksum(document)
    except ValueError:  # NaN or infinity: no canonical JSON, so no good checksum either
        document["checksum"] = "sha256:" + "0" * 64
    return json.dumps(document, indent=1).encode()


def parse(raw: bytes) -> ProgressFile | None:
    """Parse an export; None for the one documented refusal, TransferError."""
    try:
        return parse_progress_file(raw, "hostile.json")
    except TransferError as exc:
        assert str(exc)
        return None


# -- the import file ---------------------------------------------------------------------------


@PROPERTY
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_with_a_transfer_error(raw: bytes) -> None:
    parse(raw)


@PROPERTY
@given(json_values)
def test_any_json_is_read_or_refused_with_a_transfer_error(value: Any) -> None:
    parse(json.dumps(value).encode())


@PROPERTY
@given(json_values)
def test_any_json_with_a_good_checksum_is_read_or_refused(value: Any) -> None:
    if isinstance(value, dict):
        parse(with_checksum({**value, "format": "ivstem-progress", "version": 2}))
    else:
        parse(json.dumps(value).encode())


def _category(key: str) -> str:
    return next((name for name, keys in CATEGORIES.items() if key in keys), "other")


CATEGORIES = {"time": {"at", "due"}, "text": {"answer", "state", "card"},
              "number": {"points", "score", "seconds", "step", "hints_used"}}


@st.composite
def replacements(draw: st.DrawFn, document: dict[str, Any]) -> tuple[list[Any], Any]:
    """A path to one value of the export, and what to put there: first the kind of value to
    attack (a time, a JSON text, a number, anything else, or the file's own fields), so that
    every kind is tried often, then one such value of one record."""
    records = document["records"]
    category = draw(st.sampled_from(["time", "text", "number", "other", "file"]))
    if category == "file":
        key = draw(st.sampled_from(["learner", "exported_at", "version", "records", "program"]))
        path: list[Any] = [key]
    else:
        places = [(kind, index, key) for kind, items in records.items()
                  for index, item in enumerate(items) for key in item
                  if _category(key) == category]
        kind, index, key = draw(st.sampled_from(places))
        path = ["records", kind, index, key]
    fitting = BY_KEY.get(key, json_values)
    return path, draw(st.one_of(fitting, fitting, fitting, json_values))


@PROPERTY
@given(st.data())
def test_an_export_with_any_value_replaced_and_its_checksum_made_good_imports_or_is_refused(
        course: Course, export: dict[str, Any], data: st.DataObject) -> None:
    document = json.loads(json.dumps(export))
    path, value = data.draw(replacements(document))
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    progress = parse(with_checksum(document))
    if progress is None:
        return
    with ProgressStore.in_memory() as store:
        vetted = vet(progress, course, store, progress.learner)
        report = import_progress(store, vetted)
        assert report.learner.casefold() == progress.learner.casefold()
        store.summary(progress.learner, COURSE_ID)  # what every screen reads back


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_import_command_answers_any_replaced_value_with_status_0_or_1(
        export: dict[str, Any], tmp_path_factory: pytest.TempPathFactory,
        capsys: pytest.CaptureFixture[str], data: st.DataObject) -> None:
    folder = tmp_path_factory.mktemp("import")
    document = json.loads(json.dumps(export))
    path, value = data.draw(replacements(document))
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    hostile = folder / "hostile.json"
    hostile.write_bytes(with_checksum(document))
    status = main(["progress", "import", str(hostile), "--course", str(VALID),
                   "--data-dir", str(folder / "data")])
    out, err = capsys.readouterr()
    assert status in (0, 1), err
    assert "unexpected error" not in err and "Traceback" not in out + err
    assert not (folder / "data" / "ivstem-crash.log").exists()


# -- the completion record ---------------------------------------------------------------------


@PROPERTY
@given(st.binary(max_size=3000))
def test_any_bytes_get_a_verdict(raw: bytes) -> None:
    verdict = verify_text(raw, "hostile.md")
    assert verdict.kind is Kind.ALTERED


def with_payload(text: str, payload: str) -> str:
    head, rest = text.split("<!-- ivstem-record ", 1)
    return head + "<!-- ivstem-record " + payload + " -->" + rest.split(" -->", 1)[1]


@PROPERTY
@given(st.sampled_from(["self-md", "self-html", "signed-md", "signed-html"]), json_values)
def test_any_embedded_json_gets_a_verdict(records: dict[str, str], which: str,
                                          value: Any) -> None:
    text = with_payload(records[which], json.dumps(value))
    verdict = verify_text(text.encode(), "hostile.md")
    assert verdict.kind is Kind.ALTERED


@st.composite
def field_replacements(draw: st.DrawFn, embedded: dict[str, Any]) -> tuple[list[Any], Any]:
    """A path to one value of the embedded record (fields, code or signature), and a value."""
    fields = embedded["record"]
    choices: list[list[Any]] = [["code"], ["record", "learner"], ["record", "version"],
                                ["record", "course", "title"], ["record", "modules"],
                                ["record", "completed_on"], ["record", "format"]]
    choices += [["record", "modules", 0, key] for key in fields["modules"][0]]
    if "signature" in embedded:
        choices += [["signature"], ["record", "signed_by", "name"],
                    ["record", "signed_by", "public_key"], ["record", "signed_by"]]
    return draw(st.sampled_from(choices)), draw(json_values)


@PROPERTY
@given(st.sampled_from(["self-md", "signed-md", "signed-html"]), st.data())
def test_a_record_with_any_value_replaced_and_written_again_is_never_signed(
        records: dict[str, str], which: str, data: st.DataObject) -> None:
    text = records[which]
    original = json.loads(text.split("<!-- ivstem-record ")[1].split(" -->")[0])
    embedded = json.loads(json.dumps(original))
    path, value = data.draw(field_replacements(embedded))
    target = embedded
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    # As a forger would: the file written again from the changed fields, code recomputed.
    fields = embedded["record"]
    signature = embedded.get("signature")
    try:
        raw = base64.b64decode(signature) if isinstance(signature, str) else None
        record = Record(fields, raw)
        forged = render(record, "html" if which.endswith("html") else "markdown")
    except Exception:  # fields the renderer cannot take: put them in the file as they are
        forged = with_payload(text, json.dumps(embedded))
    for key in (None, INSTRUCTOR.public):
        verdict = verify_text(forged.encode(), "forged", key)
        if verdict.kind in (Kind.SIGNED, Kind.SIGNER_UNCONFIRMED):
            # Only the record as signed (the code is not kept: writing the file recomputes it).
            assert [embedded.get("record"), embedded.get("signature")] == [
                original["record"], original["signature"]]
        if verdict.kind is Kind.SELF_REPORTED:
            assert "signed_by" not in fields and "signature" not in embedded


@PROPERTY
@given(st.sampled_from(["self-md", "self-html", "signed-md", "signed-html"]), st.data())
def test_any_change_to_a_records_text_is_found(records: dict[str, str], which: str,
                                               data: st.DataObject) -> None:
    text = records[which]
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start, min(len(text), start + 8)))
    insert = data.draw(st.text(max_size=4))
    changed = text[:start] + insert + text[end:]
    verdict = verify_text(changed.encode(), "changed")
    same = changed.replace("\r\n", "\n").rstrip() == text.rstrip()
    if not same:
        assert verdict.kind is Kind.ALTERED


def test_the_records_used_here_verify_as_what_they_are(records: dict[str, str]) -> None:
    assert verify_text(records["self-md"].encode()).kind is Kind.SELF_REPORTED
    assert verify_text(records["signed-html"].encode()).kind is Kind.SIGNER_UNCONFIRMED
    assert verify_text(records["signed-md"].encode(), key=INSTRUCTOR.public).kind is Kind.SIGNED


def test_a_record_file_read_from_disk_gets_a_verdict(tmp_path: Path) -> None:
    from course.record.certificate import verify

    hostile = tmp_path / "hostile.md"
    hostile.write_bytes(b"\xff\xfe" + b"[" * 10_000)
    assert verify(hostile).kind is Kind.ALTERED
