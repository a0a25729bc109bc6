"""Spaced review in the plain mode: the questions due, asked line by line.

Used from the plain course map (`r`) and by `ivstem review --plain` (see `tui.plain.run`). The
questions are asked as everywhere in the plain mode (`tui.plain.answering`), graded by the
engine, and each answer is saved, with its review card, before its feedback is shown.
"""

from __future__ import annotations

from course.record import review
from quizzes.answers import AnswerError
from quizzes.grading import grade
from quizzes.questions import Question
from tui.plain.answering import Answering
from tui.plain.core import Nav
from tui.plain.questions import instruction


def due_line(plain: Answering) -> str:
    """`3 questions due for review.` or when the next one is, for the plain map."""
    due = plain.study.due_count()
    if due:
        return f"{review.count_text(due)}: type r to answer them."
    return nothing_due_text(plain) or ""


def nothing_due_text(plain: Answering) -> str | None:
    """`Nothing is due for review; the next question is due tomorrow.`, or None without cards."""
    now = plain.study.now()
    upcoming = plain.study.next_due(now)
    if upcoming is None:
        return None
    return (f"Nothing is due for review; the next question is due"
            f" {review.when_text(upcoming, now)}.")


def review_session(plain: Answering) -> None:
    """Ask every question due now, one at a time; `m` goes back, `q` quits."""
    out, study = plain.out, plain.study
    now = study.now()
    items = study.due_for_review(now)
    out.heading("Review")
    if not items:
        out.line(nothing_due_text(plain) or "Nothing is due for review yet: questions you"
                 " answer in quizzes and practice checks come back here when they are due.")
        return
    out.line(f"{review.count_text(len(items))}: questions you answered before, asked again"
             " before you forget them. Each answer is saved as you give it; m stops.")
    asked = right = 0
    study.start_studying()
    for number, item in enumerate(items, start=1):
        question = item.question
        presentation = study.review_presentation(item, now)
        out.heading(f"Review question {number} of {len(items)}")
        out.line(f"From: {item.asked.where}")
        hint_used = False

        def hint(question: Question = question) -> None:
            nonlocal hint_used
            hint_used = hint_used or question.hint is not None
            plain.show_hint(question)

        commands = {"your answer": instruction(question, presentation),
                    "h": "the hint" if question.hint else "the hint (this question has none)",
                    "r": "read the question again", "m": "stop the review"}
        while True:
            plain.show_question(question, presentation)
            out.line("Also: " + ("h hint, " if question.hint else "")
                     + "r repeat, m stop the review, q quit, ? help.")
            got = plain.read_answer(question, presentation, {"m": Nav.MAP, "r": Nav.REPEAT},
                                    commands, hint)
            if got is Nav.MAP:
                _summary(plain, asked, right)
                return
            if isinstance(got, Nav):
                continue
            try:
                result = grade(question, got, hint_used=hint_used)
            except AnswerError as exc:
                out.line(exc.message)
                continue
            break
        plain.record_time(item.asked.module.id)
        # Saved, with the question's new review date, before the learner sees the feedback.
        saved = plain.save(study.record_review, item, got, result, answer=True)
        asked += 1
        right += result.is_right
        plain.show_result(result.verdict, result.feedback, result.explanation, result.refs,
                          (result.score, result.points), asked=(question, presentation))
        following = study.next_review(question.id)
        if following is not None and saved:
            out.line(f"Next review of this question: {review.when_text(following, now)}.")
        if number < len(items):
            while True:
                text = plain.ask("Enter for the next question, m stop, q quit: ",
                                 {"Enter": "the next question", "m": "stop the review"})
                if text.casefold() in ("", "n", "m"):
                    break
                out.line("Press Enter for the next question, or type m, ? or q.")
            if text.casefold() == "m":
                _summary(plain, asked, right)
                return
    _summary(plain, asked, right)


def _summary(plain: Answering, asked: int, right: int) -> None:
    """How the review went, and what is due next."""
    for line in plain.study.review_summary(asked, right):
        plain.out.line(line)
