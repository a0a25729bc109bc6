"""The completion record: proof, in Markdown or HTML, that a learner passed every module.

A record is a small set of fields (learner, course id, title and version, each module's score
and pass date, the completion and issue dates, the program). Its verification code is the first
80 bits of SHA-256 over the canonical JSON of those fields (sorted keys, no spaces, UTF-8),
written as five groups of four hex digits for reading aloud: `3F2A-91C0-…`.

Both files carry the fields themselves, as JSON in an HTML comment at the end, and everything
visible in them is made from those fields. `verify` reads the fields back, recomputes the code,
renders the file again and compares: a change to a score, a date, a name, the code, or any other
character of the visible text is found.

What the code is not: a signature. It shows that a record was not altered after ivstem wrote it;
anyone with ivstem (it is open source) can write a record with a valid code, so it does not
prove who wrote it, nor that the learner did the work. A course that needs that must issue
records itself.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from course import __version__
from course.material.model import Course
from course.record.progress import ProgressStore
from course.record.study import ModuleState, Standing, standings
from quizzes.points import percent

FORMAT = "ivstem-completion-record"
VERSION = 1

#: Hex digits of SHA-256 in the code (80 bits), shown in groups of four.
CODE_DIGITS = 20

#: A record file larger than this is not one of ours.
MAX_FILE_BYTES = 1024 * 1024

_EMBEDDED = re.compile(r"<!-- ivstem-record (\{.*?\}) -->")


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
    """A completion record's fields, and the code derived from them."""

    fields: dict[str, Any]

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
    """The learner's completion record; NotCompleteError (with what remains) before then.

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
    modules: list[dict[str, Any]] = []
    for entry in standing:
        module = entry.module
        passed = dates.get(module.id)
        has_quiz = module.quiz is not None
        modules.append({
            "id": module.id,
            "title": module.title,
            "score": round(entry.best_score * 100) if has_quiz and entry.best_score is not None
            else None,
            "pass_mark": round(course.pass_mark(module) * 100) if has_quiz else None,
            "passed_on": _day(passed) if passed is not None else _day(moment),
        })
    fields = {
        "format": FORMAT,
        "version": VERSION,
        "learner": store.learner_name(learner) or learner,
        "course": {"id": course.id, "title": course.title, "version": course.version},
        "modules": modules,
        "completed_on": max(str(m["passed_on"]) for m in modules) if modules else _day(moment),
        "issued_on": _day(moment),
        "program": f"ivstem {__version__}",
    }
    return Record(fields)


def _day(moment: datetime) -> str:
    return moment.astimezone().date().isoformat()


# -- writing --------------------------------------------------------------------------------------

HONESTY = (
    "The code shows whether this record was changed after it was written. It is not a"
    " signature: anyone with ivstem can write a record with a valid code, so it does not prove"
    " who wrote it."
)


def file_stem(record: Record) -> str:
    """`ivstem-certificate-<course>-<learner>`, with the learner's name made safe for files."""
    learner = re.sub(r"[^A-Za-z0-9._-]+", "-", record.learner).strip("-.") or "learner"
    return f"ivstem-certificate-{record.course_id}-{learner}"


def render(record: Record, fmt: str) -> str:
    """The record as a file: `markdown` or `html` (one self-contained page, no scripts)."""
    if fmt == "markdown":
        return _markdown(record)
    if fmt == "html":
        return _html(record)
    raise ValueError(f"unknown format {fmt!r}")


