"""The Textual app: one course, one learner, one progress store.

`make_app` builds it the same way for the command line and for tests.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen
from textual.widgets import Markdown

from course.loader import load_course, shipped_course_dir
from course.model import Course
from course.problems import Problem
from course.progress import ProgressStore, StoreError, default_learner_name
from course.study import Place, Standing, continue_place, standings
from tui.commands import CourseCommands
from tui.themes import HIGH_CONTRAST

T = TypeVar("T")

#: Stretches without a key press longer than this are not counted as study time.
IDLE_LIMIT = 300.0


class IvstemApp(App[None]):
    """The course in the terminal."""

    TITLE = "ivstem"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key, explained"),
        Binding("g", "glossary", "Glossary", id="glossary", tooltip="Search the glossary"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True,
                tooltip="Quit; your progress is already saved"),
        Binding("f2", "toggle_contrast", "Contrast", id="contrast", show=False,
                tooltip="Switch the high-contrast theme on or off"),
    ]

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = (
        App.COMMANDS | {CourseCommands})

    def __init__(
        self,
        course: Course | None,
        problems: list[Problem],
        store: ProgressStore,
        learner: str,
        *,
        course_dir: Path | None = None,
        preview: bool = False,
        watch: bool = False,
        start_module: str | None = None,
    ) -> None:
        super().__init__()
        self.preview = preview  # an instructor's look: every module open, nothing kept
        self.watch_files = watch
        self.start_module = start_module
        self._stop_watching = threading.Event()
        self.course = course
        self.problems = problems
        self.store = store
        self.learner = learner
        self.course_dir = course_dir
        self.saving_failed = False
        self._last_activity = time.monotonic()
        self.register_theme(HIGH_CONTRAST)

    # --- start ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Open the first screen: problems, welcome (first visit) or the course map."""
        from tui.screens.course_map import CourseMapScreen
        from tui.screens.problems import ProblemsScreen
        from tui.screens.welcome import WelcomeScreen

        if self.watch_files:
            self.watch_course()
        if self.course is None:
            self.push_screen(ProblemsScreen(self.problems, self.course_dir,
                                            waiting=self.watch_files))
            return
        self.update_status()
        self.push_screen(CourseMapScreen())
        if self.start_module is not None:
            module = self.course.module(self.start_module)
            if module is not None:
                self.call_after_refresh(self._open_start_module, module.id)
        elif self.store.position(self.learner, self.course.id) is None:
            self.push_screen(WelcomeScreen(self.course))
        for notice in self.store.notices:
            self.notify(notice, title="Progress", severity="warning", timeout=20)

    def update_status(self) -> None:
        """Show the course and learner in the header, and a warning while nothing is saved."""
        # The course title is on every screen's own first line; the header stays short so
        # that nothing in it is cut at 80 columns.
        status = f"learner: {self.learner}"
        if self.preview:
            status = "preview: every module open, nothing kept"
        elif not self.saving:
            status += " · ⚠ progress NOT saved"
        self.sub_title = status

    @property
    def saving(self) -> bool:
        """True while answers are being kept: false on an in-memory store or after a failure."""
        return self.store.persistent and not self.saving_failed

    # --- the record ------------------------------------------------------------------------

    def standings(self) -> list[Standing]:
        """The learner's standing in every module, read fresh from the store."""
        assert self.course is not None
        summary = self.store.summary(self.learner, self.course.id)
        passed = self.store.passed_modules(self.learner, self.course.id)
        return standings(self.course, summary, passed, open_all=self.preview)

    def continue_place(self) -> Place | None:
        """Where "continue where you left off" leads."""
        assert self.course is not None
        position = self.store.position(self.learner, self.course.id)
        return continue_place(self.course, position, self.standings())

    async def save(self, write: Callable[..., T], *args: Any) -> tuple[bool, T | None]:
        """Run one store write off the event loop; report a failure to the learner.

        Returns (saved, result). A failure (full disk, a locked or vanished file) is shown at
        once and the session goes on, marked as not saving, so nothing pretends to be kept.
        """
        try:
            result = await asyncio.to_thread(write, *args)
        except StoreError as exc:
            self.saving_failed = True
            self.update_status()
            self.notify(f"{exc} This answer was NOT saved.", title="Not saved",
                        severity="error", timeout=20)
            return False, None
        return True, result

    async def go_to(self, place: Place) -> None:
        """Open a lesson step or a module quiz, remembering it as the place to continue."""
        from tui.screens.lesson import LessonScreen
        from tui.screens.quiz import QuizScreen

        assert self.course is not None
        module = self.course.module(place.module_id)
        if module is None:
            return
        if place.quiz:
            await self.push_screen(QuizScreen(module))
        else:
            lesson = next(x for x in module.lessons if x.id == place.lesson_id)
            await self.push_screen(LessonScreen(module, lesson, place.step))

    def record_time(self, module_id: str) -> None:
        """Count the time since the last activity towards a module, unless it was idle."""
        now = time.monotonic()
        elapsed, self._last_activity = now - self._last_activity, now
        if self.course is not None and 0 < elapsed <= IDLE_LIMIT:
            self.run_worker(self.save(self.store.add_time, self.learner, self.course.id,
                                      module_id, elapsed), exclusive=False)

    def mark_activity(self) -> None:
        """Note that the learner did something (study time is counted between activities)."""
        self._last_activity = time.monotonic()

    # --- preview: reload as the instructor edits -------------------------------------------

    async def _open_start_module(self, module_id: str) -> None:
        assert self.course is not None
        module = self.course.module(module_id)
        if module is not None:
            await self.go_to(Place(module.id, module.lessons[0].id, 0))

    @work(thread=True, exclusive=True, group="watch")
    def watch_course(self) -> None:
        """Reload the course whenever one of its files changes (in a thread of its own).

        File events where the system has them; polling where it does not (some network and
        container file systems), which watchfiles does when asked.
        """
        import watchfiles

        assert self.course_dir is not None
        for polling in (False, True):
            try:
                for _ in watchfiles.watch(self.course_dir, stop_event=self._stop_watching,
                                          debounce=300, force_polling=polling,
                                          raise_interrupt=False):
                    self.call_from_thread(self._schedule_reload)
                return
            except (OSError, RuntimeError):
                if polling:
                    self.call_from_thread(self.notify, "Cannot watch the course folder; press"
                                          " ctrl+r to reload by hand.", severity="warning")

    def _schedule_reload(self) -> None:
        # exclusive: a burst of saves cancels a reload that would show a stale course
        self.run_worker(self.reload_course(), exclusive=True, group="reload")

    def on_unmount(self) -> None:
        self._stop_watching.set()

    async def reload_course(self) -> None:
        """Load the course again and show it in place, or list its problems until mended."""
        from tui.screens.problems import ProblemsScreen

        assert self.course_dir is not None
        result = await asyncio.to_thread(load_course, self.course_dir)
        if result.course is None:
            self.problems = result.problems
            if isinstance(self.screen, ProblemsScreen):
                self.screen.show(result.problems)
            else:
                await self.push_screen(ProblemsScreen(result.problems, self.course_dir,
                                                      waiting=True))
            return
        if isinstance(self.screen, ProblemsScreen) and self.course is not None:
            self.pop_screen()
        first_load = self.course is None
        self.course, self.problems = result.course, []
        if first_load:
            self.switch_screen(self._map())
            self.update_status()
            return
        await self._rebuild_in_place()
        self.notify("The course was reloaded.", title="Preview", timeout=3)

    def _map(self) -> Screen[None]:
        from tui.screens.course_map import CourseMapScreen

        return CourseMapScreen()

    async def _rebuild_in_place(self) -> None:
        """Rebuild the screens from the new course, keeping the learner's place."""
        from tui.screens.course_map import CourseMapScreen
        from tui.screens.lesson import LessonScreen

        assert self.course is not None
        place: Place | None = None
        for screen in reversed(self.screen_stack):
            if isinstance(screen, LessonScreen):
                place = Place(screen.module.id, screen.lesson.id, screen.step)
                break
        while len(self.screen_stack) > 2 and not isinstance(self.screen, CourseMapScreen):
            await self.pop_screen()
        if isinstance(self.screen, CourseMapScreen):
            self.screen.refresh_map()
        if place is None:
            return
        module = self.course.module(place.module_id)
        lesson = next((x for x in module.lessons if x.id == place.lesson_id), None) \
            if module else None
        if module is not None and lesson is not None:
            await self.push_screen(LessonScreen(module, lesson, place.step))

    # --- links and actions -----------------------------------------------------------------

    @on(Markdown.LinkClicked)
    def _open_link(self, event: Markdown.LinkClicked) -> None:
        """`glossary:` and `ref:` links open in place; other links are only shown, never opened."""
        from tui.screens.modals import ReferenceModal, TermModal, UrlModal

        event.prevent_default()
        event.stop()
        href = event.href
        if self.course is None:
            return
        if href.startswith("glossary:"):
            term = self.course.term(href.removeprefix("glossary:"))
            if term is not None:
                self.push_screen(TermModal(term))
        elif href.startswith("ref:"):
            reference = self.course.reference(href.removeprefix("ref:"))
            if reference is not None:
                self.push_screen(ReferenceModal(reference))
        else:
            # The course runs offline and never opens a browser: show the address to copy.
            self.push_screen(UrlModal(href))

    def action_help(self) -> None:
        """Show every key of the current screen and of the app."""
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_glossary(self) -> None:
        """Open the glossary."""
        from tui.screens.glossary import GlossaryScreen

        if self.course is not None and not isinstance(self.screen, GlossaryScreen):
            self.push_screen(GlossaryScreen(self.course))

    def action_toggle_contrast(self) -> None:
        """Switch between the high-contrast theme and Textual's default."""
        self.theme = "textual-dark" if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def cite(self, ref_id: str) -> str:
        """A short label for a reference: its citation's first words and year."""
        reference = self.course.reference(ref_id) if self.course else None
        if reference is None:
            return ref_id
        first = reference.citation.split(".")[0].split(",")[0]
        first = first if len(first) <= 40 else first[:37] + "..."
        return f"{first}, {reference.year}" if reference.year else first


def make_app(
    course_dir: Path | str | None = None,
    *,
    learner: str | None = None,
    data_dir: Path | str | None = None,
    store: ProgressStore | None = None,
    preview: bool = False,
    watch: bool = False,
    start_module: str | None = None,
) -> IvstemApp:
    """Build the app for a course folder (default: the shipped course) and a learner.

    Without `store`, the learner's store is opened in `data_dir` (or $IVSTEM_DATA_DIR, or the
    user data folder), falling back to memory with a visible warning when it cannot be written.
    """
    folder = Path(course_dir) if course_dir is not None else shipped_course_dir()
    result = load_course(folder)
    if store is None:
        store = ProgressStore.open_or_memory(data_dir)
    return IvstemApp(result.course, result.problems, store, learner or default_learner_name(),
                     course_dir=folder, preview=preview, watch=watch, start_module=start_module)
