"""The completion record, in Markdown or HTML: self-reported by a learner, or signed by an
instructor.

A record is a small set of fields (learner, course id, title and version, each module's score
and pass date, the completion and issue dates, the program, and for a signed record the
signer's name and public key). Its verification code is the first 80 bits of SHA-256 over the
canonical JSON of those fields (sorted keys, no spaces, UTF-8), written as five groups of four
hex digits for reading aloud: `3F2A-91C0-…`.

Both files carry the fields themselves, as JSON in an HTML comment at the end (with the
signature, for a signed record), and everything visible in them is made from those fields.
`verify` reads the fields back, recomputes the code, renders the file again and compares: a
change to a score, a date, a name, the code, or any other character of the visible text is
found.

Two kinds of record, and what each proves:

- **self-reported, not signed**: what `ivstem certificate` writes for a learner, without a
  key. The code shows only that the file is as it was written. Anyone with ivstem (it is open
  source) can write one with any name and any scores and compute its code, so it proves
  nothing about who passed. Its page says so at the top, and `verify` says so, never
  "genuine".
- **signed**: what an instructor issues with `ivstem certificate issue` from a learner's
  progress export, after checking it against the course. The Ed25519 signature (see
  `course.record.signing`) covers every field, the signer's key among them; `verify` with the
  instructor's public key says whether that key signed this very record. Without the key it can
  say only which key signed it: anyone can make a key and call it by any name.

Records written before signing existed (version 1) are still read, as self-reported.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from course import __version__
from course.bounded_json import JsonLimitError, loads, read_limited
from course.material.model import Course
from course.record.progress import ProgressStore
from course.record.signing import PrivateKey, PublicKey
from course.record.study import ModuleState, Standing, standings
from quizzes.points import percent

FORMAT = "ivstem-completion-record"
#: Version 2 says on the page whether a record is signed; version 1 records are still read.
VERSION = 2

#: Hex digits of SHA-256 in the code (80 bits), shown in groups of four.
CODE_DIGITS = 20

#: A record file larger than this is not one of ours.
MAX_FILE_BYTES = 1024 * 1024

#: The most modules a record lists, and the longest text in it: far above any course.
MAX_MODULES = 1000
MAX_TEXT = 2000



class CertificateError(Exception):
    """A record that cannot be written; `str()` says why."""


class NotCompleteError(CertificateError):
    """Not every module is passed yet; `remaining` says, in words, what is left to do."""

    def __init__(self, remaining: Sequence[str]) -> None:
        super().__init__("Not every module is passed yet.")
        self.remaining = list(remaining)


class UnreadableError(Exception):
    """The file to verify is missing or cannot be read."""


# -- what is left ---------------------------------------------------------------------------------


def what_remains(course: Course, standing: Sequence[Standing]) -> list[str]:
    """One line per module not passed yet, saying what is left to do in it."""
    lines = []
    for entry in standing:
        if entry.state is ModuleState.PASSED:
            continue
        module = entry.module
        parts = []
        left = len([lesson for lesson in module.lessons if lesson.id not in entry.lessons_done])
        if left:
            parts.append(f"read {left} more lesson{'s' if left != 1 else ''}")
        if module.quiz is not None:
            mark = percent(course.pass_mark(module))
            if entry.best_score is None:
                parts.append(f"pass the quiz (pass mark {mark})")
            else:
                parts.append(f"pass the quiz (pass mark {mark}; your best so far"
                             f" {percent(entry.best_score)})")
        text = " and ".join(parts) or "finish it"
        line = f"“{module.title}”: {text}."
        if entry.state is ModuleState.LOCKED:
            line += f" {entry.opens_when}"
        lines.append(line)
    return lines


# -- the record -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Record:
    """A completion record's fields, the code derived from them, and its signature if signed.

    A record is signed when its fields name a key (`signed_by`) and `signature` is that key's
    signature over the canonical fields; `verify` checks both.
    """

    fields: dict[str, Any]
    signature: bytes | None = None

    @property
    def code(self) -> str:
        """The verification code: `XXXX-XXXX-XXXX-XXXX-XXXX`."""
        return verification_code(self.fields)

    @property
    def learner(self) -> str:
        """Whose record it is."""
        return str(self.fields["learner"])

    @property
    def course_id(self) -> str:
        """The course's id."""
        return str(self.fields["course"]["id"])

    @property
    def signer(self) -> PublicKey | None:
        """The key the record names as its signer (a claim until `verify` checks it)."""
        named = self.fields.get("signed_by")
        if not isinstance(named, dict):
            return None
        return PublicKey(str(named["name"]), base64.b64decode(named["public_key"]))


