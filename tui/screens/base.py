"""The screens' base classes: `self.app` typed as the ivstem app, which is not imported here.

A screen reads the course, the store and the learner from the app, and the app imports its
screens. Were a screen to import the app to name its type, each would import the other. Here the
app's type is named for the type checker only: at run time a screen knows nothing of the app
module, and `self.app` is simply the app Textual gives every screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual import getters

    from tui.app import IvstemApp

ResultType = TypeVar("ResultType")


class IvstemScreen(Screen[ResultType]):
    """A screen of the ivstem app."""

    if TYPE_CHECKING:
        app = getters.app(IvstemApp)


class IvstemModal(ModalScreen[ResultType]):
    """A modal screen of the ivstem app."""

    if TYPE_CHECKING:
        app = getters.app(IvstemApp)
