"""The glossary: every term, searchable, with its definition."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from course.material.glossary import search
from course.material.model import Course, Term
from tui.screens.base import IvstemScreen


class GlossaryScreen(IvstemScreen[None]):
    """Search box, list of terms and the highlighted term's definition."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Back", id="close-glossary", tooltip="Back to where you were"),
        Binding("slash", "search", "Search", id="search", tooltip="Type to search the glossary"),
    ]
    DEFAULT_CSS = """
    GlossaryScreen #glossary-search { margin: 0 1; }
    GlossaryScreen #glossary-body { height: 1fr; }
    GlossaryScreen #terms { width: 2fr; min-width: 24; }
    GlossaryScreen #definition { width: 3fr; padding: 0 1; }
    GlossaryScreen #term-title { text-style: bold; color: $accent; }
    """

    def __init__(self, course: Course, term_id: str | None = None) -> None:
        super().__init__()
        self.course = course
        self.start_term = term_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search terms and definitions", id="glossary-search")
        with Horizontal(id="glossary-body"):
            yield OptionList(id="terms")
            with VerticalScroll(id="definition"):
                yield Static("", id="term-title", markup=False)
                yield Static("", id="term-aka", classes="muted", markup=False)
                yield Markdown("", id="term-definition", open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.fill("")
        if self.start_term:
            self.select(self.start_term)
            self.query_one("#terms", OptionList).focus()
        else:
            self.query_one(Input).focus()

    def fill(self, query: str) -> None:
        """List the terms the query meets, best first (see `course.material.glossary.search`)."""
        terms = [found.term for found in search(self.course.glossary.terms, query)]
        options = self.query_one("#terms", OptionList)
        options.clear_options()
        for term in terms:
            label = Text(term.term)
            if term.abbr:
                label.append(f" ({term.abbr})", style="dim")
            options.add_option(Option(label, id=term.id))
        if terms:
            options.highlighted = 0
            self.show(terms[0])
        else:
            self.query_one("#term-title", Static).update("No term matches that search.")
            self.query_one("#term-aka", Static).update("")
            self.query_one("#term-definition", Markdown).update("")

    def select(self, term_id: str) -> None:
        """Highlight and show one term."""
        options = self.query_one("#terms", OptionList)
        try:
            options.highlighted = options.get_option_index(term_id)
        except Exception:  # the term is filtered out: clear the search and try again
            self.query_one(Input).value = ""
            self.fill("")
            options.highlighted = options.get_option_index(term_id)
        term = self.course.term(term_id)
        if term is not None:
            self.show(term)

    def show(self, term: Term) -> None:
        """Show a term's definition."""
        title = f"{term.term} ({term.abbr})" if term.abbr else term.term
        self.query_one("#term-title", Static).update(title)
        self.query_one("#term-aka", Static).update(
            "Also called: " + ", ".join(term.aka) if term.aka else "")
        self.query_one("#term-definition", Markdown).update(term.definition)

    @on(Input.Changed, "#glossary-search")
    def _search(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#glossary-search")
    def _to_list(self) -> None:
        self.query_one("#terms", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#terms")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        term = self.course.term(event.option.id or "")
        if term is not None:
            self.show(term)

    def action_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one(Input).focus()

    def action_close(self) -> None:
        """Back to where the learner was."""
        self.dismiss()