def canonical(fields: Mapping[str, Any]) -> bytes:
    """The canonical serialisation the code is computed over: sorted keys, no spaces, UTF-8."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def verification_code(fields: Mapping[str, Any]) -> str:
    """The first 80 bits of SHA-256 over the canonical fields, as five groups of four."""
    digest = hashlib.sha256(canonical(fields)).hexdigest()[:CODE_DIGITS].upper()
    return "-".join(digest[i:i + 4] for i in range(0, CODE_DIGITS, 4))


def build_record(
    course: Course,
    store: ProgressStore,
    learner: str,
    now: datetime | None = None,
    *,
    standing: Sequence[Standing] | None = None,
) -> Record:
    """The learner's self-reported completion record; NotCompleteError (with what remains)
    before then.

    Scores are the best quiz score of each module, in whole percent; a module without a quiz
    shows none. Dates are local calendar dates.
    """
    moment = store.now() if now is None else now
    if standing is None:
        standing = standings(course, store.summary(learner, course.id),
                             store.passed_modules(learner, course.id))
    remaining = what_remains(course, standing)
    if remaining:
        raise NotCompleteError(remaining)
    dates = store.pass_dates(learner, course.id)
    modules = [
        module_entry(course, entry.module, entry.best_score,
                     dates.get(entry.module.id) or moment)
        for entry in standing
    ]
    return Record(record_fields(course, store.learner_name(learner) or learner, modules, moment))


def module_entry(
    course: Course, module: Any, best_score: float | None, passed: datetime
) -> dict[str, Any]:
    """One module's line of a record: its score (whole percent) and pass mark, the pass date."""
    has_quiz = module.quiz is not None
    return {
        "id": module.id,
        "title": module.title,
        "score": round(best_score * 100) if has_quiz and best_score is not None else None,
        "pass_mark": round(course.pass_mark(module) * 100) if has_quiz else None,
        "passed_on": day(passed),
    }


def record_fields(
    course: Course, learner: str, modules: list[dict[str, Any]], moment: datetime
) -> dict[str, Any]:
    """The fields of a record, unsigned, issued at `moment`."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "learner": learner,
        "course": {"id": course.id, "title": course.title, "version": course.version},
        "modules": modules,
        "completed_on": max(str(m["passed_on"]) for m in modules) if modules else day(moment),
        "issued_on": day(moment),
        "program": f"ivstem {__version__}",
    }


def sign(record: Record, key: PrivateKey) -> Record:
    """The record signed with `key`: its fields name the key, and the signature covers them."""
    public = key.public
    fields = {**record.fields, "version": VERSION,
              "signed_by": {"name": public.name, "public_key": public.encoded}}
    return Record(fields, key.sign(canonical(fields)))


def day(moment: datetime) -> str:
    """A moment as a local calendar date, as records show dates."""
    return moment.astimezone().date().isoformat()


# -- writing --------------------------------------------------------------------------------------

#: What a version 1 record said of itself (kept so that those records still verify).
HONESTY = (
    "The code shows whether this record was changed after it was written. It is not a"
    " signature: anyone with ivstem can write a record with a valid code, so it does not prove"
    " who wrote it."
)

SELF_REPORTED = "self-reported, not signed"

SELF_REPORTED_NOTE = (
    "Self-reported, not signed: the learner wrote this record with ivstem, and nobody checked"
    " it. Its verification code shows only that the file is as it was written: anyone with"
    " ivstem can write a record with any name and any scores and a valid code, so it does not"
    " prove who passed the course. An instructor can issue a signed record with"
    " `ivstem certificate issue`. Check this one with `ivstem certificate --verify FILE`."
)

SIGNED_NOTE = (
    "Signed: the instructor who holds this key issued this record after checking the"
    " learner's progress against the course. Check it with"
    " `ivstem certificate --verify FILE --key PUBLIC_KEY`, giving the instructor's public key"
    " file: it says whether that key signed this very record."
)


def file_stem(record: Record) -> str:
    """`ivstem-certificate-<course>-<learner>`, with the learner's name made safe for files."""
    learner = re.sub(r"[^A-Za-z0-9._-]+", "-", record.learner).strip("-.") or "learner"
    course = re.sub(r"[^A-Za-z0-9._-]+", "-", record.course_id).strip("-.") or "course"
    return f"ivstem-certificate-{course}-{learner}"


