"""Shown for the moment it takes to read and check the course."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tui.screens.base import IvstemScreen


class LoadingScreen(IvstemScreen[None]):
    """"Opening the course..." until the course has loaded."""

    DEFAULT_CSS = """
    LoadingScreen Static { width: 100%; height: 1fr; content-align: center middle; }
    """

    def compose(self) -> ComposeResult:
        # No header: this screen is often replaced before a header would finish mounting.
        yield Static("Opening the course...", markup=False)
