"""`ivstem --plain`: the course as a line-by-line conversation.

For screen readers, simple terminals and piped input. Every step is printed, every question is
answered by typing a line (see `tui.plain_questions` for the syntax of each type), and the same
engine, progress store and study rules as the full-screen app decide what is right, what is
saved and what is open. Nothing here imports Textual, so it starts fast on a slow machine.

Output is Rich (bold headings, Markdown) on a terminal that can show it; when standard output is
not a terminal, TERM is `dumb` or NO_COLOR is set, it is plain text with the Markdown marks taken
out. Course text is never read as Rich markup. Meaning is never carried by colour alone: every
verdict is said in words ("Right.", "Wrong.", "Partly right.").

`q` at any prompt, or the end of the input, ends the session at once; everything shown was
saved before it was shown, as in the app (an answer is saved before its feedback).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from course.glossary import look_up
from course.loader import load_course, shipped_course_dir
from course.markdown_text import escape_markdown, markdown_text
from course.model import CalloutStep, CheckStep, Course, Lesson, Module, ScenarioStep, Term
from course.progress import (
    InvalidLearnerNameError,
    ProgressStore,
    StoreError,
    default_learner_name,
    validate_learner_name,
)
from course.study import (
    ModuleState,
    Place,
    Standing,
    StudyClock,
    after_lesson,
    after_lesson_note,
    continue_place,
    module_complete,
    quiz_intro,
    standings,
)
from course.words import sentence
from quizzes.answers import Answer, AnswerError, describe, format_number
from quizzes.grading import Feedback, Verdict
from quizzes.points import score_text
from quizzes.practice import PracticeCheck
from quizzes.presentation import Presentation
from quizzes.questions import Question
from quizzes.scenario import Scenario, ScenarioWalk
from quizzes.session import QuizSession, SessionError, attempt_allowed
from quizzes.wording import answer_line, feedback_lines
from tui.plain_questions import (
    VERDICT_WORDS,
    answer_from_picks,
    instruction,
    is_one_at_a_time,
    item_labels,
    item_prompt,
    listing,
    percent,
    read_all_picks,
    read_line,
    read_pick,
)

if TYPE_CHECKING:
    from tui.cli import Options

T = TypeVar("T")

EXIT_OK, EXIT_PROBLEMS, EXIT_INTERRUPTED = 0, 1, 130

CALLOUT_LABELS = {"key": "Key point", "note": "Note", "warning": "Warning", "myth": "Myth and fact"}

STATE_WORDS = {
    ModuleState.LOCKED: "locked",
    ModuleState.OPEN: "open",
    ModuleState.IN_PROGRESS: "in progress",
    ModuleState.PASSED: "passed",
}

GLOBAL_COMMANDS = {
    "g TERM": "look a term up in the glossary (g alone lists every term)",
    "?": "list the commands you can type here",
    "q": "quit; everything you have done is saved",
}

SAVED_GOODBYE = "Your progress is saved; run ivstem --plain to continue."
UNSAVED_GOODBYE = "Your progress was NOT saved in this session."


class Quit(Exception):
    """The learner typed q, or the input ended: stop now (everything shown is already saved)."""


class Nav(StrEnum):
    """Where the learner asked to go from a step, a question or a menu."""

    NEXT = "next"
    BACK = "back"
    MAP = "map"
    REVEAL = "reveal"
    REPEAT = "repeat"
    RETAKE = "retake"


# --- Output ---------------------------------------------------------------------------------


class Output(Protocol):
    """Where the conversation is written: Rich on a capable terminal, plain text elsewhere."""

    def heading(self, text: str) -> None:
        """A heading, after a blank line."""

    def line(self, text: str = "") -> None:
        """A line of text, shown exactly as given (never read as markup or Markdown)."""

    def verdict(self, text: str, verdict: Verdict) -> None:
        """The verdict line of a result: the words say it, a colour may add to it."""

    def markdown(self, source: str) -> None:
        """Course Markdown (links already resolved)."""


_LIST_MARKER = re.compile(r"(?:\d+\.|-) ")


class PlainOutput:
    """Plain text: no colour, no escape codes, Markdown marks taken out, lines wrapped."""

    def __init__(self, stream: IO[str], width: int) -> None:
        self.stream = stream
        self.width = width

    def _write(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def heading(self, text: str) -> None:
        """A heading, after a blank line."""
        self._write("")
        self._write(text)

    def line(self, text: str = "") -> None:
        """A line of text, wrapped; a list item's further lines are indented under its text."""
        marker = _LIST_MARKER.match(text)
        indent = " " * len(marker.group(0)) if marker else ""
        self._write("\n".join(textwrap.wrap(text, width=self.width, subsequent_indent=indent,
                                            break_long_words=False, break_on_hyphens=False))
                    or "")

    def verdict(self, text: str, verdict: Verdict) -> None:
        """The verdict line."""
        self._write(text)

    def markdown(self, source: str) -> None:
        """Markdown as plain text."""
        text = markdown_text(source, self.width)
        if text:
            self._write(text)