@dataclass(frozen=True, slots=True)
class _Layout:
    """What differs on the page between the kinds of record."""

    heading: str
    signer: PublicKey | None
    note: str


def _layout(record: Record) -> _Layout:
    if record.fields["version"] == 1:
        return _Layout("Completion record", None,
                       f"Check it with `ivstem certificate --verify FILE`. {HONESTY}")
    signer = record.signer
    if signer is None:
        return _Layout(f"Completion record ({SELF_REPORTED})", None, SELF_REPORTED_NOTE)
    return _Layout("Completion record (signed)", signer, SIGNED_NOTE)


def render(record: Record, fmt: str) -> str:
    """The record as a file: `markdown` or `html` (one self-contained page, no scripts)."""
    if fmt == "markdown":
        return _markdown(record)
    if fmt == "html":
        return _html(record)
    raise ValueError(f"unknown format {fmt!r}")


def _embedded(record: Record) -> str:
    """The fields, code and signature as JSON that is safe inside an HTML comment."""
    data: dict[str, Any] = {"record": record.fields, "code": record.code}
    if record.signature is not None:
        data["signature"] = base64.b64encode(record.signature).decode("ascii")
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      allow_nan=False)
    # A comment must not hold "--" or ">" ("-->" would end it early). "-" only ever occurs
    # inside strings (no number is negative), where a \u escape means the same character.
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    text = text.replace("--", "-\\u002d")
    return f"<!-- ivstem-record {text} -->"


def _score_cells(module: Mapping[str, Any]) -> tuple[str, str]:
    if module["pass_mark"] is None:
        return "completed (no quiz)", "—"
    score = "—" if module["score"] is None else f"{module['score']}%"
    return score, f"{module['pass_mark']}%"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!])")


