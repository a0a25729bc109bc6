"""Command palette: jump to any module, lesson or glossary term by typing part of its name.

Modules and lessons are matched as Textual matches any command. Glossary terms are found as the
glossary finds them (`course.material.glossary.search`): by a part of the term, its
abbreviation or one of its other names, the best fits first.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from course.record.study import ModuleState, Place

if TYPE_CHECKING:
    from tui.app import IvstemApp

Command = Callable[[], Awaitable[None] | None]
"""What choosing an entry of the palette does."""


class CourseCommands(Provider):
    """Modules, lessons and glossary terms of the open course."""

    @property
    def ivstem(self) -> IvstemApp:
        """The app, typed: this palette is only ever the ivstem app's (the app is not imported,
        as it imports this module)."""
        return cast("IvstemApp", self.app)

    def _entries(self) -> list[tuple[str, str, Command]]:
        """Every module, lesson and quiz: (name, help text, what choosing it does)."""
        app = self.ivstem
        if app.course is None:
            return []
        course = app.course
        entries: list[tuple[str, str, Command]] = []
        states = {s.module.id: s for s in app.standings()}
        for number, module in enumerate(course.modules, start=1):
            standing = states[module.id]
            locked = standing.state is ModuleState.LOCKED
            note = f"Locked. {standing.opens_when}" if locked else "Module"
            first = module.lessons[0]
            entries.append((f"{number}. {module.title}", note,
                            partial(self._open, Place(module.id, first.id), locked,
                                    standing.opens_when)))
            for lesson in module.lessons:
                entries.append((f"{lesson.title}", f"Lesson in {module.title}",
                                partial(self._open, Place(module.id, lesson.id), locked,
                                        standing.opens_when)))
            if module.quiz is not None:
                entries.append((f"Quiz: {module.title}", "Module quiz",
                                partial(self._open, Place(module.id, quiz=True), locked,
                                        standing.opens_when)))
        return entries

    def _term_hits(self, query: str) -> list[Hit]:
        """The glossary terms whose names `query` meets, in the order the glossary ranks them.

        Each is scored as the palette scores a module whose title the query meets, on the best
        of the term's names, but never above the term ranked before it: so the terms keep the
        glossary's order, and stand among the modules and lessons by how well they match.
        """
        from course.material.glossary import Fit, names, search

        course = self.ivstem.course
        if course is None or not query.strip():
            return []
        matcher = self.matcher(" ".join(query.split()))
        hits = []
        ceiling = math.inf
        for found in search(course.glossary.terms, query):
            if found.fit is Fit.DEFINITION:
                break
            term = found.term
            name = f"{term.term} ({term.abbr})" if term.abbr else term.term
            ceiling = min(ceiling, max(matcher.match(each) for each in names(term)))
            hits.append(Hit(ceiling, matcher.highlight(name), partial(self._show_term, term.id),
                            text=name, help="Glossary term"))
        return hits

    def _show_term(self, term_id: str) -> None:
        from tui.screens.glossary import GlossaryScreen

        course = self.ivstem.course
        if course is not None:
            self.ivstem.push_screen(GlossaryScreen(course, term_id))

    async def _open(self, place: Place, locked: bool, why: str) -> None:
        app = self.ivstem
        if locked:
            app.notify(why, title="Locked", severity="warning")
            return
        await app.go_to(place)

    async def discover(self) -> Hits:
        """Every module and lesson when nothing is typed yet."""
        for name, help_text, callback in self._entries():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Modules, lessons and glossary terms that match what was typed, best first."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        for hit in self._term_hits(query):
            yield hit
