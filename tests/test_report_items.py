"""`ivstem report`'s item analysis, from quizzes taken through the study layer and exported.

The class takes the basics quiz of the test course (four questions: multiple, true_false, short,
and numeric worth 2 points). Their first attempts follow the worked example of
tests/test_item_analysis.py, with the numeric question wrong for everyone:

    learner   multiple  true_false  short  numeric   total
    ann          1          1         1       0        3
    ben          1          1         0       0        2
    cat          1          0         1       0        2
    dan          0          1         0       0        1
    eve          0          0         0       0        0

so the figures are the hand-computed ones: facility 60, 60, 40 and 0; discrimination 64.55,
0 and 32.73, and none for numeric (every attempt earned 0 on it); internal consistency over
four questions 4/3 × (1 − 0.9 / 1.3) = 41.03% (numeric's variance is 0). ann then takes the quiz
again and gets everything right: that attempt counts only with --attempts all.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from course.instructor.item_report import item_analysis, item_table
from course.material.loader import load_course, shipped_course_dir
from course.material.model import Course
from course.record.learner import Learner
from course.record.progress import ProgressStore
from course.record.progress.transfer import export_document, write_export
from quizzes.answers import Answer, BoolAnswer, ChoiceAnswer, TextAnswer
from tui.cli import main

VALID = Path(__file__).parent / "data" / "courses" / "valid"
START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)

RIGHT: dict[str, Answer] = {
    "basics-multiple": ChoiceAnswer([0, 1]),
    "basics-true-false": BoolAnswer(True),
    "basics-short": TextAnswer("IND"),
    "basics-numeric": TextAnswer("2024"),
}
WRONG: dict[str, Answer] = {
    "basics-multiple": ChoiceAnswer([2]),
    "basics-true-false": BoolAnswer(False),
    "basics-short": TextAnswer("BLA"),
    "basics-numeric": TextAnswer("1999"),
}
#: Which of multiple, true_false and short each learner gets right at the first attempt.
FIRST_ATTEMPTS = {
    "ann": (1, 1, 1),
    "ben": (1, 1, 0),
    "cat": (1, 0, 1),
    "dan": (0, 1, 0),
    "eve": (0, 0, 0),
}


class Clock:
    """A clock that moves one minute each time it is read."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def course_at(folder: Path) -> Course:
    loaded = load_course(folder)
    assert loaded.course is not None, loaded.problems
    return loaded.course


def take_quiz(learner: Learner, module_id: str, right: set[str]) -> None:
    """One attempt at a module quiz through the study layer, right on the questions named."""
    module = next(m for m in learner.course.modules if m.id == module_id)
    opened = learner.open_quiz(module)
    session = opened.session
    assert session is not None
    learner.start_quiz(module, session)
    for question_id in session.question_ids:
        answer = (RIGHT if question_id in right else WRONG)[question_id]
        result = session.answer(question_id, answer)
        learner.record_quiz_answer(module, session, answer, result, question_id)
    learner.finish_quiz(module, session)