def _md(text: str) -> str:
    """Text that Markdown shows as written."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _markdown(record: Record) -> str:
    fields = record.fields
    course = fields["course"]
    layout = _layout(record)
    issued = f"Issued on {fields['issued_on']} by {_md(fields['program'])}"
    if layout.signer is not None:
        issued += (f"; signed by **{_md(layout.signer.name)}** with the key"
                   f" {layout.signer.fingerprint}")
    lines = [
        f"# {layout.heading}",
        "",
        f"**{_md(fields['learner'])}** completed the course **{_md(course['title'])}**"
        f" (course id {_md(course['id'])}, version {_md(course['version'])})"
        f" on {fields['completed_on']}.",
        "",
        "| Module | Score | Pass mark | Passed on |",
        "| --- | --- | --- | --- |",
    ]
    for module in fields["modules"]:
        score, mark = _score_cells(module)
        lines.append(f"| {_md(module['title'])} | {score} | {mark} | {module['passed_on']} |")
    lines += [
        "",
        f"{issued}.",
        "",
        f"Verification code: **{record.code}**",
        "",
        layout.note,
        "",
        _embedded(record),
        "",
    ]
    return "\n".join(lines)


_CSS = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:44rem;"
    "margin:3rem auto;padding:0 1.5rem;color:#1a1a1a;line-height:1.5}"
    "h1{font-size:1.6rem;border-bottom:2px solid #1a1a1a;padding-bottom:.3rem}"
    "table{border-collapse:collapse;width:100%;margin:1.5rem 0}"
    "th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #bbb}"
    "td.n,th.n{text-align:right}"
    ".code{font-family:ui-monospace,monospace;font-size:1.2rem;letter-spacing:.05em}"
    ".note{color:#444;font-size:.9rem}"
    "@media print{body{margin:1cm auto}}"
)


def _html(record: Record) -> str:
    fields = record.fields
    course = fields["course"]
    layout = _layout(record)
    e = html.escape
    rows = []
    for module in fields["modules"]:
        score, mark = _score_cells(module)
        rows.append(f"<tr><td>{e(module['title'])}</td><td class=\"n\">{e(score)}</td>"
                    f"<td class=\"n\">{e(mark)}</td><td>{e(module['passed_on'])}</td></tr>")
    issued = f"Issued on {e(fields['issued_on'])} by {e(fields['program'])}"
    if layout.signer is not None:
        issued += (f"; signed by <strong>{e(layout.signer.name)}</strong> with the key"
                   f" <code>{e(layout.signer.fingerprint)}</code>")
    if fields["version"] == 1:
        note = (f"Check it with <code>ivstem certificate --verify FILE</code>. {e(HONESTY)}")
    else:
        note = re.sub(r"`([^`]*)`", r"<code>\1</code>", e(layout.note))
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        ' style-src \'unsafe-inline\'">',
        f"<title>{e(layout.heading)}: {e(course['title'])}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{e(layout.heading)}</h1>",
        f"<p><strong>{e(fields['learner'])}</strong> completed the course"
        f" <strong>{e(course['title'])}</strong> (course id {e(course['id'])}, version"
        f" {e(course['version'])}) on {e(fields['completed_on'])}.</p>",
        "<table>",
        '<thead><tr><th>Module</th><th class="n">Score</th><th class="n">Pass mark</th>'
        "<th>Passed on</th></tr></thead>",
        "<tbody>",
        *rows,
        "</tbody>",
        "</table>",
        f"<p>{issued}.</p>",
        f'<p>Verification code: <strong class="code">{e(record.code)}</strong></p>',
        f'<p class="note">{note}</p>',
        "</body>",
        "</html>",
        _embedded(record),
        "",
    ])


def write(record: Record, folder: Path, stem: str | None = None) -> list[Path]:
    """Write the record as `<stem>.md` and `<stem>.html` in `folder`; returns the two paths.

    The stem is `file_stem(record)` unless given. Raises OSError when the folder cannot be
    written.
    """
    paths = []
    for fmt, suffix in (("markdown", ".md"), ("html", ".html")):
        path = folder / ((stem or file_stem(record)) + suffix)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(render(record, fmt), encoding="utf-8", newline="\n")
        temporary.replace(path)
        paths.append(path)
    return paths


# -- verifying ------------------------------------------------------------------------------------


class Kind(StrEnum):
    """What verifying a record found."""

    #: Signed by the key the verifier gave, and not changed since.
    SIGNED = "signed"
    #: Validly signed by the key it carries; without the verifier's key, whose is not known.
    SIGNER_UNCONFIRMED = "signer unconfirmed"
    #: Validly signed, but by another key than the one the verifier gave.
    OTHER_KEY = "other key"
    #: Written without a key: as it was written, but proving nothing about who passed.
    SELF_REPORTED = "self-reported"
    #: Changed, forged, or not a record at all.
    ALTERED = "altered"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What verifying a file found, and a paragraph saying so."""

    kind: Kind
    message: str
    record: Record | None = None


def verify(path: Path, key: PublicKey | None = None) -> Verdict:
    """Check a record file, against `key` when given; UnreadableError when it cannot be read."""
    try:
        if path.is_dir():
            raise UnreadableError(f"{path} is a folder, not a completion record.")
        with path.open("rb") as stream:
            raw = read_limited(stream, MAX_FILE_BYTES)
    except JsonLimitError:
        return Verdict(Kind.ALTERED, f"ALTERED: {path} is too large to be an ivstem completion"
                       " record.")
    except OSError as exc:
        raise UnreadableError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return verify_text(raw, str(path), key)


