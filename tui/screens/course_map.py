"""The course map: modules in order with their state, their lessons and quiz, and "continue"."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode

from course.record.study import ModuleState, Place
from quizzes.points import percent
from tui.screens.base import IvstemScreen
from tui.screens.welcome import runs_content

if TYPE_CHECKING:
    from course.material.model import Lesson, Module

MARKS = {
    ModuleState.PASSED: "✓",
    ModuleState.IN_PROGRESS: "◐",
    ModuleState.OPEN: "○",
    ModuleState.LOCKED: "⊘",
}


class Target(NamedTuple):
    """What a node of the map opens: a module (its details), a lesson, or a module's quiz."""

    module: Module
    lesson: Lesson | None = None
    quiz: bool = False


class MapTree(Tree[Target]):
    """The map's tree. A title too long for the width is cut with "…", keeping the mark
    before it and the figures after it; the details show it whole."""

    def __init__(self, label: Text, *, id: str) -> None:
        super().__init__(label, id=id)
        # Node id -> the label's title and what follows it, to cut the title alone.
        self.titles: dict[int, tuple[str, str]] = {}

    def add_titled(self, parent: TreeNode[Target], lead: Text, title: str, tail: Text,
                   data: Target, *, expand: bool = False, leaf: bool = False,
                   ) -> TreeNode[Target]:
        """Add a node labelled `lead`, `title`, `tail`, whose title may be cut to fit."""
        label = lead + Text(title) + tail
        node = (parent.add_leaf(label, data=data) if leaf
                else parent.add(label, data=data, expand=expand))
        self.titles[node.id] = (title, tail.plain)
        return node

    def clear(self) -> MapTree:
        """Remove every node, and what was kept of their titles."""
        self.titles.clear()
        super().clear()
        return self

    def render_label(self, node: TreeNode[Target], base_style: Style, style: Style) -> Text:
        """The label, its title cut with "…" when the whole would not fit the width."""
        label = super().render_label(node, base_style, style)
        depth = 0
        parent = node.parent
        while parent is not None and parent is not self.root:
            depth += 1
            parent = parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth
        excess = label.cell_len - room
        known = self.titles.get(node.id)
        if known is None or excess <= 0 or room <= 0:
            return label
        title, tail = known
        end = len(label.plain) - len(tail)
        start = end - len(title)
        keep = max(len(title) - excess - 1, 1)
        head, _, rest = label.divide([start + keep, end])
        head.rstrip()
        head.append("…")
        head.append_text(rest)
        return head


class ActionLine(Static):
    """A line that runs one of the map's actions when clicked anywhere on it. Each action is on
    a key as well; a Button would do the same, but its long stylesheet would be parsed before a
    returning learner's first screen could be drawn."""

    def __init__(self, label: str, action: str, *, id: str, tooltip: str) -> None:
        super().__init__(label, id=id, markup=False)
        self.action = action
        self.tooltip = tooltip

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        await self.app.run_action(self.action, self.screen)


def links(count_text: str | None, records: str | None = None) -> Content:
    """The line under "continue": review (saying how many questions are due, once counted) and
    the dashboard, each a link that can be clicked as well as a key; then, when the lab has an
    LRS and learning records wait to be sent to it, how many."""
    markup = "[@click=screen.review]$review  (r)[/]   [@click=screen.dashboard]Dashboard  (d)[/]"
    if records:
        markup += "   [$text-warning]$records[/]"
    return Content.from_markup(markup, review=count_text or "Review", records=records or "")


LINKS_TOOLTIP = ("Review: answer the questions due for spaced review (r). Dashboard: your"
                 " figures and the completion record (d).")


