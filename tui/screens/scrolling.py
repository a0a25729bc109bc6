"""A screen whose main content scrolls, with page keys that scroll it whatever has the focus."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import Mount
from textual.widgets import Input

from tui.screens.base import IvstemScreen

SCROLLS = ("page_down", "page_up", "home", "end", "down", "up")
"""What `action_scroll_body` can do to the body."""


class ScrollingScreen(IvstemScreen[None]):
    """A screen with one scrolling body (`BODY`) that PgUp, PgDn, Home and End always scroll.

    The keys take priority: a focused list or button would otherwise keep them, and the learner
    could not reach the feedback or the last result below it. They apply, and the footer shows
    them, while there is something to scroll. Home and End are left to a text box while one has
    the focus, as they move its cursor there.
    """

    BODY: ClassVar[str] = "#body"
    """The selector of the scrolling body."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "scroll_body('page_down')", "Scroll", key_display="PgUp PgDn",
                priority=True, id="scroll.page_down", tooltip="Scroll the page down (PgUp: up)"),
        Binding("pageup", "scroll_body('page_up')", "Scroll up", show=False, priority=True,
                id="scroll.page_up"),
        Binding("home", "scroll_body('home')", "Top", show=False, priority=True,
                id="scroll.home"),
        Binding("end", "scroll_body('end')", "Bottom", show=False, priority=True,
                id="scroll.end"),
    ]

    @property
    def body(self) -> VerticalScroll:
        """The scrolling body."""
        return self.query_one(self.BODY, VerticalScroll)

    @on(Mount)
    def _follow_the_scroll_bar(self) -> None:
        # The body's scroll bar comes and goes with the content: so do the scroll keys.
        self.watch(self.body, "show_vertical_scrollbar", self.refresh_bindings, init=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The scroll keys apply while the body can scroll; Home and End not in a text box."""
        if action != "scroll_body":
            return True
        if parameters and parameters[0] in ("home", "end") and isinstance(self.focused, Input):
            return False
        bodies = self.query(self.BODY)  # none yet while the screen is being composed
        return bool(bodies) and bodies.first().show_vertical_scrollbar

    def action_scroll_body(self, how: str) -> None:
        """Scroll the body a page down or up, to its top or bottom, or a line down or up."""
        if how not in SCROLLS:
            return
        body = self.body
        if how == "page_down":
            body.scroll_page_down(animate=False)
        elif how == "page_up":
            body.scroll_page_up(animate=False)
        elif how == "home":
            body.scroll_home(animate=False)
        elif how == "end":
            body.scroll_end(animate=False)
        elif how == "down":
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)
