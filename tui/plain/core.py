"""The plain mode's conversation at its core: the learner's record, and asking a line.

`Conversation` holds one learner studying one course: the course, the learner's study of it
(`course.record.learner.Learner`, which decides and keeps everything), where output goes and where
lines are read. It saves through the study layer (saying at once when a write fails), and
asks: every prompt understands `q`, `?` and `g TERM` the same way. The parts of the
conversation build on it: `tui.plain.answering` (a question and its answer),
`tui.plain.lessons`, `tui.plain.quiz`, `tui.plain.review`, and `tui.plain.conversation`, the
whole session from the course map.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from course.material.glossary import look_up
from course.material.model import Course, Module, Term
from course.record.learner import Learner
from course.record.progress import ProgressStore, StoreError
from course.record.saving import SaveTally
from course.record.study import Place, Standing
from tui.plain.links import citation, resolve_links
from tui.plain.output import Output
from tui.plain.reader import LineReader

if TYPE_CHECKING:
    from course.record.lrs.link import LrsLink

T = TypeVar("T")

EXIT_OK, EXIT_PROBLEMS, EXIT_INTERRUPTED = 0, 1, 130

GLOBAL_COMMANDS = {
    "g TERM": "look a term up in the glossary (g alone lists every term)",
    "?": "list the commands you can type here",
    "q": "quit; everything you have done is saved",
}

SAVED_GOODBYE = "Your progress is saved; run ivstem --plain to continue."

Target = Module | Place | None
"""What to show next: a module's menu, a place (lesson step or quiz), or None for the map."""


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


def span(count: int) -> str:
    """The numbers that can be typed: `1-4`, or `1` when there is one thing to choose."""
    return "1" if count == 1 else f"1-{count}"


class Conversation:
    """One learner studying one course, line by line."""

    def __init__(
        self,
        course: Course,
        store: ProgressStore,
        learner: str,
        out: Output,
        reader: LineReader,
        *,
        lrs: LrsLink | None = None,
    ) -> None:
        self.course = course
        self.store = store
        self.learner = learner
        self.out = out
        self.reader = reader
        self.lrs = lrs
        self.study = Learner(course, store, learner, lrs=lrs)
        self.tally = SaveTally(store.persistent)
        # A wait for another process's lock is said where the learner is reading.
        store.on_wait = self.out.line

    def close(self) -> None:
        """Stop sending learning records (what is left waits for next time); close the store."""
        try:
            if self.lrs is not None:
                self.lrs.close()
        finally:
            self.store.close()

    def records_line(self) -> str | None:
        """Learning records waiting for the lab's LRS, and why, in one line; None if none."""
        if self.lrs is None:
            return None
        try:
            return self.lrs.status().line()
        except StoreError:
            return None

    # --- the record --------------------------------------------------------------------

    @property
    def saving(self) -> bool:
        """True while progress is being kept."""
        return self.tally.saving

    def save(self, write: Callable[..., T], *args: Any, answer: bool = False) -> bool:
        """Run one write of the study layer; on failure say so at once and carry on (see
        `course.record.saving`)."""
        try:
            write(*args)
        except StoreError as exc:
            told = self.tally.failed(exc, answer=answer)
            if told is not None:
                self.out.line(told)
            return False
        again = self.tally.succeeded()
        if again is not None:
            self.out.line(again)
        return True

    def standings(self) -> list[Standing]:
        """Every module with its state, read fresh from the record."""
        return self.study.standings()

    def standing(self, module: Module) -> Standing:
        """One module's standing."""
        return self.study.standing(module)

    def continue_place(self) -> Place | None:
        """Where "continue where you left off" leads."""
        return self.study.continue_place()

    def record_time(self, module_id: str) -> None:
        """Count the time since the last input towards a module."""
        self.save(self.study.count_time, module_id)

    def opened_words(self, module: Module) -> str:
        """` Now open: “X”.` for the modules that passing `module` opens, or nothing."""
        opened = [m.title for m in self.study.opened_by(module)]
        return " Now open: " + ", ".join(f"“{t}”" for t in opened) + "." if opened else ""

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

    def goodbye(self) -> None:
        """The session's last words: whether what was done in it is saved."""
        self.out.line()
        if self.lrs is not None:
            self.lrs.close()
            waiting = self.records_line()
            if waiting:
                self.out.line(f"{waiting} They are sent with your next session or by"
                              " `ivstem progress sync`.")
        self.out.line(self.tally.closing(SAVED_GOODBYE))