def _embedded(record: Record) -> str:
    """The fields and code as JSON that is safe inside an HTML comment in either format."""
    text = json.dumps({"record": record.fields, "code": record.code}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=True, allow_nan=False)
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
    lines = [
        "# Completion record",
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
        f"Issued on {fields['issued_on']} by {_md(fields['program'])}.",
        "",
        f"Verification code: **{record.code}**",
        "",
        f"Check it with `ivstem certificate --verify FILE`. {HONESTY}",
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
    e = html.escape
    rows = []
    for module in fields["modules"]:
        score, mark = _score_cells(module)
        rows.append(f"<tr><td>{e(module['title'])}</td><td class=\"n\">{e(score)}</td>"
                    f"<td class=\"n\">{e(mark)}</td><td>{e(module['passed_on'])}</td></tr>")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        ' style-src \'unsafe-inline\'">',
        f"<title>Completion record: {e(course['title'])}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<h1>Completion record</h1>",
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
        f"<p>Issued on {e(fields['issued_on'])} by {e(fields['program'])}.</p>",
        f'<p>Verification code: <strong class="code">{e(record.code)}</strong></p>',
        f'<p class="note">Check it with <code>ivstem certificate --verify FILE</code>.'
        f" {e(HONESTY)}</p>",
        "</body>",
        "</html>",
        _embedded(record),
        "",
    ])


def write(record: Record, folder: Path) -> list[Path]:
    """Write the record as `<stem>.md` and `<stem>.html` in `folder`; returns the two paths.

    Raises OSError when the folder cannot be written.
    """
    paths = []
    for fmt, suffix in (("markdown", ".md"), ("html", ".html")):
        path = folder / (file_stem(record) + suffix)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(render(record, fmt), encoding="utf-8", newline="\n")
        temporary.replace(path)
        paths.append(path)
    return paths


# -- verifying ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    """What verifying a file found: genuine or not, and a sentence saying so."""

    genuine: bool
    message: str
    record: Record | None = None


def verify(path: Path) -> Verdict:
    """Check a record file; UnreadableError when it is missing or cannot be read."""
    try:
        if path.is_dir():
            raise UnreadableError(f"{path} is a folder, not a completion record.")
        if path.stat().st_size > MAX_FILE_BYTES:
            return Verdict(False, f"{path} is too large to be an ivstem completion record.")
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    return verify_text(raw, str(path))


def verify_text(raw: bytes, name: str = "the file") -> Verdict:
    """Check the bytes of a record file: embedded fields, code, and every visible character."""
    altered = f"ALTERED: {name}"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Verdict(False, f"{altered} is not UTF-8 text, so it is not a record ivstem wrote.")
    found = _EMBEDDED.findall(text)
    if len(found) != 1:
        return Verdict(False, f"{altered} has no ivstem record in it (or more than one): it is"
                       " not a completion record ivstem wrote, or it was changed.")
    try:
        data = json.loads(found[0])
        fields, stated = data["record"], data["code"]
        if not isinstance(fields, dict) or not isinstance(stated, str):
            raise TypeError("not a record")
        record = Record(fields)
        code = record.code
        fmt = "html" if text.lstrip().lower().startswith("<!doctype html") else "markdown"
        expected = render(record, fmt)
    except (ValueError, TypeError, KeyError, AttributeError):
        return Verdict(False, f"{altered}: its embedded record cannot be read.")
    if stated != code:
        return Verdict(False, f"{altered}: its verification code does not match its contents.")
    if _normalise(text) != _normalise(expected):
        line = _first_difference(_normalise(text), _normalise(expected))
        return Verdict(False, f"{altered}: its text was changed (line {line} differs from what"
                       " ivstem wrote).")
    course = fields["course"]
    return Verdict(True, f"GENUINE: {name} is the completion record of {fields['learner']} in"
                   f" “{course['title']}” (course id {course['id']}, version"
                   f" {course['version']}), completed on {fields['completed_on']}, code {code}."
                   " It was not altered since it was written.", record)


def _normalise(text: str) -> str:
    """Line endings as LF and no trailing blank space at the end (editors add or strip it)."""
    return text.replace("\r\n", "\n").rstrip()


def _first_difference(a: str, b: str) -> int:
    for number, (left, right) in enumerate(zip(a.split("\n"), b.split("\n"), strict=False),
                                           start=1):
        if left != right:
            return number
    return min(a.count("\n"), b.count("\n")) + 1

