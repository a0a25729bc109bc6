"""The completion record: written when every module is passed, verified, altered, refused."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from test_app import SIZE, VALID
from textual.widgets import Button

from course.material.loader import load_course
from course.material.model import Course
from course.record import certificate
from course.record.progress import ProgressStore
from tui.app import make_app
from tui.cli import main
from tui.screens.course_map import ActionLine, CourseMapScreen
from tui.screens.dashboard import DashboardScreen

COURSE = "test-course"
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


class Clock:
    """A clock the test sets by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


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


def pass_everything(store: ProgressStore, clock: Clock, learner: str = "Ana Lima") -> None:
    """Both modules of the test course: lessons read and quizzes passed, a day apart."""
    clock.now = NOW - timedelta(days=1)
    store.complete_lesson(learner, COURSE, "basics", "first-lesson")
    store.finish_quiz(learner, COURSE, "basics", 0.875, 4.375, True, "{}")
    clock.now = NOW
    store.complete_lesson(learner, COURSE, "more", "sorting")
    store.finish_quiz(learner, COURSE, "more", 1.0, 3.0, True, "{}")


@pytest.fixture
def finished(tmp_path: Path) -> Iterator[Path]:
    """A data folder whose learner has passed every module."""
    data = tmp_path / "data"
    clock = Clock(NOW)
    with ProgressStore.open(data, clock=clock) as store:
        pass_everything(store, clock)
    yield data


def run(*args: str) -> int:
    return main([*args])


def written(folder: Path) -> tuple[Path, Path]:
    stem = "ivstem-certificate-test-course-Ana-Lima"
    return folder / f"{stem}.md", folder / f"{stem}.html"


# -- the record ---------------------------------------------------------------------------------


def test_the_record_holds_learner_course_scores_and_dates(course: Course) -> None:
    clock = Clock(NOW)
    with ProgressStore.in_memory(clock=clock) as store:
        pass_everything(store, clock)
        record = certificate.build_record(course, store, "Ana Lima")
    fields = record.fields
    assert fields["learner"] == "Ana Lima"
    assert fields["course"] == {"id": COURSE, "title": "A test course", "version": "1.0"}
    assert fields["modules"] == [
        {"id": "basics", "title": "The basics", "score": 88, "pass_mark": 50,
         "passed_on": "2026-03-09"},
        {"id": "more", "title": "More", "score": 100, "pass_mark": 80,
         "passed_on": "2026-03-10"},
    ]
    assert (fields["completed_on"], fields["issued_on"]) == ("2026-03-10", "2026-03-10")


def test_the_code_is_sha256_over_the_canonical_fields_grouped_for_reading(
        course: Course) -> None:
    clock = Clock(NOW)
    with ProgressStore.in_memory(clock=clock) as store:
        pass_everything(store, clock)
        record = certificate.build_record(course, store, "Ana Lima")
    digest = hashlib.sha256(certificate.canonical(record.fields)).hexdigest().upper()
    assert record.code.replace("-", "") == digest[:20]
    assert [len(group) for group in record.code.split("-")] == [4, 4, 4, 4, 4]


def test_before_completion_the_record_is_refused_with_what_remains(course: Course) -> None:
    clock = Clock(NOW)
    with ProgressStore.in_memory(clock=clock) as store:
        store.complete_lesson("ana", COURSE, "basics", "first-lesson")
        store.finish_quiz("ana", COURSE, "basics", 0.25, 1.25, False, "{}")
        with pytest.raises(certificate.NotCompleteError) as refused:
            certificate.build_record(course, store, "ana")
    assert refused.value.remaining == [
        "“The basics”: pass the quiz (pass mark 50%; your best so far 25%).",
        "“More”: read 1 more lesson and pass the quiz (pass mark 80%). Opens when you pass"
        " “The basics”.",
    ]


# -- the command: written, verified, refused after one character changed ----------------------