def hand_in(tmp_path: Path, course: Course, second_try: bool = True) -> Path:
    """Each learner's export after their attempts, in one folder."""
    folder = tmp_path / "handed-in"
    folder.mkdir()
    names = ("basics-multiple", "basics-true-false", "basics-short")
    for day, (name, rights) in enumerate(FIRST_ATTEMPTS.items()):
        with ProgressStore.open(tmp_path / f"store-{name}",
                                clock=Clock(START + timedelta(days=day))) as store:
            learner = Learner(course, store, name, open_all=True)
            take_quiz(learner, "basics", {q for q, r in zip(names, rights, strict=True) if r})
            if name == "ann" and second_try:
                take_quiz(learner, "basics", set(RIGHT))
            write_export(export_document(store, name), folder / f"{name}.json",
                         store_path=store.path)
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def items(path: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return {row["question_id"]: row for row in rows}


@pytest.fixture
def handed_in(tmp_path: Path) -> Path:
    return hand_in(tmp_path, course_at(VALID))


def test_the_item_analysis_has_moodles_figures_for_each_quiz_question(
        capsys: pytest.CaptureFixture[str], handed_in: Path, tmp_path: Path) -> None:
    out = tmp_path / "class.csv"
    status, stdout, _ = run(capsys, "report", "--course", str(VALID), str(handed_in),
                            "-o", str(out))
    assert status == 0
    assert (f"Wrote the item analysis to {tmp_path / 'class-items.csv'} (7 quiz questions,"
            " from 5 attempts)") in stdout
    rows = items(tmp_path / "class-items.csv")
    assert list(rows) == ["basics-multiple", "basics-true-false", "basics-short",
                          "basics-numeric", "more-match", "more-categorize", "more-regex"]

    def figures(question: str) -> tuple[str, ...]:
        row = rows[question]
        return (row["attempts"], row["facility_percent"], row["discrimination_percent"])

    assert figures("basics-multiple") == ("5", "60", "64.5")
    assert figures("basics-true-false") == ("5", "60", "0")
    assert figures("basics-short") == ("5", "40", "32.7")
    assert figures("basics-numeric") == ("5", "0", "")
    assert rows["basics-numeric"]["note"] == (
        "discrimination: every attempt earned the same mark on it")
    basics = rows["basics-multiple"]
    assert (basics["quiz_attempts"], basics["quiz_internal_consistency_percent"],
            basics["attempts_counted"], basics["module_title"], basics["type"],
            basics["prompt"]) == ("5", "41", "first", "The basics", "multiple",
                                  "Which are documented risks?")
    unasked = rows["more-match"]
    assert figures("more-match") == ("0", "", "")
    assert unasked["quiz_internal_consistency_percent"] == ""
    assert unasked["note"] == "facility: no attempts; internal consistency: no attempts"


def test_the_item_analysis_is_printed_as_a_table_that_fits_80_columns(
        capsys: pytest.CaptureFixture[str], handed_in: Path, tmp_path: Path) -> None:
    status, stdout, _ = run(capsys, "report", "--course", str(VALID), str(handed_in),
                            "-o", str(tmp_path / "class.csv"))
    assert status == 0
    table = stdout[stdout.index("Item analysis"):]
    assert max(len(line) for line in table.splitlines()) <= 80
    lines = table.splitlines()
    assert lines[0] == "Item analysis, from each learner's first attempt at each quiz:"
    assert lines[2:4] == ["The basics: 5 attempts",
                          "  internal consistency: 41% (unsatisfactory)"]
    assert "  question              n  facility  discrim.  reading" in lines
    assert "  basics-multiple       5       60%       65%" in lines
    assert "  basics-true-false     5       60%        0%  very weak" in lines
    assert "  basics-short          5       40%       33%" in lines
    assert "  basics-numeric        5        0%         -  too hard" in lines
    assert "  more-match            0         -         -  not asked" in lines
    more = lines.index("More: 0 attempts")
    assert lines[more + 1] == "  internal consistency: cannot be reckoned (no attempts)"


def test_all_attempts_count_each_attempt_as_another_learner(
        capsys: pytest.CaptureFixture[str], handed_in: Path, tmp_path: Path) -> None:
    status, stdout, _ = run(capsys, "report", "--course", str(VALID), str(handed_in),
                            "-o", str(tmp_path / "class.csv"), "--attempts", "all")
    assert status == 0 and "from 6 attempts" in stdout
    assert "from every finished attempt at each quiz" in stdout
    rows = items(tmp_path / "class-items.csv")
    # ann's second attempt, all right, adds a 1 to multiple's five marks: 4 of 6 right.
    assert rows["basics-multiple"]["attempts"] == "6"
    assert rows["basics-multiple"]["facility_percent"] == "66.7"
    # numeric is now right once (2 of 2 points in 1 attempt of 6): 16.7%, and it discriminates.
    assert rows["basics-numeric"]["facility_percent"] == "16.7"
    assert rows["basics-numeric"]["discrimination_percent"] != ""
    assert rows["basics-multiple"]["attempts_counted"] == "all"


def test_a_single_attempt_says_why_there_is_no_discrimination_or_consistency(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    course = course_at(VALID)
    folder = tmp_path / "one"
    folder.mkdir()
    with ProgressStore.open(tmp_path / "store", clock=Clock(START)) as store:
        take_quiz(Learner(course, store, "solo", open_all=True), "basics", {"basics-short"})
        write_export(export_document(store, "solo"), folder / "solo.json", store_path=store.path)
    status, stdout, _ = run(capsys, "report", "--course", str(VALID), str(folder),
                            "-o", str(tmp_path / "class.csv"))
    assert status == 0
    assert ("The basics: 1 attempt\n  internal consistency: cannot be reckoned (fewer than 2"
            " attempts)\n") in stdout
    lines = stdout.splitlines()
    assert "  basics-short          1      100%         -  too easy; 1 attempt" in lines
    assert "  basics-multiple       1        0%         -  too hard; 1 attempt" in lines
    row = items(tmp_path / "class-items.csv")["basics-short"]
    assert row["discrimination_percent"] == "" and "nan" not in stdout.lower()
    assert row["note"] == ("discrimination: fewer than 2 attempts; internal consistency:"
                           " fewer than 2 attempts")


def test_a_quiz_that_draws_questions_is_reckoned_over_places(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "course"
    shutil.copytree(VALID, folder)
    module = folder / "modules" / "01-basics.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("draw: 4", "draw: 2"),
                      encoding="utf-8")
    course = course_at(folder)
    handed_in = hand_in(tmp_path, course, second_try=False)
    status, stdout, _ = run(capsys, "report", "--course", str(folder), str(handed_in),
                            "-o", str(tmp_path / "class.csv"))
    assert status == 0
    rows = items(tmp_path / "class-items.csv")
    basics = [row for row in rows.values() if row["module_id"] == "basics"]
    # Each attempt asked two of the four questions: ten askings over five attempts.
    assert sum(int(row["attempts"]) for row in basics) == 10
    assert all(row["quiz_attempts"] == "5" for row in basics)
    assert "over places in the quiz" in basics[0]["note"]
    assert "The basics: 5 attempts\n  internal consistency: " in stdout


def test_attempts_without_a_record_of_their_questions_are_left_out_with_a_note(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with ProgressStore.open(tmp_path / "store", clock=Clock(START)) as store:
        store.finish_quiz("old", "test-course", "basics", 0.5, 2.0, False, "{}")
        write_export(export_document(store, "old"), folder / "old.json", store_path=store.path)
    status, stdout, err = run(capsys, "report", "--course", str(VALID), str(folder),
                              "-o", str(tmp_path / "class.csv"))
    assert status == 0
    assert ("note: 1 quiz attempt kept no readable record of the questions asked, so the item"
            " analysis leaves them out.") in err
    assert "from 0 attempts" in stdout


def test_attempts_is_a_usage_error_with_xapi(capsys: pytest.CaptureFixture[str],
                                              handed_in: Path) -> None:
    status, _, err = run(capsys, "report", "--course", str(VALID), str(handed_in),
                         "--format", "xapi", "-o", "-", "--attempts", "all")
    assert status == 2 and "--attempts is for --format csv" in err


def test_the_table_of_the_shipped_course_fits_80_columns() -> None:
    course = course_at(shipped_course_dir())
    with ProgressStore.in_memory() as store:
        text = item_table(item_analysis(course, store, []))
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    longest = max((q.id for m in course.modules if m.quiz for q in m.quiz.questions), key=len)
    assert len(longest) > 33 and f"  {longest[:32]}…" in text


def test_the_installed_command_writes_the_item_analysis(handed_in: Path,
                                                        tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "report", "--course", str(VALID), str(handed_in),
         "-o", str(tmp_path / "out" / "week.csv")],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "internal consistency: 41% (unsatisfactory)" in done.stdout
    assert items(tmp_path / "out" / "week-items.csv")["basics-short"]["facility_percent"] == "40"
