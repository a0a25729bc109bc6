"""`ivstem report`: the class report from learners' exports, checked against seeded stores."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from course.record.progress import ProgressStore
from course.record.progress.transfer import export_document, render, write_export
from quizzes.answers import BoolAnswer, ChoiceAnswer, OrderAnswer, TextAnswer
from tui.cli import main

VALID = Path(__file__).parent / "data" / "courses" / "valid"
COURSE = "test-course"
START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


class Clock:
    """A clock that moves one minute each time it is read."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def store_for(tmp_path: Path, name: str, start: datetime = START) -> ProgressStore:
    return ProgressStore.open(tmp_path / f"store-{name}", clock=Clock(start))


def answer(store: ProgressStore, learner: str, question: str, given: object, share: float,
           points: float, module: str, lesson: str | None = None, where: str = "quiz") -> None:
    store.record_answer(learner, COURSE, question, where,  # type: ignore[arg-type]
                        given.to_json(), share, points, 0,  # type: ignore[attr-defined]
                        module_id=module, lesson_id=lesson)


def export(store: ProgressStore, learner: str, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / f"{learner}.json"
    write_export(export_document(store, learner), path, store_path=store.path)
    return path


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates in the report are the instructor's local dates: make that UTC for the figures."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def handed_in(tmp_path: Path) -> Path:
    """Three learners' exports with known figures, in one folder."""
    folder = tmp_path / "handed-in"
    # alice: the practice check wrong then right; the quiz failed at 50%, then passed at 100%.
    with store_for(tmp_path, "alice") as store:
        answer(store, "alice", "basics-check-single", ChoiceAnswer([1]), 0.0, 0.0, "basics",
               "first-lesson", "check")
        answer(store, "alice", "basics-check-single", ChoiceAnswer([0]), 1.0, 1.0, "basics",
               "first-lesson", "check")
        store.complete_lesson("alice", COURSE, "basics", "first-lesson")
        store.finish_quiz("alice", COURSE, "basics", 0.5, 2.0, False, "{}")
        answer(store, "alice", "basics-multiple", ChoiceAnswer([0, 1]), 1.0, 1.0, "basics")
        answer(store, "alice", "basics-true-false", BoolAnswer(True), 1.0, 1.0, "basics")
        answer(store, "alice", "gone-question", TextAnswer("x"), 1.0, 1.0, "basics")
        store.finish_quiz("alice", COURSE, "basics", 1.0, 4.0, True, "{}")
        export(store, "alice", folder)
    # bob: the check right at once; the quiz failed at 25%, with a wrong pick and a wrong verdict.
    with store_for(tmp_path, "bob", START + timedelta(days=1)) as store:
        answer(store, "bob", "basics-check-single", ChoiceAnswer([0]), 1.0, 1.0, "basics",
               "first-lesson", "check")
        answer(store, "bob", "basics-multiple", ChoiceAnswer([0, 2]), 0.0, 0.0, "basics")
        answer(store, "bob", "basics-true-false", BoolAnswer(False), 0.0, 0.0, "basics")
        store.finish_quiz("bob", COURSE, "basics", 0.25, 1.0, False, "{}")
        export(store, "bob", folder)
    # carol: only the second module's lesson and its practice check.
    with store_for(tmp_path, "carol", START + timedelta(days=2)) as store:
        answer(store, "carol", "more-order", OrderAnswer([0, 1, 2, 3]), 1.0, 1.0, "more",
               "sorting", "check")
        store.complete_lesson("carol", COURSE, "more", "sorting")
        export(store, "carol", folder)
    return folder


def table(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_class_table_has_each_learners_figures(capsys: pytest.CaptureFixture[str],
                                                   handed_in: Path, tmp_path: Path) -> None:
    out = tmp_path / "class.csv"
    status, stdout, _ = run(capsys, "report", "--course", str(VALID), str(handed_in),
                            "-o", str(out))
    assert status == 0
    assert f"class table to {out} (3 learners × 2 modules, from 3 files)" in stdout
    rows = {(r["learner"], r["module_id"]): r for r in table(out)}
    assert list(rows) == [("alice", "basics"), ("alice", "more"), ("bob", "basics"),
                          ("bob", "more"), ("carol", "basics"), ("carol", "more")]
    alice = rows["alice", "basics"]
    assert (alice["module_title"], alice["lessons_done"], alice["lessons_total"], alice["passed"],
            alice["best_score_percent"], alice["quiz_attempts"], alice["last_studied"]) == (
        "The basics", "1", "1", "yes", "100", "2", "2026-11-02")
    bob = rows["bob", "basics"]
    assert (bob["lessons_done"], bob["passed"], bob["best_score_percent"], bob["quiz_attempts"],
            bob["last_studied"]) == ("0", "no", "25", "1", "2026-11-03")
    carol = rows["carol", "more"]
    assert (carol["lessons_done"], carol["passed"], carol["best_score_percent"],
            carol["quiz_attempts"], carol["last_studied"]) == ("1", "no", "", "0", "2026-11-04")
    assert rows["carol", "basics"]["last_studied"] == "" and rows["bob", "more"][
        "quiz_attempts"] == "0"


def test_the_question_table_shows_which_questions_mislead(capsys: pytest.CaptureFixture[str],
                                                          handed_in: Path,
                                                          tmp_path: Path) -> None:
    status, stdout, err = run(capsys, "report", "--course", str(VALID), str(handed_in), "-o",
                              str(tmp_path / "class.csv"))
    assert status == 0 and "question table to" in stdout
    rows = {r["question_id"]: r for r in table(tmp_path / "class-questions.csv")}
    assert list(rows) == ["basics-check-single", "basics-multiple", "basics-true-false",
                          "basics-short", "basics-numeric", "more-order", "more-match",
                          "more-categorize", "more-regex"]

    def figures(question: str) -> tuple[str, ...]:
        row = rows[question]
        return (row["where"], row["learners"], row["times_answered"],
                row["first_try_right_percent"], row["most_chosen_wrong_answer"],
                row["times_chosen"])

    # alice's first try was wrong, bob's right: 50% at the first try, over 3 answers.
    assert figures("basics-check-single") == ("practice", "2", "3", "50", "Becoming new tissue",
                                              "1")
    # bob picked Eternal youth along with Infection: the wrong option, not the pair, is named.
    assert figures("basics-multiple") == ("quiz", "2", "2", "50", "Eternal youth", "1")
    assert figures("basics-true-false") == ("quiz", "2", "2", "50", "False", "1")
    assert figures("more-order") == ("practice", "1", "1", "100", "", "")
    assert figures("basics-short") == ("quiz", "0", "0", "", "", "")
    assert rows["basics-multiple"]["prompt"] == "Which are documented risks?"
    assert "1 answers to questions the course no longer has" in err


def test_a_changed_file_is_named_and_left_out_and_the_rest_is_reported(
        capsys: pytest.CaptureFixture[str], handed_in: Path, tmp_path: Path) -> None:
    bob = handed_in / "bob.json"
    document = json.loads(bob.read_text(encoding="utf-8"))
    document["records"]["quiz_attempts"][0]["score"] = 1.0
    bob.write_text(render(document), encoding="utf-8")
    (handed_in / "notes.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "class.csv"
    status, _, err = run(capsys, "report", "--course", str(VALID), str(handed_in), "-o", str(out))
    assert status == 1
    assert f"left out {bob}: this file has been changed since it was exported" in err
    assert f"left out {handed_in / 'notes.json'}: this file is not an ivstem progress file" in err
    assert {r["learner"] for r in table(out)} == {"alice", "carol"}


def test_two_files_of_one_learner_are_counted_once(capsys: pytest.CaptureFixture[str],
                                                   handed_in: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    again.mkdir()
    copy = again / "alice-from-the-lab.json"
    copy.write_bytes((handed_in / "alice.json").read_bytes())
    out = tmp_path / "class.csv"
    status, _, err = run(capsys, "report", "--course", str(VALID), str(handed_in), str(copy),
                         "-o", str(out))
    assert status == 0 and "2 files of learner 'alice' were merged" in err
    alice = next(r for r in table(out) if r["learner"] == "alice" and r["module_id"] == "basics")
    assert alice["quiz_attempts"] == "2"
    single = next(r for r in table(tmp_path / "class-questions.csv")
                  if r["question_id"] == "basics-check-single")
    assert single["times_answered"] == "3"


def test_nothing_usable_writes_nothing(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    out = tmp_path / "class.csv"
    status, _, err = run(capsys, "report", "--course", str(VALID), str(tmp_path / "nope.json"),
                         str(tmp_path), "-o", str(out))
    assert status == 1
    assert "nope.json: it does not exist" in err and "the folder has no .json files" in err
    assert "nothing was written" in err and not out.exists()


def test_report_usage_mistakes(capsys: pytest.CaptureFixture[str], handed_in: Path) -> None:
    assert run(capsys, "report", str(handed_in), "-o", "-")[0] == 2
    assert run(capsys, "report", str(handed_in), "-o", "x.csv", "--homepage", "https://x")[0] == 2
    assert run(capsys, "report", "-o", "x.csv")[0] == 2
    status, _, err = run(capsys, "report", "--course", "/no/such/course", str(handed_in),
                         "-o", "x.csv")
    assert status == 2 and "does not exist" in err


def test_a_name_that_looks_like_a_formula_is_kept_as_text(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    with store_for(tmp_path, "mallory") as store:
        store.complete_lesson("=HYPERLINK(1)", COURSE, "basics", "first-lesson")
        path = export(store, "=HYPERLINK(1)", tmp_path / "in")
    out = tmp_path / "class.csv"
    assert run(capsys, "report", "--course", str(VALID), str(path), "-o", str(out))[0] == 0
    assert table(out)[0]["learner"] == "'=HYPERLINK(1)"


def test_the_report_is_readable_by_its_owner_only(capsys: pytest.CaptureFixture[str],
                                                  handed_in: Path, tmp_path: Path) -> None:
    out = tmp_path / "class.csv"
    assert run(capsys, "report", "--course", str(VALID), str(handed_in), "-o", str(out))[0] == 0
    assert out.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "class-questions.csv").stat().st_mode & 0o777 == 0o600


def xapi(capsys: pytest.CaptureFixture[str], *paths: Path) -> list[dict[str, object]]:
    status, out, _ = run(capsys, "report", "--course", str(VALID), *map(str, paths),
                         "--format", "xapi", "-o", "-")
    assert status == 0
    return [json.loads(line) for line in out.splitlines()]


def test_xapi_has_a_statement_per_answer_completed_lesson_and_finished_quiz(
        capsys: pytest.CaptureFixture[str], handed_in: Path) -> None:
    statements = xapi(capsys, handed_in)
    verbs = [str(s["verb"]["id"]).rsplit("/", 1)[1] for s in statements]  # type: ignore[index]
    assert verbs.count("answered") == 9 and verbs.count("passed") == 1
    assert verbs.count("failed") == 2 and verbs.count("completed") == 2
    stamps = [s["timestamp"] for s in statements]
    assert stamps == sorted(stamps)  # type: ignore[type-var]
    for statement in statements:
        uuid.UUID(str(statement["id"]))
        assert statement["actor"]["account"]["homePage"] == "urn:ivstem"  # type: ignore[index]


def test_xapi_statements_carry_the_learner_the_question_and_the_score(
        capsys: pytest.CaptureFixture[str], handed_in: Path) -> None:
    statements = xapi(capsys, handed_in)
    bob = [s for s in statements
           if s["actor"]["name"] == "bob"  # type: ignore[index]
           and s["object"]["id"] == "urn:ivstem:test-course:question:basics-multiple"]  # type: ignore[index]
    [statement] = bob
    assert statement["actor"] == {"objectType": "Agent", "name": "bob",
                                  "account": {"homePage": "urn:ivstem", "name": "bob"}}
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"  # type: ignore[index]
    result = statement["result"]
    assert result["score"]["scaled"] == 0.0 and result["success"] is False  # type: ignore[index]
    assert result["response"] == "o0[,]o2"  # type: ignore[index]
    definition = statement["object"]["definition"]  # type: ignore[index]
    assert definition["interactionType"] == "choice"
    assert definition["correctResponsesPattern"] == ["o0[,]o1"]
    [parent] = statement["context"]["contextActivities"]["parent"]  # type: ignore[index]
    assert parent["id"] == "urn:ivstem:test-course:module:basics"
    assert parent["definition"]["type"] == "http://adlnet.gov/expapi/activities/module"
    [course] = statement["context"]["contextActivities"]["grouping"]  # type: ignore[index]
    assert course["id"] == "urn:ivstem:test-course"
    passed = [s for s in statements if str(s["verb"]["id"]).endswith("passed")]  # type: ignore[index]
    assert passed[0]["object"]["id"] == "urn:ivstem:test-course:quiz:basics"  # type: ignore[index]
    assert passed[0]["result"]["score"]["scaled"] == 1.0  # type: ignore[index]


def test_xapi_statement_ids_are_the_same_on_every_run(capsys: pytest.CaptureFixture[str],
                                                      handed_in: Path, tmp_path: Path) -> None:
    first = [s["id"] for s in xapi(capsys, handed_in)]
    second = [s["id"] for s in xapi(capsys, handed_in, handed_in / "alice.json")]
    assert first == second and len(set(first)) == len(first)


def test_xapi_can_name_the_account_homepage_and_write_a_file(
        capsys: pytest.CaptureFixture[str], handed_in: Path, tmp_path: Path) -> None:
    out = tmp_path / "statements.jsonl"
    status, stdout, _ = run(capsys, "report", "--course", str(VALID), str(handed_in),
                            "--format", "xapi", "--homepage", "https://lrs.example.edu",
                            "-o", str(out))
    assert status == 0 and "14 xAPI statements from 3 files (3 learners)" in stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert all(json.loads(line)["actor"]["account"]["homePage"] == "https://lrs.example.edu"
               for line in lines)


def test_report_of_a_file_with_another_course_says_so(capsys: pytest.CaptureFixture[str],
                                                      tmp_path: Path) -> None:
    with store_for(tmp_path, "dave") as store:
        store.complete_lesson("dave", "iv-stem-cell-therapy", "orientation", "x")
        path = export(store, "dave", tmp_path / "in")
    status, _, err = run(capsys, "report", "--course", str(VALID), str(path), "-o",
                         str(tmp_path / "c.csv"))
    assert status == 0 and "learner 'dave' has no progress in the course 'test-course'" in err


def test_a_report_into_a_folder_not_made_yet_makes_it(capsys: pytest.CaptureFixture[str],
                                                      handed_in: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "week-49" / "class.csv"
    status, stdout, _ = run(capsys, "report", "--course", str(VALID), str(handed_in),
                            "-o", str(out))
    assert status == 0 and f"Wrote the class table to {out}" in stdout
    assert {r["learner"] for r in table(out)} == {"alice", "bob", "carol"}
    assert (out.parent / "class-questions.csv").is_file()
