"""The module quiz in the plain mode: each answer saved before its feedback, then the results.

A quiz left with `m` is kept, and resumed where it stopped; a finished attempt is recorded with
its score, and another may be taken while the course's settings allow one.
"""

from __future__ import annotations

from course.material.model import Module
from course.record.learner import UNREADABLE_QUIZ
from course.record.study import Place, quiz_intro
from quizzes.answers import AnswerError, describe, format_number
from quizzes.grading import Verdict
from quizzes.points import percent, score_text
from quizzes.questions import Question
from quizzes.session import QuizSession
from quizzes.wording import VERDICT_WORDS
from tui.plain.answering import Answering
from tui.plain.core import Nav, Target
from tui.plain.questions import instruction


class Quiz(Answering):
    """The conversation, able to give a module's quiz."""

    def quiz(self, module: Module) -> Target:
        """The module quiz: each answer saved before its feedback; results; retake if allowed."""
        while True:
            session = self.open_session(module)
            if session is None:
                return module
            self.study.start_studying()
            nav = self.ask_quiz(module, session)
            if nav is Nav.MAP:
                return None
            nav = self.results(module, session)
            if nav is not Nav.RETAKE:
                return None

    def open_session(self, module: Module) -> QuizSession | None:
        """The quiz in progress, resumed, or a new attempt if the settings allow one."""
        opened = self.study.open_quiz(module)
        if opened.unreadable:
            self.out.line(UNREADABLE_QUIZ)
        for change in opened.changes:
            self.out.line(f"The course changed: {change}")
        session = opened.session
        if session is None:
            self.out.line(opened.no_attempts_left)
            return None
        if not opened.resumed:
            self.save(self.study.start_quiz, module, session)
        self.save(self.study.go_to, Place(module.id, quiz=True))
        return session

    def ask_quiz(self, module: Module, session: QuizSession) -> Nav:
        """Ask every unanswered question; NEXT when all are answered, MAP when the learner left."""
        count = len(session.question_ids)
        outcome = session.outcome()
        self.out.heading(f"{module.title}: module quiz")
        if outcome.answered:
            self.out.line(f"Welcome back: {outcome.answered} of {count} questions answered.")
        else:
            intro = quiz_intro(count, session.pass_mark, attempt=session.attempt,
                               attempts_allowed=self.course.settings.quiz_attempts)
            self.out.line(f"{intro} m leaves the quiz and keeps it for later.")
        while (question := session.current) is not None:
            entry = session.entry(question.id)
            number = session.question_ids.index(question.id) + 1
            points = "" if question.points == 1 else f" ({format_number(question.points)} points)"
            self.out.heading(f"Question {number} of {count}{points}")
            self.show_question(question, entry.presentation)
            self.out.line(self.command_line(question, check=False))
            commands = {"your answer": instruction(question, entry.presentation),
                        "h": "the hint" if question.hint else "the hint (this question has none)",
                        "r": "read the question again",
                        "m": "leave the quiz; it is saved and waits for you"}

            def hint(question: Question = question) -> None:
                self.save(self.study.use_quiz_hint, module, session, question.id)
                self.show_hint(question)

            got = self.read_answer(question, entry.presentation,
                                   {"m": Nav.MAP, "r": Nav.REPEAT}, commands, hint)
            if got is Nav.MAP:
                self.record_time(module.id)
                return Nav.MAP
            if isinstance(got, Nav):
                continue  # r: the loop shows the same question again
            try:
                result = session.answer(question.id, got)
            except AnswerError as exc:
                self.out.line(exc.message)
                continue
            # Saved before the learner sees the feedback: what is shown has been kept.
            self.save(self.study.record_quiz_answer, module, session, got, result, question.id,
                      answer=True)
            self.record_time(module.id)
            self.show_result(result.verdict, result.feedback, result.explanation, result.refs,
                             (result.score, result.points), asked=(question, entry.presentation))
            last = session.finished
            forward = "your results" if last else "the next question"
            text = ""
            while True:
                text = self.ask(f"Enter for {forward}, m map, q quit: ",
                                {"Enter": forward, "m": "leave the quiz; it is saved"}).casefold()
                if text in ("", "n", "m"):
                    break
                self.out.line(f"Press Enter for {forward}, or type m, ? or q.")
            if text == "m":
                return Nav.MAP
        return Nav.NEXT

    def results(self, module: Module, session: QuizSession) -> Nav:
        """Record the finished attempt, then the score and every question explained."""
        outcome = session.outcome()
        self.save(self.study.finish_quiz, module, session)
        self.out.heading(f"{module.title}: quiz results")
        verdict = "Passed" if outcome.passed else "Not passed yet"
        self.out.verdict(
            f"{verdict}: {percent(outcome.fraction)} ({score_text(outcome.score, outcome.total)});"
            f" the pass mark is {percent(outcome.pass_mark)}.",
            Verdict.RIGHT if outcome.passed else Verdict.WRONG)
        if outcome.passed:
            self.out.line(self.opened_words(module).strip() or "Well done.")
        else:
            self.out.line("Review the explanations below, revisit the lessons, and try again.")
        for number, entry in enumerate(session.entries, start=1):
            question = session.question(entry.question_id)
            result = entry.result
            if result is not None:
                points = score_text(result.score, result.points)
                mark = f"{VERDICT_WORDS[result.verdict]}. {points}."
            else:
                mark = "Not answered."
            self.out.heading(f"{number}. {mark}")
            sources: list[str] = []
            self.markdown(question.prompt, sources)
            if entry.answer is not None:
                self.out.line("Your answer: " + describe(question, entry.answer))
            if question.explanation:
                self.markdown(question.explanation, sources)
            for ref in question.refs:
                if ref not in sources:
                    sources.append(ref)
            self.show_sources(sources)
        self.out.line()
        can_retake = self.study.can_take_quiz_again(module)
        if can_retake:
            prompt = "Enter for the map, t to take the quiz again, q quit: "
            commands = {"Enter": "the course map", "t": "take the quiz again"}
        else:
            self.out.line("You have used every attempt this course allows at this quiz.")
            prompt = "Enter for the map, q quit: "
            commands = {"Enter": "the course map"}
        while True:
            text = self.ask(prompt, commands).casefold()
            if text in ("", "m"):
                return Nav.MAP
            if text == "t" and can_retake:
                return Nav.RETAKE
            self.out.line("Press Enter for the map" + (", or t to take the quiz again."
                                                        if can_retake else "."))