_MARKER = "<!-- ivstem-record "


def verify_text(raw: bytes, name: str = "the file", key: PublicKey | None = None) -> Verdict:
    """Check the bytes of a record file: embedded fields, code, every visible character, and
    the signature; against `key` when given."""
    altered = f"ALTERED: {name}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Verdict(Kind.ALTERED, f"{altered} is not UTF-8 text, so it is not a record ivstem"
                       " wrote.")
    # Found with plain string search: a pattern over a hostile file could take quadratic time.
    start, end = text.find(_MARKER), -1
    if start >= 0 and text.count(_MARKER) == 1:
        end = text.find(" -->", start)
    if end < 0:
        return Verdict(Kind.ALTERED, f"{altered} has no ivstem record in it (or more than one):"
                       " it is not a completion record ivstem wrote, or it was changed.")
    try:
        record, stated = _embedded_record(text[start + len(_MARKER):end])
        code = record.code
        fmt = "html" if text.lstrip().lower().startswith("<!doctype html") else "markdown"
        expected = render(record, fmt)
    except JsonLimitError as exc:
        return Verdict(Kind.ALTERED, f"{altered}: its embedded record cannot be read ({exc}).")
    except (ValueError, TypeError, KeyError, AttributeError):
        return Verdict(Kind.ALTERED, f"{altered}: its embedded record cannot be read.")
    if stated != code:
        return Verdict(Kind.ALTERED, f"{altered}: its verification code does not match its"
                       " contents.")
    if _normalise(text) != _normalise(expected):
        line = _first_difference(_normalise(text), _normalise(expected))
        return Verdict(Kind.ALTERED, f"{altered}: its text was changed (line {line} differs"
                       " from what ivstem wrote).")
    return _judge(record, name, key)


def _judge(record: Record, name: str, key: PublicKey | None) -> Verdict:
    """The verdict on a record whose text matches its fields: signed, by whom, or not."""
    fields = record.fields
    course = {key: _shown(value) for key, value in fields["course"].items()}
    what = (f"the completion record of {_shown(fields['learner'])} in “{course['title']}”"
            f" (course id {course['id']}, version {course['version']}), completed on"
            f" {fields['completed_on']}, code {record.code}")
    signer = record.signer
    if signer is None:
        message = (f"SELF-REPORTED, NOT SIGNED: {name} is {what}. It is as it was written, but"
                   " it was written without a key: anyone with ivstem can write such a record,"
                   " with any name and any scores, so it proves nothing about who passed the"
                   " course. An instructor issues signed records with"
                   " `ivstem certificate issue`.")
        if key is not None:
            message += f" It is not signed by the key you gave ({_key_words(key)})."
        return Verdict(Kind.SELF_REPORTED, message, record)
    assert record.signature is not None
    if not signer.verifies(record.signature, canonical(fields)):
        return Verdict(Kind.ALTERED, f"ALTERED: {name}: its signature does not match its"
                       " contents. It was changed after it was signed, or it was never signed"
                       f" by the key it names ({signer.fingerprint}).")
    claimed = _shown(signer.name)
    if key is None:
        return Verdict(Kind.SIGNER_UNCONFIRMED,
                       f"SIGNED BY AN UNCONFIRMED KEY: {name} is {what}, signed by the key"
                       f" {signer.fingerprint} and not changed since. The record says the key"
                       f" is “{claimed}”, but anyone can make a key under any name, so without"
                       " the instructor's public key this cannot say whose it is. Check it"
                       " again with --key and the public key file of the instructor who should"
                       " have signed it.", record)
    if key.raw != signer.raw:
        return Verdict(Kind.OTHER_KEY,
                       f"NOT SIGNED BY THAT KEY: {name} is signed by the key"
                       f" {signer.fingerprint} (which calls itself “{claimed}”), not by the key"
                       f" you gave ({_key_words(key)}).", record)
    return Verdict(Kind.SIGNED,
                   f"SIGNED: {name} is {what}. It is signed by {_key_words(key)}, the key you"
                   " gave, and was not changed since it was signed.", record)