def test_the_record_is_written_as_markdown_and_html_and_both_verify(
        finished: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert run("certificate", "--course", str(VALID), "--learner", "Ana Lima",
               "--data-dir", str(finished), "-o", str(out)) == 0
    markdown, page = written(out)
    said = capsys.readouterr().out
    assert str(markdown) in said and str(page) in said and "Verification code:" in said
    text = markdown.read_text(encoding="utf-8")
    assert "**Ana Lima** completed the course **A test course**" in text
    assert "| The basics | 88% | 50% | 2026-03-09 |" in text
    html = page.read_text(encoding="utf-8")
    # self-contained: nothing to run, nothing loaded from elsewhere
    assert "<script" not in html and " src=" not in html and "://" not in html
    assert "<h1>Completion record (self-reported, not signed)</h1>" in html
    assert text.startswith("# Completion record (self-reported, not signed)")
    assert "Self-reported, not signed: the learner wrote this record" in text
    assert "(self-reported, not signed)" in said
    for path in (markdown, page):
        assert run("certificate", "--verify", str(path)) == 4
        said = capsys.readouterr().out
        assert said.startswith(f"SELF-REPORTED, NOT SIGNED: {path} is the completion record of"
                               " Ana Lima")
        assert "GENUINE" not in said


@pytest.mark.parametrize(("fmt", "old", "new"), [
    ("md", "| 88% |", "| 98% |"),  # a score in the visible text
    ("md", "2026-03-09", "2026-03-08"),  # a date in the visible text
    ("md", "**Ana Lima**", "**Ana Lina**"),  # the name
    ("md", '"score":88', '"score":98'),  # a score in the embedded record
    ("md", "nobody checked", "somebody checked"),  # any other character
    ("md", "(self-reported, not signed)", "(signed)"),  # the label
    ("html", ">88%<", ">98%<"),
    ("html", "2026-03-09", "2026-03-08"),
    ("html", "<strong>Ana Lima</strong>", "<strong>Ana Lina</strong>"),
    ("html", '"score":88', '"score":98'),
])
def test_a_record_with_one_character_changed_is_refused(
        finished: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        fmt: str, old: str, new: str) -> None:
    run("certificate", "--course", str(VALID), "--learner", "Ana Lima",
        "--data-dir", str(finished), "-o", str(tmp_path))
    path = written(tmp_path)[0 if fmt == "md" else 1]
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    capsys.readouterr()
    assert run("certificate", "--verify", str(path)) == 1
    assert capsys.readouterr().out.startswith(f"ALTERED: {path}")


def test_a_changed_code_and_a_removed_record_are_refused(
        finished: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run("certificate", "--course", str(VALID), "--learner", "Ana Lima",
        "--data-dir", str(finished), "-o", str(tmp_path))
    markdown = written(tmp_path)[0]
    text = markdown.read_text(encoding="utf-8")
    code = text.split("Verification code: **")[1][:24]
    changed = code[:-1] + ("0" if code[-1] != "0" else "1")
    markdown.write_text(text.replace(code, changed), encoding="utf-8")
    capsys.readouterr()
    assert run("certificate", "--verify", str(markdown)) == 1
    markdown.write_text(text.split("<!--")[0], encoding="utf-8")
    assert run("certificate", "--verify", str(markdown)) == 1
    assert "has no ivstem record in it" in capsys.readouterr().out


def test_line_endings_changed_by_an_editor_are_not_an_alteration(
        finished: Path, tmp_path: Path) -> None:
    run("certificate", "--course", str(VALID), "--learner", "Ana Lima",
        "--data-dir", str(finished), "-o", str(tmp_path))
    markdown = written(tmp_path)[0]
    markdown.write_bytes(markdown.read_bytes().replace(b"\n", b"\r\n"))
    assert run("certificate", "--verify", str(markdown)) == 4


def test_a_missing_file_is_reported_with_exit_status_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("certificate", "--verify", str(tmp_path / "nowhere.md")) == 2
    assert "Cannot read" in capsys.readouterr().err


def test_before_completion_the_command_says_what_remains(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with ProgressStore.open(tmp_path / "data") as store:
        store.complete_lesson("ana", COURSE, "basics", "first-lesson")
    assert run("certificate", "--course", str(VALID), "--learner", "ana",
               "--data-dir", str(tmp_path / "data"), "-o", str(tmp_path)) == 1
    said = capsys.readouterr().out
    assert "Not yet: ana has not passed every module of “A test course”." in said
    assert "- “The basics”: pass the quiz (pass mark 50%)." in said
    assert not list(tmp_path.glob("ivstem-certificate-*"))


# -- the button on the dashboard ------------------------------------------------------------------


async def test_with_every_module_passed_the_maps_continue_line_says_so_and_does_nothing(
        tmp_path: Path) -> None:
    clock = Clock(NOW)
    store = ProgressStore.in_memory(clock=clock)
    pass_everything(store, clock)
    store.set_position("Ana Lima", COURSE, {"module": "more", "quiz": True})
    app = make_app(VALID, learner="Ana Lima", store=store)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        line = app.screen.query_one("#continue", ActionLine)
        assert str(line.content) == "Every module is passed: well done"
        assert line.disabled
        await pilot.click(line)
        await pilot.pause()
        assert isinstance(app.screen, CourseMapScreen)


async def test_the_dashboard_button_writes_the_record_when_every_module_is_passed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(NOW)
    store = ProgressStore.in_memory(clock=clock)
    pass_everything(store, clock)
    store.set_position("Ana Lima", COURSE, {"module": "more", "quiz": True})
    monkeypatch.chdir(tmp_path)
    app = make_app(VALID, learner="Ana Lima", store=store)
    async with app.run_test(size=SIZE) as pilot:
        await app.loaded.wait()
        await pilot.pause()
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert not app.screen.query_one("#dashboard-certificate-button", Button).disabled
        await pilot.press("p")
        await pilot.pause()
        await app.workers.wait_for_complete()
    markdown, page = written(tmp_path)
    for path in (markdown, page):
        assert certificate.verify(path).kind is certificate.Kind.SELF_REPORTED
