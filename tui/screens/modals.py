"""Small windows over the current screen: a glossary term, a reference, a web address, what
changed in a new edition."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Button, Markdown, Static

from course.material.model import Reference, Term
from course.record.edition import PROGRESS_KEPT
from tui.screens.base import IvstemModal


class _Modal(IvstemModal[None]):
    """A box in the middle of the screen; escape, enter or the button closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="close"),
        Binding("enter", "close", "Close", show=False),
    ]
    DEFAULT_CSS = """
    _Modal { align: center middle; }
    _Modal > VerticalScroll {
        width: 70;
        max-width: 95%;
        height: auto;
        max-height: 80%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    _Modal .modal-title { text-style: bold; color: $accent; }
    _Modal Button { margin-top: 1; }
    """

    def action_close(self) -> None:
        """Close and return to exactly where the learner was."""
        self.dismiss()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss()


class TermModal(_Modal):
    """A glossary term's definition."""

    def __init__(self, term: Term) -> None:
        super().__init__()
        self.term = term

    def compose(self) -> ComposeResult:
        term = self.term
        title = f"{term.term} ({term.abbr})" if term.abbr else term.term
        with VerticalScroll():
            yield Static(title, classes="modal-title", markup=False)
            if term.aka:
                yield Static("Also called: " + ", ".join(term.aka), classes="muted",
                             markup=False)
            yield Markdown(term.definition, open_links=False)
            yield Button("Close  (esc)", variant="primary")


class ReferenceModal(_Modal):
    """A reference's full citation."""

    def __init__(self, reference: Reference) -> None:
        super().__init__()
        self.reference = reference

    def compose(self) -> ComposeResult:
        reference = self.reference
        with VerticalScroll():
            yield Static(f"Source ({reference.kind})", classes="modal-title", markup=False)
            yield Static(reference.citation, markup=False)
            if reference.url:
                yield Static(f"Address: {reference.url}", classes="muted", markup=False)
            yield Button("Close  (esc)", variant="primary")


class ChangesModal(_Modal):
    """What changed in a new edition of the course, for a learner of an earlier one."""

    def __init__(self, version: str, changes: str) -> None:
        super().__init__()
        self.version = version
        self.changes = changes

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(f"What changed in this edition ({self.version})", classes="modal-title",
                         markup=False)
            yield Markdown(self.changes, open_links=False)
            yield Static(PROGRESS_KEPT, classes="muted", markup=False)
            yield Button("Close  (esc)", variant="primary")


class UrlModal(_Modal):
    """A web address, shown to copy: the course never opens a browser or the network."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Web address", classes="modal-title", markup=False)
            yield Static(self.url, markup=False)
            yield Static("ivstem works offline and opens nothing itself; copy the address to"
                         " visit it.", classes="muted", markup=False)
            yield Button("Close  (esc)", variant="primary")


class LinksModal(_Modal):
    """Every glossary term and source linked from what is on screen, to open from the keyboard."""

    def __init__(self, links: list[tuple[str, str, str]]) -> None:
        """`links` holds (kind, id, label): kind is "glossary" or "ref"."""
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        from rich.text import Text
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        with VerticalScroll():
            yield Static("Terms and sources on this step", classes="modal-title", markup=False)
            if not self.links:
                yield Static("Nothing on this step links to the glossary or a source.",
                             markup=False)
            else:
                options = [Option(Text(("Term: " if kind == "glossary" else "Source: ") + label),
                                  id=f"{kind}:{ident}")
                           for kind, ident, label in self.links]
                yield OptionList(*options, id="links")
            yield Button("Close  (esc)", variant="primary")

    def on_mount(self) -> None:
        if self.links:
            self.query_one("#links").focus()

    def on_option_list_option_selected(self, event: object) -> None:
        from textual.widgets import OptionList

        assert isinstance(event, OptionList.OptionSelected)
        href = event.option.id or ""
        course = self.app.course
        if course is None:
            return
        kind, _, ident = href.partition(":")
        if kind == "glossary" and (term := course.term(ident)) is not None:
            self.app.push_screen(TermModal(term))
        elif kind == "ref" and (reference := course.reference(ident)) is not None:
            self.app.push_screen(ReferenceModal(reference))


def links_in(texts: list[str], refs: tuple[str, ...], course: object) -> list[tuple[str, str, str]]:
    """The glossary and reference links in some Markdown texts, plus `refs`, each once."""
    from course.material.model import Course
    from course.material.rules import LINK

    assert isinstance(course, Course)
    found: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()
    wanted = [(m.group("scheme"), m.group("target")) for text in texts
              for m in LINK.finditer(text)] + [("ref", r) for r in refs]
    for kind, ident in wanted:
        if (kind, ident) in seen:
            continue
        if kind == "glossary" and (term := course.term(ident)) is not None:
            seen.add((kind, ident))
            found.append((kind, ident, term.term))
        elif kind == "ref" and (reference := course.reference(ident)) is not None:
            seen.add((kind, ident))
            found.append((kind, ident, reference.citation))
    return found