def _key_words(key: PublicKey) -> str:
    return f"“{_shown(key.name)}”, key {key.fingerprint}"


def _shown(text: str) -> str:
    """Text from a file, for a terminal: control and formatting characters (escapes, bidi
    overrides) written as `\\x1b`, `\\u202e`, never sent as they are."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
                   for char in text)


def _embedded_record(payload: str) -> tuple[Record, str]:
    """The record and the code stated in the embedded JSON; ValueError unless it is exactly
    what ivstem writes, with every field of the kind and form it has."""
    data = loads(payload, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    if not isinstance(data, dict) or not {"record", "code"} <= set(data) <= {
            "record", "code", "signature"}:
        raise ValueError("not a record")
    fields, stated = data["record"], data["code"]
    _check_fields(fields)
    if not isinstance(stated, str):
        raise ValueError("no code")
    signature = data.get("signature")
    if (signature is None) != ("signed_by" not in fields):
        raise ValueError("a signature without a signer, or a signer without a signature")
    if signature is None:
        return Record(fields), stated
    return Record(fields, _base64(signature, 64)), stated


def _check_fields(fields: Any) -> None:
    """ValueError unless `fields` has exactly the fields of a record, each of its form."""
    _keys(fields, {"format", "version", "learner", "course", "modules", "completed_on",
                   "issued_on", "program"}, {"signed_by"})
    if fields["format"] != FORMAT or type(fields["version"]) is not int:
        raise ValueError("not a completion record")
    if fields["version"] not in (1, VERSION) or (fields["version"] == 1 and "signed_by"
                                                 in fields):
        raise ValueError("a version this ivstem does not read")
    for key in ("learner", "program"):
        _text(fields[key])
    for key in ("completed_on", "issued_on"):
        _date(fields[key])
    _keys(fields["course"], {"id", "title", "version"})
    for value in fields["course"].values():
        _text(value)
    modules = fields["modules"]
    if not isinstance(modules, list) or len(modules) > MAX_MODULES:
        raise ValueError("modules")
    for module in modules:
        _keys(module, {"id", "title", "score", "pass_mark", "passed_on"})
        _text(module["id"])
        _text(module["title"])
        _date(module["passed_on"])
        for key in ("score", "pass_mark"):
            value = module[key]
            if value is not None and (type(value) is not int or not 0 <= value <= 100):
                raise ValueError(key)
    if "signed_by" in fields:
        signer = fields["signed_by"]
        _keys(signer, {"name", "public_key"})
        _text(signer["name"])
        _base64(signer["public_key"], 32)


def _keys(value: Any, required: set[str], optional: frozenset[str] | set[str] = frozenset()
          ) -> None:
    if not isinstance(value, dict) or not required <= set(value) <= required | optional:
        raise ValueError("not the fields of a record")


def _text(value: Any) -> None:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError("not text")


def _date(value: Any) -> None:
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("not a date")
    date.fromisoformat(value)


def _base64(value: Any, size: int) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not base64")
    try:
        raw = base64.b64decode(value.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error) as exc:
        raise ValueError("not base64") from exc
    if len(raw) != size:
        raise ValueError("not a key or signature")
    return raw


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice")
        result[key] = value
    return result


def _no_constant(constant: str) -> Any:
    raise ValueError(f"{constant} is not a number JSON allows")


def _normalise(text: str) -> str:
    """Line endings as LF and no trailing blank space at the end (editors add or strip it)."""
    return text.replace("\r\n", "\n").rstrip()


def _first_difference(a: str, b: str) -> int:
    for number, (left, right) in enumerate(zip(a.split("\n"), b.split("\n"), strict=False),
                                           start=1):
        if left != right:
            return number
    return min(a.count("\n"), b.count("\n")) + 1