class RichOutput:
    """Rich on a terminal: bold headings, coloured verdicts (with their words), Markdown."""

    STYLES: ClassVar[dict[Verdict, str]] = {
        Verdict.RIGHT: "bold green", Verdict.WRONG: "bold red", Verdict.PARTLY: "bold yellow",
    }

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console

        self.console = Console(file=stream, markup=False, highlight=False, emoji=False)

    def heading(self, text: str) -> None:
        """A bold heading, after a blank line."""
        from rich.text import Text

        self.console.print()
        self.console.print(Text(text, style="bold"))

    def line(self, text: str = "") -> None:
        """A line of text, never read as markup."""
        from rich.text import Text

        self.console.print(Text(text))

    def verdict(self, text: str, verdict: Verdict) -> None:
        """The verdict line, in the verdict's colour."""
        from rich.text import Text

        self.console.print(Text(text, style=self.STYLES[verdict]))

    def markdown(self, source: str) -> None:
        """Markdown rendered by Rich, without boxes, rules or the trailing spaces that pad
        lines to the terminal's width (a screen reader reviewing the line meets them)."""
        with self.console.capture() as captured:
            self.console.print(_quiet_markdown(source))
        lines = captured.get().rstrip("\n").split("\n")
        self.console.file.write("\n".join(line.rstrip(" ") for line in lines) + "\n")
        self.console.file.flush()


def _quiet_markdown(source: str) -> Any:
    """Rich Markdown with headings at the left, quotes indented rather than barred, and rules
    left out: boxes and bars are noise read aloud."""
    from rich.markdown import BlockQuote, Heading, HorizontalRule, Markdown
    from rich.segment import Segment

    class LeftHeading(Heading):
        LEVEL_ALIGN = dict.fromkeys(("h1", "h2", "h3", "h4", "h5", "h6"), "left")

    class NoRule(HorizontalRule):
        def __rich_console__(self, console: Any, options: Any) -> Any:
            yield from ()

    class IndentedQuote(BlockQuote):
        def __rich_console__(self, console: Any, options: Any) -> Any:
            lines = console.render_lines(self.elements, options.update(width=options.max_width - 2),
                                         style=self.style)
            for line in lines:
                yield Segment("  ")
                yield from line
                yield Segment("\n")

    class QuietMarkdown(Markdown):
        elements = {**Markdown.elements, "heading_open": LeftHeading, "hr": NoRule,  # noqa: RUF012
                    "blockquote_open": IndentedQuote}

    return QuietMarkdown(source, hyperlinks=False, justify="default")


def wants_plain_text(stream: IO[str]) -> bool:
    """True when output should be plain: not a terminal, TERM=dumb, or NO_COLOR set."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return True
    try:
        return not stream.isatty()
    except (AttributeError, ValueError):
        return True


def text_width() -> int:
    """The width plain text is wrapped to: the terminal's (or $COLUMNS), kept readable."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return max(40, min(columns, 101) - 1)


# --- Links to the glossary and the references ----------------------------------------------

_COURSE_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\((glossary|ref):([a-z0-9-]+)\)")
def resolve_links(source: str, course: Course, sources: list[str]) -> str:
    """Course links made readable aloud: `text [glossary: Term]`, `text [source N]`.

    Each reference is numbered by its place in `sources` (appended when new), so the caller can
    list the sources after the step.
    """

    def replace(match: re.Match[str]) -> str:
        label, kind, ident = match.group(1), match.group(2), match.group(3)
        if kind == "glossary":
            term = course.term(ident)
            name = term.term if term is not None else ident
            return f"{label} \\[glossary: {escape_markdown(name)}\\]"
        if ident not in sources:
            sources.append(ident)
        return f"{label} \\[source {sources.index(ident) + 1}\\]"

    return _COURSE_LINK.sub(replace, source)


def citation(course: Course, ref_id: str) -> str:
    """A reference as one line: citation, then its address when it has one."""
    reference = course.reference(ref_id)
    if reference is None:
        return ref_id
    return f"{reference.citation} ({reference.url})" if reference.url else reference.citation