class CourseMapScreen(IvstemScreen[None]):
    """Every module with its state, share done and best score; lessons and quiz under each."""

    CSS_PATH = "course_map.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "continue", "Continue", id="continue",
                tooltip="Go back to exactly where you left off"),
        Binding("w", "welcome", "About", id="welcome", show=False,
                tooltip="The course summary and disclaimer"),
        Binding("r", "review", "Review", id="review",
                tooltip="Answer the questions due for spaced review"),
        Binding("d", "dashboard", "Dashboard", id="dashboard",
                tooltip="Your figures: scores, time, days in a row, weakest topics"),
    ]

    def compose(self) -> ComposeResult:
        # Few widgets: this is a returning learner's first screen, and each widget costs its
        # styles, layout and rendering before it can be drawn. The screen lays out the lines,
        # the tree and the details in a grid (see course_map.tcss), with no containers.
        yield Header()
        yield ActionLine("Continue where you left off  (c)", "continue", id="continue",
                         tooltip="Go back to exactly where you left off (c)")
        links_line = Static(links(count_text=None), id="map-links")
        links_line.tooltip = LINKS_TOOLTIP
        yield links_line
        tree = MapTree(Text("Modules"), id="modules")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        with VerticalScroll(id="detail"):
            # One Static for all the details, as styled text: the summaries come ready as
            # runs from the course's snapshot, and course text is never read as markup.
            yield Static("", id="detail-text")
        yield Footer()

    #: From this width on, the details stand beside the tree instead of below it.
    WIDE = 110

    def on_mount(self) -> None:
        # The map is filled in on_screen_resume, which follows at once and after every return.
        self.query_one(Tree).focus()
        self.tell_changes()

    @work(exclusive=True, group="changes")
    async def tell_changes(self) -> None:
        """Once the course is in: tell a learner of an earlier edition what changed, once."""
        app = self.app
        await app.loaded.wait()
        if app.course is None:
            return
        changes = app.study.edition_news()
        await app.save(app.study.edition_told)
        if changes is not None:
            from tui.screens.modals import ChangesModal

            self.app.push_screen(ChangesModal(app.course.manifest.version, changes))

    def on_resize(self) -> None:
        self.set_class(self.size.width >= self.WIDE, "-wide")

    def on_screen_resume(self) -> None:
        self.refresh_map()

    def refresh_map(self) -> None:
        """Rebuild the tree from a fresh read of the learner's record."""
        tree = self.query_one(MapTree)
        standings = self.app.standings()
        self._standings = {s.module.id: s for s in standings}
        cursor = tree.cursor_node.data if tree.cursor_node else None
        tree.clear()
        place = self.app.continue_place(standings)
        for number, standing in enumerate(standings, start=1):
            module = standing.module
            lead = Text(f"{MARKS[standing.state]} {number}. ", style="bold")
            share = Text(f"  {percent(standing.share_done)}", style="dim")
            expand = place is not None and place.module_id == module.id
            node = tree.add_titled(tree.root, lead, module.title, share, Target(module),
                                   expand=expand)
            for lesson in module.lessons:
                done = "✓ " if lesson.id in standing.lessons_done else "  "
                tree.add_titled(node, Text(done), lesson.title, Text(),
                                Target(module, lesson), leaf=True)
            if module.quiz is not None:
                quiz = Text("✓ " if standing.state is ModuleState.PASSED else "  ")
                score = Text()
                if standing.best_score is not None:
                    score.append(f"  best {percent(standing.best_score)}", style="dim")
                elif standing.quiz_in_progress:
                    score.append("  in progress", style="dim")
                elif not standing.quiz_open and standing.state is not ModuleState.LOCKED:
                    score.append("  after the lessons", style="dim")
                tree.add_titled(node, quiz, "Module quiz", score, Target(module, quiz=True),
                                leaf=True)
        continue_line = self.query_one("#continue", ActionLine)
        continue_line.disabled = place is None  # nothing left to continue: no hover, no click
        continue_line.update("Continue where you left off  (c)" if place is not None
                             else "Every module is passed: well done")
        self._move_cursor(tree, cursor)
        # After the paint: counting brings in the scheduler and reads every review card.
        self.call_after_refresh(self.show_due)

    @work(exclusive=True, group="due")
    async def show_due(self) -> None:
        """Say on the review link how many questions are due for review now, once the course
        is in; and how many learning records wait for the lab's LRS, if any do."""
        from course.record.review import count_text

        app = self.app
        await app.loaded.wait()
        if app.course is None:
            return
        due = app.study.due_count()
        records = app.records_status()
        line = self.query_one("#map-links", Static)
        line.update(links(count_text(due), records.badge() if records else None))
        said = records.line() if records is not None else None
        line.tooltip = f"{LINKS_TOOLTIP}\nLearning records: {said}" if said else LINKS_TOOLTIP

    def _move_cursor(self, tree: Tree[Target], previous: Target | None) -> None:
        line = 0
        if previous is not None:
            for node in tree.root.children:
                if node.data and node.data.module.id == previous.module.id:
                    line = node.line
        tree.cursor_line = max(line, 0)
        if tree.cursor_node and tree.cursor_node.data:
            self.show_details(tree.cursor_node.data.module)

    @on(Tree.NodeHighlighted, "#modules")
    def _highlighted(self, event: Tree.NodeHighlighted[Target]) -> None:
        if event.node.data is not None:
            self.show_details(event.node.data.module)

    def show_details(self, module: Module) -> None:
        """Show a module's summary, objectives, dates and progress below or beside the tree."""
        standing = self._standings[module.id]
        course = self.app.course
        assert course is not None
        state = f"{MARKS[standing.state]} {standing.state.value.capitalize()}"
        if standing.state is ModuleState.LOCKED:
            state += f". {standing.opens_when}"
        meta = []
        if module.estimated_minutes:
            meta.append(f"About {module.estimated_minutes} minutes")
        if module.reviewed:
            meta.append(f"Facts reviewed {module.reviewed}")
        if module.jurisdiction:
            meta.append("Jurisdiction: " + ", ".join(module.jurisdiction))
        done = len(standing.lessons_done & {lesson.id for lesson in module.lessons})
        progress = [f"Lessons done: {done} of {len(module.lessons)}"]
        if module.quiz is not None:
            mark = percent(course.pass_mark(module))
            if standing.best_score is not None:
                progress.append(f"Best quiz score: {percent(standing.best_score)} "
                                f"(pass mark {mark}, {standing.attempts} attempt"
                                f"{'' if standing.attempts == 1 else 's'})")
            else:
                progress.append(f"Quiz: not taken yet (pass mark {mark})")
            if standing.quiz_opens_when and standing.state is not ModuleState.LOCKED:
                progress.append(standing.quiz_opens_when)
        parts: list[str | tuple[str, str] | Content] = [
            (module.title, "bold $accent"), "\n", (state, "bold"), "\n"]
        if meta:
            parts += [(" · ".join(meta), "$foreground-muted"), "\n"]
        parts.append(runs_content(self.app.styled(module.summary)))
        if module.objectives:
            parts += ["\n\nYou will be able to:",
                      *(f"\n• {objective}" for objective in module.objectives)]
        parts += ["\n\n", "\n".join(progress)]
        self.query_one("#detail-text", Static).update(Content.assemble(*parts))

    @on(Tree.NodeSelected, "#modules")
    def _selected(self, event: Tree.NodeSelected[Target]) -> None:
        target = event.node.data
        if target is None or (target.lesson is None and not target.quiz):
            return  # a module: enter opens and closes it, the details are already shown
        standing = self._standings[target.module.id]
        if standing.state is ModuleState.LOCKED:
            self.notify(standing.opens_when, title="Locked", severity="warning")
            return
        if target.quiz:
            if not standing.quiz_open:
                self.notify(standing.quiz_opens_when, title="Quiz not open yet",
                            severity="warning")
                return
            self.open_place(Place(target.module.id, quiz=True))
            return
        assert target.lesson is not None
        place = self.app.continue_place()
        step = place.step if (place and place.lesson_id == target.lesson.id
                              and place.module_id == target.module.id) else 0
        self.open_place(Place(target.module.id, target.lesson.id, step))

    def action_continue(self) -> None:
        """Open the exact step or quiz question where the learner stopped."""
        place = self.app.continue_place()
        if place is not None:
            self.open_place(place)

    def action_review(self) -> None:
        """Answer the questions due for review (once the course is in)."""
        self.app.when_loaded(self._open_review)

    def _open_review(self) -> None:
        from tui.screens.review import ReviewScreen

        if self.app.course is not None:
            self.app.push_screen(ReviewScreen())

    def action_dashboard(self) -> None:
        """Open the dashboard: figures, charts, weakest topics, the completion record."""
        self.app.when_loaded(self._open_dashboard)

    def _open_dashboard(self) -> None:
        from tui.screens.dashboard import DashboardScreen

        if self.app.course is not None:
            self.app.push_screen(DashboardScreen())

    @work(exclusive=True, group="navigate")
    async def open_place(self, place: Place) -> None:
        """Open a place (in a worker, so the map stays responsive while it loads)."""
        await self.app.go_to(place)

    def action_welcome(self) -> None:
        """Show the course summary and disclaimer again."""
        from tui.screens.welcome import Intro, WelcomeAgainScreen

        app = self.app
        intro = app.intro
        if intro is None and app.course is not None:
            intro = Intro.from_manifest(app.course.manifest)
        if intro is not None:
            self.app.push_screen(WelcomeAgainScreen(intro))
