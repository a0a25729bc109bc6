"""The Textual app: one course, one learner, one progress store.

`make_app` builds it the same way for the command line and for tests.

A few imports wait until they are needed: the course map, lesson, quiz, review and dashboard
screens (they import this module), and the glossary, the modals, the course loader and its YAML
reader, which bring in the Markdown widget, pydantic and YAML. Imported here, they would add a
fifth to a third to the time before the first screen (see tests/bench/bench_startup.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import watchfiles
from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.worker import WorkerFailed

from course.material.citation import short_label
from course.material.model import Course
from course.material.problems import Problem
from course.material.snapshot import content_key, find_snapshot, snapshot_path, write_snapshot
from course.material.styled import Runs, styled_runs
from course.paths import shipped_course_dir
from course.record.learner import Learner
from course.record.profile import Profile
from course.record.progress import ProgressStore, StoreError, default_learner_name
from course.record.saving import SaveTally
from course.record.study import Place, Standing, StudyClock
from tui.commands import CourseCommands
from tui.crash import CrashLog, write_crash_log
from tui.screens.help import HelpScreen
from tui.screens.loading import LoadingScreen
from tui.screens.problems import ProblemsScreen
from tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tui.screens.welcome import Intro, WelcomeScreen
from tui.themes import HIGH_CONTRAST

if TYPE_CHECKING:
    from textual.widgets import Markdown

    from course.record.lrs.link import LinkStatus, LrsLink
    from course.record.lrs.sending import SyncResult

T = TypeVar("T")

# Textual's Header watches the app's title with coroutines; when the app is told to quit while
# it starts (`ivstem serve` does when a browser tab closes at once), one is left unawaited and
# Python warns of it at exit, in the server's log. Only that one is silenced.
warnings.filterwarnings(
    "ignore", message=r"coroutine 'Header\._on_mount\.<locals>\.set_\w+' was never awaited",
    category=RuntimeWarning)

#: Seconds after start at which the course begins to load behind the welcome.
WELCOME_SETTLES = 0.3

#: The learner's preferences that the app keeps: the theme chosen (from the palette), and
#: whether high contrast (F2) is on over it.
THEME, HIGH_CONTRAST_ON = "theme", "high_contrast"


class CourseLoaded(Message):
    """Posted by the loading worker: the course, read and checked, or the problems found."""

    def __init__(self, course: Course | None, problems: list[Problem]) -> None:
        super().__init__()
        self.course = course
        self.problems = problems


class CourseChanged(Message):
    """Posted by the watching worker (`--watch`): a file of the course changed."""


class RecordsSent(Message):
    """Posted after each round of the learning-record sender: what waits may have changed."""


class IvstemApp(App[None]):
    """The course in the terminal."""

    TITLE = "ivstem"
    # Each screen has its own stylesheet beside it, read when it is first shown (see
    # `_first_screen` for the screen that is drawn first).
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss"]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help", tooltip="Every key, explained"),
        Binding("g", "glossary", "Glossary", id="glossary", tooltip="Search the glossary"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True,
                tooltip="Quit; your progress is already saved"),
        Binding("f2", "toggle_contrast", "Contrast", id="contrast", show=False,
                tooltip="Switch the high-contrast theme on or off"),
        Binding("ctrl+r", "reload", "Reload", id="reload", show=False,
                tooltip="Preview: read the course's files again"),
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
        start_lesson: str | None = None,
        intro: Intro | None = None,
        start: str | None = None,
        snapshots: Path | None = None,
        styled: dict[str, Runs] | None = None,
        data_dir: Path | str | None = None,
    ) -> None:
        """Give `course` (or its `problems`) when already loaded; otherwise `course_dir` is
        loaded in the background while `intro` (from course.yaml) makes the first screen, and
        the checked course is kept in the folder `snapshots` (if given) for the next start.
        `styled` holds course Markdown already styled (from a snapshot). `data_dir`
        (--data-dir) is where a crash is logged when the store is in memory. `start_module`
        and `start_lesson` (preview --module, --lesson) name the lesson to open first: that
        lesson, or the module's first; the module may be left out when one module has it."""
        super().__init__()
        self.data_dir = data_dir
        self.crash_log: CrashLog | None = None  # set if the app stopped on an unexpected error
        self.snapshots = snapshots
        self._styled: dict[str, Runs] = styled if styled is not None else {}
        self.intro = intro
        self.loaded = asyncio.Event()  # set once the course has loaded, or failed to
        self._welcome_open = False
        self._loading_started = False
        self.preview = preview  # an instructor's look: every module open, nothing kept
        self.watch_files = watch
        self.start_module = start_module
        self.start_lesson = start_lesson
        self.start = start  # "review" or "dashboard": a screen to open over the map
        self._stop_watching = threading.Event()
        self._course_changed = False  # a file changed since the last reload began
        self._reloading = False
        self._quit_asked = False  # quit once the reload under way is done
        self.course = course
        self.problems = problems
        self.store = store
        self.learner = learner
        self.course_dir = course_dir
        self.tally = SaveTally(store.persistent)  # what the session's writes came to
        self._loop_thread = threading.get_ident()  # the event loop's, from when it runs
        self._event_loop: asyncio.AbstractEventLoop | None = None
        self.study_clock = StudyClock(time.monotonic)
        self._study: Learner | None = None
        self.lrs: LrsLink | None = None  # the lab's Learning Record Store, when one is set
        self.register_theme(HIGH_CONTRAST)
        self._plain_theme = self.theme  # the theme F2 returns to from high contrast
        self._restore_theme()

    # --- start ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        """The bottom screen, drawn in the first frame: on a first visit the welcome; otherwise
        the course map when the course is at hand, or a blank screen that the loading screen
        covers."""
        intro = self.intro
        if intro is None and self.course is not None:
            intro = self.intro = Intro.from_manifest(self.course.manifest)
        if (intro is not None and self.start_module is None and self.start_lesson is None
                and self.store.position(self.learner, intro.id) is None):
            # The welcome alone: the map comes when the learner starts.
            self._welcome_open = True
            return self._first_screen(WelcomeScreen(intro))
        if self.course is not None:
            from tui.screens.course_map import CourseMapScreen

            return self._first_screen(CourseMapScreen())
        return Screen()

    def _first_screen(self, screen: Screen[Any]) -> Screen[Any]:
        """`screen`, whose stylesheet is read with the app's. Textual reads a screen's CSS_PATH
        when the screen is pushed, but not for the default screen; only the first screen's is
        parsed before the first frame."""
        for path in screen.css_path:
            self.stylesheet.read(path)
        return screen

    def on_mount(self) -> None:
        """Load the course behind the first screen if it is not loaded yet."""
        if self.watch_files:
            self.watch_course()
        self._loop_thread = threading.get_ident()
        self._event_loop = asyncio.get_running_loop()
        self.store.on_wait = self._tell_waiting
        for notice in self.store.notices:
            self.notify(notice, title="Progress", severity="warning", timeout=20)
        self._link_records()
        self.update_status()
        ready = self.course is not None or bool(self.problems)
        if not ready and not self._welcome_open:
            self.push_screen(LoadingScreen())
        if ready:
            self.call_after_refresh(self._show_course)
        elif self._welcome_open:
            # While the learner reads the welcome, but not before its footer keys are drawn,
            # which takes Textual a few refreshes: the loading thread would hold them back.
            # Leaving the welcome sooner starts the load at once.
            self.set_timer(WELCOME_SETTLES, self._start_loading)
        else:
            # After the loading screen's first paint: the loading thread would otherwise hold
            # the interpreter while the first screen waits to be drawn.
            self.call_after_refresh(self._start_loading)

    def _handle_exception(self, error: Exception) -> None:
        """Log an unexpected error with its traceback, then let Textual stop the app, without
        printing its own traceback over the learner's terminal: the log keeps it, and the
        command line says in one line where it is (see `tui.cli.run`).

        Textual calls this for every exception that escapes a handler, a worker or a screen.
        Its own handling is kept: the return code 1, and the first error kept for `run_test`
        to raise again, so a test still fails loudly.

        One error is not a crash: a widget's callback that looks for a child the shutdown has
        already removed (Textual's Header does, when the app is told to quit while it starts,
        as `ivstem serve` does when a browser tab closes at once). Nothing is lost then, so
        it is neither logged nor reported; the same error while the app runs still is.
        """
        if not self.is_running and isinstance(error, NoMatches):
            return
        folder = self.store.path.parent if self.store.path is not None else self.data_dir
        # A worker's error comes wrapped, with no traceback of its own: the log wants the
        # traceback of where it was raised.
        cause = error.error if isinstance(error, WorkerFailed) else error
        log = write_crash_log(cause, folder)
        if self.crash_log is None:
            self.crash_log = log
        super()._handle_exception(error)
        if log.path is not None:
            # What Textual would print when the app ends: its rich traceback.
            self._exit_renderables.clear()

    def _start_loading(self) -> None:
        """Start loading the course, once. Called after the first paint, and again when the
        learner leaves the welcome: a callback after a refresh belongs to the screen on top,
        and is dropped if that screen is covered or dismissed before it is drawn."""
        if not self._loading_started:
            self._loading_started = True
            self.load_course_in_background()

    @work(thread=True, exclusive=True, group="load")
    def load_course_in_background(self) -> None:
        """Read and check the course off the event loop, and post `CourseLoaded`."""
        from course.material.loader import load_course

        assert self.course_dir is not None
        key = None
        if self.snapshots is not None:
            # An unreadable file: the load below reports it, and no snapshot is kept.
            with contextlib.suppress(OSError):
                key = content_key(self.course_dir)
        result = load_course(self.course_dir)
        self.post_message(CourseLoaded(result.course, result.problems))
        if result.course is not None and self.snapshots is not None and key is not None:
            self.keep_snapshot(result.course, key)

    def keep_snapshot(self, course: Course, key: str) -> None:
        """Keep the checked course, so that the next start need not check it again."""
        assert self.snapshots is not None
        write_snapshot(snapshot_path(self.snapshots, course.root), key, course)

    def on_course_loaded(self, message: CourseLoaded) -> None:
        """The loading worker has read the course, or found its problems: show them."""
        self.course, self.problems = message.course, message.problems
        # After a refresh: replacing a screen whose header is still mounting breaks the header.
        self.call_after_refresh(self._show_course)

    def _show_course(self) -> None:
        """Put the loaded course (or its problems) on screen in place of what stood in."""
        # The first visit's welcome is the bottom screen: what follows it goes on top.
        standing_in = isinstance(self.screen, LoadingScreen)
        if self.course is None:
            problems = ProblemsScreen(self.problems, self.course_dir, waiting=self.watch_files)
            self._welcome_open = False
            if standing_in:
                self.switch_screen(problems)
            else:
                self.push_screen(problems)
        else:
            self.update_status()
            if self.lrs is not None:
                self.lrs.start()  # once the course is on screen: sending waits for nothing
            if not self._welcome_open:  # else the map comes when the learner leaves it
                from tui.screens.course_map import CourseMapScreen

                if isinstance(self.screen, LoadingScreen):
                    self.switch_screen(CourseMapScreen())
                elif not any(isinstance(s, CourseMapScreen) for s in self.screen_stack):
                    self.push_screen(CourseMapScreen())
                self.call_after_refresh(self._open_start_lesson)
                self.call_after_refresh(self._open_start_screen)
        # Set once the screens above are up: "loaded" means the course is on screen.
        self.call_after_refresh(self.loaded.set)

    def on_welcome_screen_started(self) -> None:
        """The learner leaves the first visit's welcome (which stays beneath) for the map."""
        if not self._welcome_open:
            return  # a second press, before the first had moved on
        self._welcome_open = False
        if self.course is None and not self.problems:
            self.push_screen(LoadingScreen())  # the course is still loading
            self._start_loading()
        else:
            self.call_later(self._show_course)

    def on_resize(self, event: events.Resize) -> None:
        """Cover the screen with a 'too small' message while the terminal is too small."""
        small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if small and not showing:
            self.push_screen(TooSmallScreen())
        elif showing and not small:
            self.pop_screen()

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

    def styled(self, text: str) -> Runs:
        """Course Markdown as runs of styled text; those kept in a snapshot need no parser."""
        runs = self._styled.get(text)
        if runs is None:
            runs = self._styled[text] = styled_runs(text)
        return runs

    @property
    def saving(self) -> bool:
        """True while answers are being kept: false on an in-memory store, or while writes
        fail (a full disk, a file held locked)."""
        return self.tally.saving

    def _tell_waiting(self, message: str) -> None:
        """Say that the store waits for another process's lock; called by the thread waiting,
        which may hold the store, so the note is only handed to the event loop, never waited
        for (the loop may itself be waiting for the store)."""
        show = functools.partial(self.notify, message, title="Waiting", timeout=10)
        if self._event_loop is None or threading.get_ident() == self._loop_thread:
            show()
        else:
            self._event_loop.call_soon_threadsafe(show)

    # --- the record ------------------------------------------------------------------------

    @property
    def study(self) -> Learner:
        """The learner's study of the course (`course.record.learner`): every write goes
        through it. Made again when the course is (re)loaded, keeping the clock of the time
        studied."""
        course = self.course
        assert course is not None, "the course is not loaded yet"
        if self._study is None or self._study.course is not course:
            self._study = Learner(course, self.store, self.learner, open_all=self.preview,
                                  clock=self.study_clock, lrs=self.lrs)
        return self._study

    # --- learning records for the lab's LRS ------------------------------------------------

    def _link_records(self) -> None:
        """Queue and send learning records when the lab has an LRS (never in a preview)."""
        if self.preview:
            return
        from course.record.lrs import connect

        self.lrs = connect(self.store, on_round=self._records_round)
        if self.lrs is not None and self.lrs.problem:
            self.notify(f"{self.lrs.problem} Learning records are kept until it is mended.",
                        title="Learning records", severity="warning", timeout=20)

    def _records_round(self, result: SyncResult) -> None:
        """Called by the sender's thread after each round."""
        with contextlib.suppress(RuntimeError):  # the app has already stopped
            self.post_message(RecordsSent())

    def records_status(self) -> LinkStatus | None:
        """Learning records waiting for the LRS, and why; None without an LRS."""
        if self.lrs is None:
            return None
        try:
            return self.lrs.status()
        except StoreError:
            return None

    def on_records_sent(self) -> None:
        """The sender has been at work: the map says what still waits."""
        from tui.screens.course_map import CourseMapScreen

        if isinstance(self.screen, CourseMapScreen):
            self.screen.show_due()

    def standings(self) -> list[Standing]:
        """The learner's standing in every module, read fresh from the store."""
        return self.study.standings()

    def continue_place(self, standing: list[Standing] | None = None) -> Place | None:
        """Where "continue where you left off" leads (pass `standing` if it is already read)."""
        return self.study.continue_place(standing)

    async def save(self, write: Callable[..., T], *args: Any,
                   answer: bool = False) -> tuple[bool, T | None]:
        """Run one write of the study layer off the event loop; report a failure.

        Returns (saved, result). A failure (full disk, a locked or vanished file) is shown at
        once and the session goes on, marked as not saving, so nothing pretends to be kept:
        every lost `answer` is told, other writes the first time.
        """
        try:
            result = await asyncio.to_thread(write, *args)
        except StoreError as exc:
            told = self.tally.failed(exc, answer=answer)
            if told is not None:
                self.notify(told, title="Not saved", severity="error", timeout=20)
            self.update_status()
            return False, None
        again = self.tally.succeeded()
        if again is not None:
            self.notify(again, title="Saved", timeout=8)
            self.update_status()
        return True, result

    async def go_to(self, place: Place) -> None:
        """Open a lesson step or a module quiz, remembering it as the place to continue."""
        from tui.screens.lesson import LessonScreen
        from tui.screens.quiz import QuizScreen

        if self.course is None:
            return
        module = self.course.module(place.module_id)
        if module is None:
            return
        if place.quiz:
            await self.push_screen(QuizScreen(module))
        else:
            lesson = module.lesson(place.lesson_id)
            assert lesson is not None, place  # the map and the record name this course's lessons
            await self.push_screen(LessonScreen(module, lesson, place.step))

    def record_time(self, module_id: str) -> None:
        """Count the time since the last activity towards a module (see `StudyClock`)."""
        if self.course is not None:
            self.run_worker(self.save(self.study.count_time, module_id), exclusive=False)

    def mark_activity(self) -> None:
        """Count study time from now: a lesson or quiz has just opened."""
        self.study_clock.restart()

    # --- preview: reload as the instructor edits -------------------------------------------

    async def _open_start_screen(self) -> None:
        """Open the screen asked for on the command line (`ivstem review`), once."""
        start, self.start = self.start, None
        if start == "review":
            from tui.screens.review import ReviewScreen

            await self.push_screen(ReviewScreen())
        elif start == "dashboard":
            from tui.screens.dashboard import DashboardScreen

            await self.push_screen(DashboardScreen())

    async def _open_start_lesson(self) -> None:
        """Open the lesson asked for on the command line (`ivstem preview --lesson`), once.

        The command line checks it against the course when the course loads; one that had
        problems then may have mended them without that lesson, which is said."""
        module_id, lesson_id = self.start_module, self.start_lesson
        self.start_module = self.start_lesson = None
        if self.course is None or (module_id is None and lesson_id is None):
            return
        for module in self.course.modules:
            if module_id not in (None, module.id):
                continue
            lesson = module.lessons[0] if lesson_id is None else module.lesson(lesson_id)
            if lesson is not None:
                await self.go_to(Place(module.id, lesson.id, 0))
                return
        asked = "/".join(x for x in (module_id, lesson_id) if x is not None)
        self.notify(f"The course has no {'lesson' if lesson_id else 'module'} `{asked}`;"
                    " here is the course map.", title="Preview", severity="warning")

    @work(thread=True, exclusive=True, group="watch")
    def watch_course(self) -> None:
        """Reload the course whenever one of its files changes (in a thread of its own).

        File events where the system has them; polling where it does not (some network and
        container file systems), which watchfiles does when asked.
        """
        assert self.course_dir is not None
        for polling in (False, True):
            try:
                for _ in watchfiles.watch(self.course_dir, stop_event=self._stop_watching,
                                          debounce=300, force_polling=polling,
                                          raise_interrupt=False):
                    self.post_message(CourseChanged())
                return
            except (OSError, RuntimeError):
                if polling:
                    self.notify("Cannot watch the course folder; press ctrl+r to reload by"
                                " hand.", severity="warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reloading is a preview's key only (a learner's course does not change under them)."""
        return self.preview if action == "reload" else True

    def action_reload(self) -> None:
        """Read a previewed course's files again, as a save does under --watch; for folders
        that cannot be watched, and for a preview started without --watch."""
        if self.preview and self.course_dir is not None:
            self.on_course_changed()

    def on_course_changed(self) -> None:
        """A file of the course changed: reload it, after the reload under way if any."""
        self._course_changed = True
        if not self._reloading:
            self._reloading = True
            self.run_worker(self._reload_while_changed(), group="reload")

    async def _reload_while_changed(self) -> None:
        """Reload until no file has changed since the last load began.

        One reload at a time, never cancelled: a reload stopped halfway leaves screens
        still mounting, which the next one would take down from under their own mounting.
        Saves during a reload make one more, not one each.
        """
        try:
            while self._course_changed and not self._quit_asked:
                self._course_changed = False
                await self.reload_course()
        finally:
            self._reloading = False
            if self._quit_asked and self.crash_log is None:
                self.exit()

    async def action_quit(self) -> None:
        """Quit; during a reload, as soon as it is done with the screens.

        A screen still mounting when the app exits cannot mount its widgets (Textual raises
        MountError once the app is exiting), so ctrl+q pressed just after a save would end
        the preview as a crash. Pressed again before the reload is done, it quits at once.
        """
        self._stop_watching.set()
        if self._reloading and not self._quit_asked:
            self._quit_asked = True
        else:
            self.exit()

    def on_unmount(self) -> None:
        self._stop_watching.set()
        if self.lrs is not None:
            self.lrs.close()

    async def reload_course(self) -> None:
        """Load the course again and show it in place, or list its problems until mended."""
        from course.material.loader import load_course

        assert self.course_dir is not None
        result = await asyncio.to_thread(load_course, self.course_dir)
        if self._quit_asked:
            return
        if result.course is None:
            self.problems = result.problems
            if isinstance(self.screen, ProblemsScreen):
                await self.screen.show(result.problems)
            else:
                await self.push_screen(ProblemsScreen(result.problems, self.course_dir,
                                                      waiting=True))
            return
        if isinstance(self.screen, ProblemsScreen) and self.course is not None:
            await self.pop_screen()
        first_load = self.course is None
        self.course, self.problems = result.course, []
        if first_load:
            from tui.screens.course_map import CourseMapScreen

            await self.switch_screen(CourseMapScreen())
            self.update_status()
            await self._open_start_lesson()
            return
        await self._rebuild_in_place()
        self.notify("The course was reloaded.", title="Preview", timeout=3)

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
        while len(self.screen_stack) > 1 and not isinstance(self.screen, CourseMapScreen):
            await self.pop_screen()
        if isinstance(self.screen, CourseMapScreen):
            self.screen.refresh_map()
        if place is None:
            return
        module = self.course.module(place.module_id)
        lesson = module.lesson(place.lesson_id) if module else None
        if module is not None and lesson is not None:
            await self.push_screen(LessonScreen(module, lesson, place.step))
        else:
            self.notify(f"The lesson `{place.module_id}/{place.lesson_id}` is no longer in the"
                        " course; here is the course map.", title="Preview", severity="warning")

    # --- links and actions -----------------------------------------------------------------

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
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
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_glossary(self) -> None:
        """Open the glossary (once the course is in: it may still be checked behind the
        welcome)."""
        self.when_loaded(self._open_glossary)

    def _open_glossary(self) -> None:
        from tui.screens.glossary import GlossaryScreen

        if self.course is not None and not isinstance(self.screen, GlossaryScreen):
            self.push_screen(GlossaryScreen(self.course))

    def when_loaded(self, callback: Callable[[], object]) -> None:
        """Call `callback` now if the course has loaded (or failed to), else as soon as it
        has: a key pressed on the welcome while the course is checked behind it is kept.
        Of several such keys, the last is kept, as one screen opens over the welcome."""
        if self.loaded.is_set():
            callback()
        else:
            self.run_worker(self._after_loading(callback), group="after-loading",
                            exclusive=True)

    async def _after_loading(self, callback: Callable[[], object]) -> None:
        await self.loaded.wait()
        callback()

    def action_toggle_contrast(self) -> None:
        """Switch between the high-contrast theme and the learner's other theme."""
        self.theme = self._plain_theme if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    # --- the learner's theme ---------------------------------------------------------------

    def _restore_theme(self) -> None:
        """Put back the theme and contrast the learner chose last time; called while the app is
        built, so that the first frame is drawn in them."""
        try:
            chosen = Profile(self.store, self.learner).preferences()
        except StoreError:
            return  # Textual's theme; the store's trouble is shown once the app is up
        theme = chosen.get(THEME)
        # A theme this Textual no longer has is passed over.
        if theme is not None and theme != HIGH_CONTRAST.name and theme in self.available_themes:
            self.theme = theme
        if chosen.get(HIGH_CONTRAST_ON) == "on":
            self.theme = HIGH_CONTRAST.name

    def watch_theme(self, theme: str) -> None:
        """Keep the learner's choice of theme (with F2 or from the palette) for the next start.

        Only a change made while the app runs is the learner's: one made before (the theme put
        back at start, or set by the code that builds the app) is not kept again.
        """
        if theme != HIGH_CONTRAST.name:
            self._plain_theme = theme
        if self.is_running:
            self.run_worker(self._keep_theme(theme), group="theme", exclusive=True)

    async def _keep_theme(self, theme: str) -> None:
        contrast = theme == HIGH_CONTRAST.name
        values = {HIGH_CONTRAST_ON: "on" if contrast else "off"}
        if not contrast:
            values[THEME] = theme
        try:
            await asyncio.to_thread(Profile(self.store, self.learner).keep_preferences, values)
        except StoreError as exc:
            self.notify(f"{exc} The theme will not be remembered at the next start.",
                        title="Not saved", severity="warning", timeout=10)

    def cite(self, ref_id: str) -> str:
        """A reference's short label (see `course.material.citation`), or its id if none."""
        reference = self.course.reference(ref_id) if self.course else None
        return ref_id if reference is None else short_label(reference)


def make_app(
    course_dir: Path | str | None = None,
    *,
    learner: str | None = None,
    data_dir: Path | str | None = None,
    store: ProgressStore | None = None,
    preview: bool = False,
    watch: bool = False,
    start_module: str | None = None,
    start_lesson: str | None = None,
    start: str | None = None,
) -> IvstemApp:
    """Build the app for a course folder (default: the shipped course) and a learner.

    Without `store`, the learner's store is opened in `data_dir` (or $IVSTEM_DATA_DIR, or the
    user data folder), falling back to memory with a visible warning when it cannot be written.
    `start` ("review" or "dashboard") opens that screen over the map once the course is shown.
    """
    folder = Path(course_dir) if course_dir is not None else shipped_course_dir()
    if store is None:
        store = ProgressStore.open_or_memory(data_dir)
    learner = learner or default_learner_name()
    options: dict[str, Any] = {"course_dir": folder, "preview": preview, "watch": watch,
                               "start_module": start_module, "start_lesson": start_lesson,
                               "start": start,
                               "data_dir": data_dir}
    # Checked course snapshots live beside the learner's progress, never in memory only.
    snapshots = store.path.parent / "snapshots" if store.path is not None else None
    snapshot = find_snapshot(folder, snapshots)
    if snapshot is not None:
        # Checked before and unchanged since: no YAML, no validation and no Markdown parser.
        return IvstemApp(snapshot.course, [], store, learner, intro=Intro(**snapshot.intro),
                         snapshots=snapshots, styled=snapshot.styled, **options)
    from course.material.yaml_source import read_file

    # course.yaml alone, by the format's YAML rules, for the welcome; the rest loads in the app.
    intro = Intro.from_data(read_file(folder / "course.yaml").data)
    return IvstemApp(None, [], store, learner, intro=intro, snapshots=snapshots, **options)
