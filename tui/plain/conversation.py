"""The whole plain-mode session: the welcome, the course map and each module's menu.

From the map the learner opens a module, continues where they left off, or answers the
questions due for review; from a module's menu, a lesson or the quiz. `PlainCourse` is the
conversation with all its parts (`tui.plain.lessons`, `tui.plain.quiz`), and `run` is the
session until the learner quits.
"""

from __future__ import annotations

from course.material.model import Module
from course.record.study import ModuleState, Place, Standing
from quizzes.points import percent
from tui.plain.core import EXIT_INTERRUPTED, EXIT_OK, Quit, Target, span
from tui.plain.lessons import Lessons
from tui.plain.quiz import Quiz
from tui.plain.review import due_line, review_session

STATE_WORDS = {
    ModuleState.LOCKED: "locked",
    ModuleState.OPEN: "open",
    ModuleState.IN_PROGRESS: "in progress",
    ModuleState.PASSED: "passed",
}


class PlainCourse(Lessons, Quiz):
    """One learner studying one course, line by line, from the course map."""

    def run(self) -> int:
        """Welcome on a first visit, then the map, until the learner quits."""
        try:
            self._run()
        except Quit:
            self.goodbye()
            return EXIT_OK
        except KeyboardInterrupt:
            self.goodbye()
            return EXIT_INTERRUPTED
        return EXIT_OK  # pragma: no cover - the loop ends only by quitting

    def _run(self) -> None:
        self.out.line(f"ivstem, plain mode. Learner: {self.learner}. Type ? at any prompt for"
                      " help, q to quit.")
        for notice in self.store.notices:
            self.out.line(f"Progress: {notice}")
        if self.lrs is not None:
            if self.lrs.problem:
                self.out.line(f"Learning records: {self.lrs.problem} They are kept until it is"
                              " mended.")
            self.lrs.start()
        if not self.study.has_started():
            self.welcome()
        self.tell_changes()
        target: Target = None
        while True:
            if target is None:
                target = self.course_map()
            elif isinstance(target, Module):
                target = self.module_menu(target)
            else:
                target = self.open_place(target)

    def tell_changes(self) -> None:
        """Tell a learner of an earlier edition what changed in this one, once."""
        from course.record import edition

        changes = self.study.edition_news()
        self.save(self.study.edition_told)
        if changes is None:
            return
        self.out.heading(f"What changed in this edition ({self.course.manifest.version})")
        sources: list[str] = []
        self.markdown(changes, sources)
        self.show_sources(sources)
        self.out.line(edition.PROGRESS_KEPT)

    def welcome(self) -> None:
        """What the course is, and what it is not."""
        manifest = self.course.manifest
        self.out.heading(manifest.title)
        self.out.line(f"Version {manifest.version}")
        sources: list[str] = []
        self.out.line()
        self.markdown(manifest.summary, sources)
        if manifest.disclaimer:
            self.out.heading("Before you start")
            self.markdown(manifest.disclaimer, sources)
        self.show_sources(sources)
        if manifest.authors:
            self.out.line("By " + ", ".join(manifest.authors) + ".")
        if manifest.license:
            self.out.line(f"Licence: {manifest.license}.")

    def open_place(self, place: Place) -> Target:
        """Open a lesson at a step, or a module quiz, if its module is open."""
        module = self.course.module(place.module_id)
        if module is None:
            return None
        standing = self.standing(module)
        if standing.state is ModuleState.LOCKED:
            self.out.line(f"“{module.title}” is locked. {standing.opens_when}")
            return module
        if place.quiz:
            if not standing.quiz_open:
                self.out.line(standing.quiz_opens_when)
                return module
            return self.quiz(module)
        lesson = module.lesson(place.lesson_id)
        if lesson is None:
            return module
        return self.lesson(module, lesson, place.step)

    # --- the map and a module's menu ------------------------------------------------------

    def describe_place(self, place: Place) -> str:
        """A place in words: `Module, Lesson, step 3 of 5` or `Module, module quiz`."""
        module = self.course.module(place.module_id)
        assert module is not None
        if place.quiz:
            return f"{module.title}, module quiz"
        lesson = module.lesson(place.lesson_id)
        assert lesson is not None
        return f"{module.title}, {lesson.title}, step {place.step + 1} of {len(lesson.steps)}"

    def course_map(self) -> Target:
        """Every module with its state; choose one, or continue where you left off."""
        entries = self.standings()
        place = self.continue_place()
        self.out.heading(f"Course map: {self.course.title}")
        for number, standing in enumerate(entries, start=1):
            self.out.line(f"{number}. {self.module_line(standing)}")
        if place is not None:
            self.out.line(f"Continue where you left off: {self.describe_place(place)}.")
        else:
            self.out.line("Every module is passed: well done.")
        review_line = due_line(self)
        if review_line:
            self.out.line(review_line)
        records = self.records_line()
        if records:
            self.out.line(f"Learning records: {records}")
        commands = {"a number": "see that module's lessons and quiz"}
        if place is not None:
            commands["Enter or c"] = "continue where you left off"
        commands["r"] = "answer the questions due for review"
        commands["w"] = "the course summary and disclaimer again"
        going_on = ", Enter or c to continue" if place is not None else ""
        prompt = f"Module number ({span(len(entries))}){going_on}, w welcome, q quit: "
        while True:
            text = self.ask(prompt, commands).casefold()
            if text in ("", "c"):
                if place is not None:
                    return place
                self.out.line("There is nothing left to continue: choose a module to review.")
            elif text == "r":
                review_session(self)
                return None
            elif text == "w":
                self.welcome()
            elif text.isdigit() and 1 <= int(text) <= len(entries):
                return entries[int(text) - 1].module
            else:
                self.out.line(f"Type a module number ({span(len(entries))}), or w, ? or q.")

    def module_line(self, standing: Standing) -> str:
        """One module on the map: title, state, share done, best score."""
        module = standing.module
        parts = [f"{module.title}: {STATE_WORDS[standing.state]}"]
        if standing.state is ModuleState.LOCKED:
            return f"{parts[0]}. {standing.opens_when}"
        parts.append(f"{percent(standing.share_done)} done")
        if standing.best_score is not None:
            parts.append(f"best quiz score {percent(standing.best_score)}")
        elif standing.quiz_in_progress:
            parts.append("quiz in progress")
        return ", ".join(parts) + "."

    def module_menu(self, module: Module) -> Target:
        """A module: what it covers, its lessons and quiz as a numbered list."""
        standing = self.standing(module)
        self.out.heading(f"Module: {module.title}")
        state = STATE_WORDS[standing.state].capitalize() + "."
        if standing.state is ModuleState.LOCKED:
            state += f" {standing.opens_when}"
        self.out.line(state)
        meta = []
        if module.estimated_minutes:
            meta.append(f"About {module.estimated_minutes} minutes.")
        if module.reviewed:
            meta.append(f"Facts reviewed {module.reviewed}.")
        if module.jurisdiction:
            meta.append("Jurisdiction: " + ", ".join(module.jurisdiction) + ".")
        if meta:
            self.out.line(" ".join(meta))
        sources: list[str] = []
        self.markdown(module.summary, sources)
        self.show_sources(sources)
        if module.objectives:
            self.out.line("You will be able to:")
            for objective in module.objectives:
                self.out.line(f"- {objective}")
        self.out.line()
        choices: list[Place] = []
        for lesson in module.lessons:
            done = " (done)" if lesson.id in standing.lessons_done else ""
            choices.append(Place(module.id, lesson.id, 0))
            self.out.line(f"{len(choices)}. Lesson: {lesson.title}{done}")
        if module.quiz is not None:
            choices.append(Place(module.id, quiz=True))
            self.out.line(f"{len(choices)}. Module quiz{self.quiz_note(module, standing)}")
        following = self.next_in_module(module, standing)
        commands = {"a number": "open that lesson or the quiz", "m": "the course map"}
        if following is not None and standing.state is not ModuleState.LOCKED:
            commands["Enter"] = f"the next thing to do: {self.describe_place(following)}"
            prompt = (f"Number ({span(len(choices))}), Enter for the next thing to do, m map,"
                      " q quit: ")
        else:
            prompt = f"Number ({span(len(choices))}), m map, q quit: "
        while True:
            text = self.ask(prompt, commands).casefold()
            if text == "m":
                return None
            if text == "" and "Enter" in commands and following is not None:
                return following
            if text.isdigit() and 1 <= int(text) <= len(choices):
                if standing.state is ModuleState.LOCKED:
                    self.out.line(f"This module is locked. {standing.opens_when}")
                    continue
                chosen = choices[int(text) - 1]
                if chosen.quiz and not standing.quiz_open:
                    self.out.line(standing.quiz_opens_when)
                    continue
                return self.resume_step(chosen)
            self.out.line(f"Type a number ({span(len(choices))}), or m for the map.")

    def quiz_note(self, module: Module, standing: Standing) -> str:
        """The quiz's line on a module menu: best score and pass mark, or in progress."""
        mark = percent(self.course.pass_mark(module))
        if standing.best_score is not None:
            tries = "attempt" if standing.attempts == 1 else "attempts"
            return (f" (best {percent(standing.best_score)}, pass mark {mark},"
                    f" {standing.attempts} {tries})")
        if standing.quiz_in_progress:
            return f" (in progress, pass mark {mark})"
        if not standing.quiz_open and standing.state is not ModuleState.LOCKED:
            return f" (opens once every lesson above is done, pass mark {mark})"
        return f" (not taken yet, pass mark {mark})"

    def next_in_module(self, module: Module, standing: Standing) -> Place | None:
        """The saved place when it is in this module, else its first unfinished part."""
        place = self.continue_place()
        if place is not None and place.module_id == module.id:
            return place
        for lesson in module.lessons:
            if lesson.id not in standing.lessons_done:
                return Place(module.id, lesson.id, 0)
        if module.quiz is not None and standing.state is not ModuleState.PASSED:
            return Place(module.id, quiz=True)
        return None

    def resume_step(self, place: Place) -> Place:
        """A lesson chosen from a menu opens at the saved step when the learner left it there."""
        saved = self.continue_place()
        if (saved is not None and not place.quiz and saved.module_id == place.module_id
                and saved.lesson_id == place.lesson_id):
            return saved
        return place