# --- Reading lines --------------------------------------------------------------------------


class LineReader:
    """Reads the learner's lines: `input()` on a terminal, `readline()` from a pipe.

    From a pipe, the line read is written after its prompt, so the transcript reads as a
    conversation rather than prompts run together.
    """

    def __init__(self, stdin: IO[str], stdout: IO[str]) -> None:
        self.stdin = stdin
        self.stdout = stdout
        try:
            self.interactive = stdin is sys.stdin and stdin.isatty()
        except (AttributeError, ValueError):
            self.interactive = False

    def read(self, prompt: str) -> str | None:
        """One line without its newline, or None when the input has ended."""
        if self.interactive:
            try:
                return input(prompt)
            except EOFError:
                self.stdout.write("\n")
                return None
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            self.stdout.flush()
            return None
        line = line.rstrip("\r\n")
        self.stdout.write(line + "\n")
        self.stdout.flush()
        return line


# --- The conversation -----------------------------------------------------------------------

Target = Module | Place | None
"""What to show next: a module's menu, a place (lesson step or quiz), or None for the map."""


class PlainCourse:
    """One learner studying one course, line by line."""

    def __init__(
        self,
        course: Course,
        store: ProgressStore,
        learner: str,
        out: Output,
        reader: LineReader,
    ) -> None:
        self.course = course
        self.store = store
        self.learner = learner
        self.out = out
        self.reader = reader
        self.saving_failed = False
        self.study_clock = StudyClock(time.monotonic)

    # --- the record --------------------------------------------------------------------

    @property
    def saving(self) -> bool:
        """True while progress is being kept."""
        return self.store.persistent and not self.saving_failed

    def save(self, write: Callable[..., T], *args: Any, answer: bool = False) -> bool:
        """Run one store write; on failure say so at once and carry on, marked as not saving."""
        try:
            write(*args)
        except StoreError as exc:
            if answer or not self.saving_failed:
                what = "This answer was NOT saved." if answer else "Your progress is NOT saved."
                self.out.line(f"{exc} {what}")
            self.saving_failed = True
            return False
        return True

    def standings(self) -> list[Standing]:
        """Every module with its state, read fresh from the store."""
        summary = self.store.summary(self.learner, self.course.id)
        passed = self.store.passed_modules(self.learner, self.course.id)
        return standings(self.course, summary, passed)

    def standing(self, module: Module) -> Standing:
        """One module's standing."""
        return next(s for s in self.standings() if s.module.id == module.id)

    def continue_place(self) -> Place | None:
        """Where "continue where you left off" leads, by the rule the app follows."""
        position = self.store.position(self.learner, self.course.id)
        return continue_place(self.course, position, self.standings())

    def record_time(self, module_id: str) -> None:
        """Count the time since the last input towards a module (see `StudyClock`)."""
        elapsed = self.study_clock.tick()
        if elapsed > 0:
            self.save(self.store.add_time, self.learner, self.course.id, module_id, elapsed)

    # --- asking ------------------------------------------------------------------------

    def ask(self, prompt: str, commands: Mapping[str, str]) -> str:
        """Read one line, stripped; `q`, `?` and `g TERM` are handled here at every prompt."""
        while True:
            line = self.reader.read(prompt)
            if line is None:
                raise Quit
            text = line.strip()
            word = text.casefold()
            if word in ("q", "quit"):
                raise Quit
            if word in ("?", "help"):
                self.help(commands)
                continue
            head, _, rest = text.partition(" ")
            if head.casefold() in ("g", "glossary"):
                self.glossary(rest.strip())
                continue
            return text

    def help(self, commands: Mapping[str, str]) -> None:
        """List what can be typed at this prompt, then the commands of every prompt."""
        self.out.heading("What you can type here")
        for key, meaning in {**commands, **GLOBAL_COMMANDS}.items():
            self.out.line(f"{key}: {meaning}")
        self.out.line()

    def glossary(self, query: str) -> None:
        """Show the definition of a term, or list the terms when none is named."""
        terms = sorted(self.course.glossary.terms, key=lambda t: t.term.casefold())
        if not terms:
            self.out.line("This course has no glossary.")
            return
        if not query:
            self.out.heading("Glossary")
            for term in terms:
                self.out.line(f"- {term.term} ({term.abbr})" if term.abbr else f"- {term.term}")
            self.out.line("Type g and a term, for example: g " + (terms[0].abbr or terms[0].term))
            return
        found = look_up(terms, query)
        if not found:
            self.out.line(f"No glossary term matches “{query}”. Type g alone to list every term.")
        elif len(found) > 1:
            names = ", ".join(term.term for term in found)
            self.out.line(f"Several terms match “{query}”: {names}. Type g and one of them.")
        else:
            self.show_term(found[0])

    def show_term(self, term: Term) -> None:
        """A glossary term: its name, other names, definition and the sources it cites."""
        name = f"{term.term} ({term.abbr})" if term.abbr else term.term
        self.out.heading(f"Glossary: {name}")
        if term.aka:
            self.out.line("Also called: " + ", ".join(term.aka))
        sources: list[str] = []
        self.out.markdown(resolve_links(term.definition, self.course, sources))
        self.show_sources(sources)
        self.out.line()

    def markdown(self, source: str, sources: list[str]) -> None:
        """Course Markdown with its links made readable; references go into `sources`."""
        self.out.markdown(resolve_links(source, self.course, sources))

    def show_sources(self, sources: Sequence[str]) -> None:
        """The references cited, numbered as `[source N]` named them."""
        if sources:
            self.out.line("Sources:")
            for number, ref_id in enumerate(sources, start=1):
                self.out.line(f"{number}. {citation(self.course, ref_id)}")

    # --- the whole session ---------------------------------------------------------------

    def run(self) -> int:
        """Welcome on a first visit, then the map, until the learner quits."""
        try:
            self._run()
        except Quit:
            self.out.line()
            self.out.line(SAVED_GOODBYE if self.saving else UNSAVED_GOODBYE)
            return EXIT_OK
        except KeyboardInterrupt:
            self.out.line()
            self.out.line(SAVED_GOODBYE if self.saving else UNSAVED_GOODBYE)
            return EXIT_INTERRUPTED
        return EXIT_OK  # pragma: no cover - the loop ends only by quitting

    def _run(self) -> None:
        self.out.line(f"ivstem, plain mode. Learner: {self.learner}. Type ? at any prompt for"
                      " help, q to quit.")
        for notice in self.store.notices:
            self.out.line(f"Progress: {notice}")
        if self.store.position(self.learner, self.course.id) is None:
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
        from course import edition

        changes = edition.news(self.course, self.store, self.learner)
        self.save(edition.note_seen, self.course, self.store, self.learner)
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
        lesson = next((x for x in module.lessons if x.id == place.lesson_id), None)
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
        lesson = next(x for x in module.lessons if x.id == place.lesson_id)
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
        from tui.plain_review import due_line, review_session

        review_line = due_line(self)
        if review_line:
            self.out.line(review_line)
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

    # --- lessons ---------------------------------------------------------------------------

    def lesson(self, module: Module, lesson: Lesson, step: int) -> Target:
        """Read a lesson step by step; checks and scenarios are answered in place."""
        total = len(lesson.steps)
        step = max(0, min(step, total - 1))
        self.study_clock.restart()  # the time on the map and menus is not study of the module
        self.out.heading(f"{module.title}: {lesson.title}")
        while True:
            nav = self.show_step(module, lesson, step)
            if nav is Nav.MAP:
                self.record_time(module.id)
                return None
            if nav is Nav.BACK:
                self.record_time(module.id)
                if step > 0:
                    step -= 1
                continue
            self.record_time(module.id)
            if step < total - 1:
                step += 1
            else:
                return self.finish_lesson(module, lesson)

    def show_step(self, module: Module, lesson: Lesson, step: int) -> Nav:
        """Show one step, save that it was reached, and return where the learner goes next."""
        total = len(lesson.steps)
        content = lesson.steps[step]
        while True:
            self.out.heading(f"Step {step + 1} of {total}")
            self.save(self.store.reach_step, self.learner, self.course.id, module.id, lesson.id,
                      step)
            self.save(self.store.set_position, self.learner, self.course.id,
                      Place(module.id, lesson.id, step).to_position())
            nav: Nav | None = None
            if isinstance(content, CheckStep):
                nav = self.practice(module, lesson, content.check, first=step == 0)
            elif isinstance(content, ScenarioStep):
                nav = self.scenario(content.scenario, first=step == 0)
            else:
                self.show_content(content)
            if nav is None:
                nav = self.step_prompt(step, total)
            if nav is not Nav.REPEAT:
                return nav

    def show_content(self, content: Any) -> None:
        """A text or callout step, with the sources it cites listed after it."""
        sources: list[str] = []
        if isinstance(content, CalloutStep):
            callout = content.callout
            label = CALLOUT_LABELS[callout.kind]
            self.out.line(f"{label}: {callout.title}" if callout.title else f"{label}:")
            self.markdown(callout.text, sources)
        else:
            self.markdown(content.text, sources)
        self.show_sources(sources)

    def step_prompt(self, step: int, total: int) -> Nav:
        """After a step: Enter for next, b back, m map, r read it again."""
        forward = "to finish the lesson" if step == total - 1 else "for the next step"
        commands = {"Enter or n": forward.removeprefix("to ").removeprefix("for "),
                    # Listed at the first step too: b is understood there, and says so.
                    "b": "the step before" if step > 0
                    else "the step before (there is none: this is the first step)",
                    "r": "read this step again", "m": "the course map"}
        back = ", b back" if step > 0 else ""
        prompt = f"Enter {forward}{back}, m map, q quit: "
        while True:
            text = self.ask(prompt, commands).casefold()
            if text in ("", "n"):
                return Nav.NEXT
            if text == "b":
                if step > 0:
                    return Nav.BACK
                self.out.line("This is the first step of the lesson.")
            elif text == "m":
                return Nav.MAP
            elif text == "r":
                return Nav.REPEAT
            else:
                self.out.line(f"Press Enter {forward}, or type b, m, r, ? or q.")

    def finish_lesson(self, module: Module, lesson: Lesson) -> Target:
        """Record the lesson as done and go on to the next lesson or the quiz (as the app does)."""
        saved = self.save(self.store.complete_lesson, self.learner, self.course.id, module.id,
                          lesson.id)
        done = frozenset(lesson_id for _, lesson_id in
                         self.store.completed_lessons(self.learner, self.course.id, module.id))
        self.out.line()
        self.out.line(sentence(f"Lesson complete: {lesson.title}"))
        if saved and module_complete(module, done) and self.save(
                self.store.mark_module_passed, self.learner, self.course.id, module.id):
            self.out.line(sentence(f"Module passed: {module.title}") + self.opened_words(module))
        standing = self.standing(module)
        following = after_lesson(standing, lesson.id)
        note = after_lesson_note(standing, lesson.id, following)
        if note:
            self.out.line(note)
        if following is not None:
            self.save(self.store.set_position, self.learner, self.course.id,
                      following.to_position())
        else:
            self.move_on()
        return following

    def move_on(self) -> None:
        """After a module is finished, point "continue" at the next unfinished part of the course.

        The saved place would otherwise still name the finished module's last step or its quiz,
        and continuing would reopen it (a passed quiz would even start a new attempt).
        """
        place = continue_place(self.course, None, self.standings())
        if place is not None:
            self.save(self.store.set_position, self.learner, self.course.id, place.to_position())

    def opened_words(self, module: Module) -> str:
        """` Now open: “X”.` for the modules that passing `module` opens, or nothing."""
        passed = self.store.passed_modules(self.learner, self.course.id)
        opened = [m.title for m in self.course.modules if module.id in
                  self.course.prerequisites(m) and all(r in passed for r in
                                                       self.course.prerequisites(m))]
        return " Now open: " + ", ".join(f"“{t}”" for t in opened) + "." if opened else ""

    # --- questions -------------------------------------------------------------------------

    def show_question(self, question: Question, presentation: Presentation) -> None:
        """The prompt (Markdown), the numbered options or items, and what to type."""
        sources: list[str] = []
        self.markdown(question.prompt, sources)
        self.show_sources(sources)
        for line in listing(question, presentation):
            self.out.line(line)
        self.out.line(instruction(question, presentation))

    def read_answer(
        self,
        question: Question,
        presentation: Presentation,
        actions: Mapping[str, Nav],
        commands: Mapping[str, str],
        hint: Callable[[], None],
    ) -> Answer | Nav:
        """Read an answer by the type's syntax; malformed lines are explained and asked again.

        A line that is exactly one of `actions` (`""` is Enter) returns that action instead;
        `h` shows the hint and asks again.
        """
        if is_one_at_a_time(question):
            labels = item_labels(question, presentation)
            picks: list[int] = []
            while len(picks) < len(labels):
                first = not picks
                text = self.ask(item_prompt(question, labels[len(picks)], presentation), commands)
                key = text.casefold()
                if key == "h":
                    hint()
                    continue
                if key in actions and (key or first):
                    return actions[key]
                try:
                    every = read_all_picks(question, text, len(labels)) if first else None
                    if every is not None:
                        return answer_from_picks(question, presentation, every)
                    picks.append(read_pick(question, text))
                except AnswerError as exc:
                    self.out.line(exc.message)
            return answer_from_picks(question, presentation, picks)
        while True:
            text = self.ask("Your answer: ", commands)
            key = text.casefold()
            if key == "h":
                hint()
                continue
            if key in actions:
                return actions[key]
            try:
                return read_line(question, presentation, text)
            except AnswerError as exc:
                self.out.line(exc.message)

    def show_hint(self, question: Question) -> None:
        """The hint, or that there is none."""
        if question.hint:
            sources: list[str] = []
            self.out.line("Hint:")
            self.markdown(question.hint, sources)
            self.show_sources(sources)
        else:
            self.out.line("This question has no hint.")

    def show_result(
        self,
        verdict: Verdict,
        feedback: Sequence[Feedback],
        explanation: str | None,
        refs: Sequence[str],
        score: tuple[float, float] | None = None,
        *,
        asked: tuple[Question, Presentation] | None = None,
    ) -> None:
        """Verdict in words (with the score in a quiz), each piece of feedback, explanation.

        Given the question and how it was `asked`, feedback follows the order options were shown.
        """
        line = VERDICT_WORDS[verdict]
        if score is not None:
            line += f" {score_text(*score)}."
        self.out.verdict(line, verdict)
        sources: list[str] = []
        # The right answer given as a whole after feedback on each part (the correct order) is
        # no part of the learner's answer: it gets no right-or-not mark of its own.
        parts, solution = list(feedback), []
        if any(f.ref != "answer" for f in parts):
            solution = [f for f in parts if f.ref == "answer" and f.reveals_answer]
            parts = [f for f in parts if f not in solution]
        for about, right, text in feedback_lines(parts, *(asked or ())):
            mark = "right" if right else "not right"
            lead = f"- {escape_markdown(about)} ({mark}): " if about else "- "
            self.markdown(lead + text.strip(), sources)
        for item in solution:
            self.markdown(f"- {escape_markdown(item.about)}: {item.text.strip()}", sources)
        if explanation and explanation.strip():
            self.markdown(explanation, sources)
        for ref in refs:
            if ref not in sources:
                sources.append(ref)
        self.show_sources(sources)

    def practice(
        self, module: Module, lesson: Lesson, question: Question, *, first: bool
    ) -> Nav | None:
        """A practice check: feedback after each try, retry until right or `a` shows the answer.

        Returns a Nav when the learner moved on before the check was over, None once it is.
        """
        check = PracticeCheck(question, self.learner)
        self.out.line("Practice question: not graded, try as often as you like.")
        self.show_question(question, check.presentation)
        actions = {"": Nav.NEXT, "a": Nav.REVEAL, "m": Nav.MAP, "r": Nav.REPEAT}
        commands = {"your answer": instruction(question, check.presentation),
                    "h": "the hint" if question.hint else "the hint (this question has none)",
                    "a": "give up and see the answer (after a try)",
                    "r": "read the question again",
                    "Enter": "skip this question and go to the next step",
                    "m": "the course map"}
        if not first:
            actions["b"] = Nav.BACK
            commands["b"] = "the step before"

        def hint() -> None:
            check.use_hint()
            self.show_hint(question)

        self.out.line(self.command_line(question, check=True, back=not first))
        while True:
            got = self.read_answer(question, check.presentation, actions, commands, hint)
            if got is Nav.REPEAT:
                self.show_question(question, check.presentation)
                continue
            if got is Nav.REVEAL:
                if not check.tries:
                    self.out.line("Have a try first; after a try, a shows the answer.")
                    continue
                self.reveal(check)
                return None
            if isinstance(got, Nav):
                return got
            try:
                shown = check.attempt(got)
            except AnswerError as exc:
                self.out.line(exc.message)
                continue
            result = check.tries[-1]
            # Saved before the learner sees the feedback: what is shown has been kept.
            # Only the first try schedules the question for review (see course.review).
            self.save(self.store.record_answer, self.learner, self.course.id, question.id,
                      "check", got.to_json(), result.score / result.points, result.score,
                      int(result.hint_used), module.id, lesson.id, len(check.tries) == 1,
                      answer=True)
            self.record_time(module.id)
            self.show_result(shown.verdict, shown.feedback, shown.explanation,
                             result.refs if not shown.can_retry else (),
                             asked=(question, check.presentation))
            if not shown.can_retry:
                return None
            self.out.line("Not quite. Type another answer to try again, a to see the answer,"
                          " or Enter to move on.")

    def reveal(self, check: PracticeCheck) -> None:
        """End a check and show its answer, labelled as such, with the explanation.

        The learner's tries stay recorded as they were: seeing the answer is not answering.
        """
        question = check.question
        check.reveal()
        sources: list[str] = []
        # What the last try's feedback held back about its parts, now the answer is out.
        held_back = [item for item in check.feedback_with_answer() if item.reveals_answer]
        for about, right, text in feedback_lines(held_back, question, check.presentation):
            mark = "right" if right else "not right"
            self.markdown(f"- {escape_markdown(about)} ({mark}): {text}", sources)
        self.out.line(answer_line(question, check.presentation))
        if question.explanation:
            self.markdown(question.explanation, sources)
        for ref in question.refs:
            if ref not in sources:
                sources.append(ref)
        self.show_sources(sources)

    def command_line(self, question: Question, *, check: bool, back: bool = False) -> str:
        """The short reminder of the commands under a question."""
        parts = []
        if question.hint:
            parts.append("h hint")
        if check:
            parts += ["a answer (after a try)", "Enter skips"]
            if back:
                parts.append("b back")
        parts += ["r repeat", "m map", "q quit", "? help"]
        return "Also: " + ", ".join(parts) + "."

    # --- scenarios ---------------------------------------------------------------------------

    def scenario(self, scenario: Scenario, *, first: bool) -> Nav:
        """Walk a branching scenario: numbered choices, b to take one back, r to start again."""
        walk = ScenarioWalk(scenario)
        self.out.line(f"Scenario: {scenario.title}")
        while True:
            sources: list[str] = []
            if walk.steps:
                self.out.line("Your path: " + " → ".join(s.label for s in walk.steps))
            node = walk.node
            if walk.at_end:
                self.out.line("An ending:")
                self.markdown(walk.ending or "", sources)
                self.show_sources(sources)
                nav = self.scenario_ending(walk)
                if nav is not None:
                    return nav
                continue
            self.markdown(node.text or "", sources)
            self.show_sources(sources)
            for number, choice in enumerate(node.choices, start=1):
                self.out.line(f"{number}. {choice.label}")
            count = len(node.choices)
            back = "b step back, " if walk.can_go_back or not first else ""
            commands = {"a number": "take that choice", "Enter": "skip to the next step",
                        "b": "take back your last choice (at the start: the step before)",
                        "r": "start the scenario again", "m": "the course map"}
            while True:
                text = self.ask(f"Choice ({span(count)}), {back}Enter skips, m map, q quit: ",
                                commands).casefold()
                if text == "":
                    return Nav.NEXT
                if text == "m":
                    return Nav.MAP
                if text == "b":
                    if walk.can_go_back:
                        walk.back()
                        break
                    if not first:
                        return Nav.BACK
                    self.out.line("This is the start of the scenario and of the lesson.")
                    continue
                if text == "r":
                    walk.restart()
                    break
                if text.isdigit() and 1 <= int(text) <= count:
                    walk.choose(int(text) - 1)
                    break
                self.out.line(f"Type the number of a choice ({span(count)}).")

    def scenario_ending(self, walk: ScenarioWalk) -> Nav | None:
        """At an ending: NEXT or MAP to leave, None after stepping back or starting again."""
        commands = {"Enter or n": "the next step", "b": "take back your last choice",
                    "r": "start the scenario again", "m": "the course map"}
        while True:
            text = self.ask("Enter for the next step, b take back your last choice,"
                            " r start again, m map, q quit: ", commands).casefold()
            if text in ("", "n"):
                return Nav.NEXT
            if text == "m":
                return Nav.MAP
            if text == "b":
                walk.back()
                return None
            if text == "r":
                walk.restart()
                return None
            self.out.line("Press Enter for the next step, or type b, r, m, ? or q.")

    # --- the module quiz -------------------------------------------------------------------

    def quiz(self, module: Module) -> Target:
        """The module quiz: each answer saved before its feedback; results; retake if allowed."""
        while True:
            session = self.open_session(module)
            if session is None:
                return module
            self.study_clock.restart()
            nav = self.ask_quiz(module, session)
            if nav is Nav.MAP:
                return None
            nav = self.results(module, session)
            if nav is not Nav.RETAKE:
                return None

    def open_session(self, module: Module) -> QuizSession | None:
        """The quiz in progress, resumed, or a new attempt if the settings allow one."""
        quiz = module.quiz
        assert quiz is not None
        course = self.course
        state = self.store.load_quiz_state(self.learner, course.id, module.id)
        session: QuizSession | None = None
        if state is not None:
            try:
                resumed = QuizSession.from_json(state, quiz.questions)
            except (ValueError, KeyError, SessionError):
                self.out.line("The saved quiz could not be read, so a new attempt starts.")
            else:
                session = resumed.session
                for change in resumed.changes:
                    self.out.line(f"The course changed: {change.message}")
        if session is None:
            attempts = len(self.store.quiz_attempts(self.learner, course.id, module.id))
            if not attempt_allowed(attempts, course.settings.quiz_attempts):
                self.out.line(f"You have used all {attempts} attempts this course allows at this"
                              " quiz. Your best result stands.")
                return None
            session = QuizSession.start(
                quiz.questions, quiz_id=f"{course.id}/{module.id}", learner=self.learner,
                pass_mark=course.pass_mark(module), draw=quiz.draw, shuffle=quiz.shuffle,
                attempt=attempts + 1)
            self.save(self.store.save_quiz_state, self.learner, course.id, module.id,
                      session.to_json())
        self.save(self.store.set_position, self.learner, course.id,
                  Place(module.id, quiz=True).to_position())
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
                session.use_hint(question.id)
                self.save(self.store.save_quiz_state, self.learner, self.course.id, module.id,
                          session.to_json())
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
            self.save(self.store.record_answer, self.learner, self.course.id, question.id,
                      "quiz", got.to_json(), result.score / result.points, result.score,
                      int(result.hint_used), module.id, None, answer=True)
            self.save(self.store.save_quiz_state, self.learner, self.course.id, module.id,
                      session.to_json())
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
        self.save(self.store.finish_quiz, self.learner, self.course.id, module.id,
                  outcome.fraction, outcome.score, outcome.passed, session.to_json())
        if outcome.passed:
            self.move_on()
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
                mark = f"{VERDICT_WORDS[result.verdict]} {score_text(result.score, result.points)}."
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
        used = len(self.store.quiz_attempts(self.learner, self.course.id, module.id))
        can_retake = attempt_allowed(used, self.course.settings.quiz_attempts)
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


