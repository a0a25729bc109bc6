"""Command palette: jump to any module, lesson or glossary term by typing part of its name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from course.study import ModuleState, Place


class CourseCommands(Provider):
    """Modules, lessons and glossary terms of the open course."""

    def _entries(self) -> list[tuple[str, str, Callable[[], Awaitable[None] | None]]]:
        from tui.app import IvstemApp
        from tui.screens.glossary import GlossaryScreen

        app = self.app
        if not isinstance(app, IvstemApp) or app.course is None:
            return []
        course = app.course
        entries: list[tuple[str, str, Callable[[], Awaitable[None] | None]]] = []
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
        for term in course.glossary.terms:
            name = f"{term.term} ({term.abbr})" if term.abbr else term.term
            entries.append((name, "Glossary term",
                            partial(app.push_screen, GlossaryScreen(course, term.id))))
        return entries

    async def _open(self, place: Place, locked: bool, why: str) -> None:
        from tui.app import IvstemApp

        app = self.app
        assert isinstance(app, IvstemApp)
        if locked:
            app.notify(why, title="Locked", severity="warning")
            return
        await app.go_to(place)

    async def discover(self) -> Hits:
        """Every module and lesson when nothing is typed yet."""
        for name, help_text, callback in self._entries():
            if help_text != "Glossary term":
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Entries whose name matches what was typed, best first."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
