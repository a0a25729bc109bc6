"""The plain mode's sentences read as English: no "Enter for see", no "?.", no long decimals."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.material.loader import load_course
from course.material.model import Course
from course.record.progress import ProgressStore
from course.words import sentence
from quizzes.points import percent, points_text, score_text
from quizzes.questions import MatchQuestion, OrderQuestion
from tests.open_course import open_copy
from tests.test_plain import COURSE_DIR, converse, quiz_session, right_lines, said


@pytest.fixture(scope="module")
def course() -> Course:
    result = load_course(COURSE_DIR)
    assert result.course is not None
    return result.course


@pytest.mark.parametrize(("value", "text"), [
    (8.333333, "8.33"), (10.0, "10"), (2.5, "2.5"), (0.1 + 0.2, "0.3"), (1 / 3, "0.33"),
    (7.999, "8"), (0.0, "0"),
])
def test_points_show_at_most_two_decimals_without_trailing_zeros(value: float, text: str
                                                                 ) -> None:
    assert points_text(value) == text


@pytest.mark.parametrize(("text", "ended"), [
    ("Lesson complete: What are MSCs?", "Lesson complete: What are MSCs?"),
    ("Module passed: Act now!", "Module passed: Act now!"),
    ("Lesson complete: Stories versus trials", "Lesson complete: Stories versus trials."),
    ("Read “Is it approved?”", "Read “Is it approved?”"),
    ("Done.", "Done."),
])
def test_a_sentence_gets_one_full_stop_unless_it_already_ends(text: str, ended: str) -> None:
    assert sentence(text) == ended


def test_a_score_names_its_unit() -> None:
    assert score_text(1 / 3, 1) == "0.33 of 1 point"
    assert score_text(25 / 3, 10) == "8.33 of 10 points"


def test_a_share_reads_as_a_whole_percentage() -> None:
    assert [percent(share) for share in (0, 0.5, 2 / 3, 0.8 - 1e-12, 1)] == [
        "0%", "50%", "67%", "80%", "100%"]


def quiz_with_a_third_of_a_match(course: Course) -> list[str]:
    """Every quiz answer right but two: the order question, with two items swapped (no
    points), and the match question, with one pair of three right (a third of a point)."""
    session = quiz_session(course)
    lines = ["1", "3"]
    for question in session.questions:
        shown = session.presentation(question.id)
        picks = right_lines(question, shown)
        if isinstance(question, OrderQuestion):
            placed = (0, 2, 1)  # the first in place, the other two swapped
            picks = [" ".join(str(shown.order.index(i) + 1) for i in placed)]
        elif isinstance(question, MatchQuestion):
            picks = [picks[0], picks[2], picks[1]]
        lines += [*picks, ""]
    return lines


def test_the_quiz_results_read_as_sentences_with_short_scores(tmp_path: Path,
                                                              course: Course) -> None:
    _, out = converse(tmp_path, [*quiz_with_a_third_of_a_match(course), "", "q"])
    text = said(out)
    assert "Enter for your results, m map, q quit:" in text
    assert "Enter for see" not in text
    assert "(7.33 of 9 points)" in text
    assert "7.3333" not in text
    assert "Partly right. 0.33 of 1 point." in text
    assert "The correct order (not right)" not in text
    assert "- The correct order: Preclinical work → IND filed → Phase 1 trial" in text


def test_a_title_that_ends_in_a_question_mark_gets_no_full_stop(tmp_path: Path) -> None:
    course = open_copy(tmp_path)
    data = tmp_path / "data"
    with ProgressStore.open(data) as store:
        store.set_position("t", "iv-stem-cell-therapy",
                           {"module": "mechanisms", "lesson": "what-are-mscs", "step": 6})
    _, out = converse(data, ["c", "", "q"], course=course)
    text = said(out)
    assert "Lesson complete: What are MSCs?" in text
    assert "?." not in text


def test_b_is_in_the_help_of_every_lesson_step(tmp_path: Path) -> None:
    _, out = converse(tmp_path, ["1", "", "?", "", "?", "q"])
    helps = [part.split("g TERM")[0] for part in out.split("What you can type here")[1:]]
    assert len(helps) == 2
    assert "b: the step before (there is none: this is the first step)" in helps[0]
    assert "b: the step before\n" in helps[1]