def span(count: int) -> str:
    """The numbers that can be typed: `1-4`, or `1` when there is one thing to choose."""
    return "1" if count == 1 else f"1-{count}"


# --- The entry point ------------------------------------------------------------------------


def run_plain(
    args: Options, *, stdin: IO[str] | None = None, stdout: IO[str] | None = None
) -> int:
    """`ivstem --plain`: load the course, open the learner's store, and talk until `q`.

    Returns the exit status: 0 when the learner quits (or the input ends), 1 when the course has
    problems (each printed as `path:line:col: error: message`), 130 on Ctrl+C.
    """
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    opened = open_plain(args, stdin, stdout)
    if isinstance(opened, int):
        return opened
    try:
        return opened.run()
    finally:
        opened.store.close()


def open_plain(args: Options, stdin: IO[str], stdout: IO[str]) -> PlainCourse | int:
    """Check the learner, load the course and open the store: the conversation, ready to run
    (the caller closes its store), or the exit status when the course has problems or a new
    learner's profile was not created (see `tui.new_learner`)."""
    from tui.cli import UsageError

    learner = getattr(args, "learner", None)
    try:
        learner = validate_learner_name(learner) if learner is not None else default_learner_name()
    except InvalidLearnerNameError as exc:
        raise UsageError(f"--learner: {exc}") from None
    course_arg = getattr(args, "course", None)
    folder = Path(course_arg) if course_arg is not None else shipped_course_dir()
    if course_arg is not None and not (folder / "course.yaml").is_file():
        raise UsageError(f"--course: {folder} is not a course folder (it has no course.yaml)")
    _tolerate_unencodable(stdout)
    result = load_course(folder)
    if result.course is None or result.problems:
        count = len(result.problems)
        print(f"ivstem: the course in {folder} cannot be opened: {count} problem"
              f"{'' if count == 1 else 's'} to mend first (`ivstem validate` lists the same).",
              file=sys.stderr)
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        return EXIT_PROBLEMS
    store = ProgressStore.open_or_memory(getattr(args, "data_dir", None))
    from tui.new_learner import check_new_learner

    named = learner if getattr(args, "learner", None) is not None else None
    refused = check_new_learner(store, named, stdin=stdin, stdout=stdout)
    if refused is not None:
        store.close()
        return refused
    out: Output = (PlainOutput(stdout, text_width()) if wants_plain_text(stdout)
                   else RichOutput(stdout))
    return PlainCourse(result.course, store, learner, out, LineReader(stdin, stdout))


def _tolerate_unencodable(stream: IO[str]) -> None:
    """On a terminal that cannot show a character (an ASCII-only one), print `?` rather than
    stopping with an error."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")
