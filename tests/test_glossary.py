"""Glossary search: one ranking, the same in the app's glossary and the plain mode's `g`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from course.material.glossary import Fit, look_up, search
from course.material.loader import load_course
from course.material.model import Course, Term
from course.paths import shipped_course_dir
from tui.app import make_app
from tui.commands import CourseCommands
from tui.plain.run import Start, run_plain
from tui.screens.glossary import GlossaryScreen


def term(id: str, name: str, definition: str, abbr: str | None = None,
         aka: tuple[str, ...] = ()) -> Term:
    return Term(id=id, term=name, abbr=abbr, aka=aka, definition=definition)


TERMS = [
    term("control-group", "Control group", "People who get a placebo instead."),
    term("placebo", "Placebo", "A dummy treatment."),
    term("placebo-effect", "Placebo effect", "Feeling better after a dummy treatment."),
    term("nocebo", "Nocebo", "Harm expected, as opposed to a placebo's good."),
    term("msc", "Mesenchymal stromal cell", "A cell grown from tissue.", abbr="MSC",
         aka=("mesenchymal stem cell",)),
    term("rct", "Randomised controlled trial", "Compares treated with untreated people.",
         abbr="RCT"),
]


def ranked(query: str) -> list[tuple[str, Fit]]:
    return [(found.term.id, found.fit) for found in search(TERMS, query)]


def test_an_exact_name_comes_first_then_names_that_begin_with_the_query() -> None:
    assert ranked("placebo") == [("placebo", Fit.EXACT), ("placebo-effect", Fit.PREFIX),
                                 ("control-group", Fit.DEFINITION), ("nocebo", Fit.DEFINITION)]


def test_names_containing_the_query_come_before_definitions_containing_it() -> None:
    assert ranked("control") == [("control-group", Fit.PREFIX), ("rct", Fit.NAME)]


def test_abbreviations_and_other_names_count_as_names() -> None:
    assert ranked("msc")[0] == ("msc", Fit.EXACT)
    assert ranked("  Mesenchymal   STEM ") == [("msc", Fit.PREFIX)]


def test_within_a_fit_terms_are_alphabetical_and_an_empty_query_lists_them_all() -> None:
    assert [found.term.term for found in search(TERMS, "")] == sorted(
        (t.term for t in TERMS), key=str.casefold)
    assert ranked("dummy") == [("placebo", Fit.DEFINITION), ("placebo-effect", Fit.DEFINITION)]


def test_a_query_that_meets_nothing_finds_nothing() -> None:
    assert ranked("xylophone") == []


@pytest.fixture(scope="module")
def shipped() -> Course:
    course = load_course(shipped_course_dir()).course
    assert course is not None
    return course


async def test_the_apps_glossary_lists_the_term_named_first(shipped: Course) -> None:
    app = make_app(shipped_course_dir(), learner="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.loaded.wait()
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        assert app.screen.query_one(Input).has_focus
        await pilot.press(*"placebo")
        await pilot.pause()
        options = app.screen.query_one("#terms", OptionList)
        shown = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert shown == [found.term.id for found in search(shipped.glossary.terms, "placebo")]
        assert shown[0] == "placebo" and "control-group" in shown[1:]
        assert "Placebo" in str(app.screen.query_one("#term-title").render())


async def test_the_palette_finds_terms_by_their_names_in_the_glossarys_order(
        shipped: Course) -> None:
    app = make_app(shipped_course_dir(), learner="ana")
    async with app.run_test(size=(80, 24)):
        await app.loaded.wait()
        commands = CourseCommands(app.screen)

        async def terms(query: str) -> list[str | None]:
            hits = sorted([hit async for hit in commands.search(query)],
                          key=lambda hit: hit.score, reverse=True)  # as the palette lists them
            return [hit.text for hit in hits if hit.help == "Glossary term"]

        assert await terms("masking") == ["Blinding"]  # another name of the term
        assert await terms("graft") == ["Graft-versus-host disease (GVHD)", "Engraftment"]
        # The terms whose definitions alone mention a placebo are for the glossary's search.
        assert await terms("placebo") == ["Placebo"]
        named = [found.term for found in search(shipped.glossary.terms, "cell")
                 if found.fit is not Fit.DEFINITION]
        assert await terms("cell") == [
            f"{term.term} ({term.abbr})" if term.abbr else term.term for term in named]


def test_the_plain_glossary_offers_the_terms_in_the_same_ranking(tmp_path: Path) -> None:
    start = Start(course_dir=shipped_course_dir(), learner="ana",
                              data_dir=str(tmp_path))
    stdout = io.StringIO()
    run_plain(start, stdin=io.StringIO("g graft\ng plac\ng placebo\nq\n"), stdout=stdout)
    out = " ".join(stdout.getvalue().split())
    # A name that begins with the query before one that only contains it.
    assert ("Several terms match “graft”: Graft-versus-host disease, Engraftment. Type g and"
            " one of them.") in out
    assert out.count("Glossary: Placebo A dummy treatment") == 2


def test_looking_a_term_up_offers_the_one_named_else_the_names_else_the_definitions() -> None:
    assert [t.id for t in look_up(TERMS, "Placebo")] == ["placebo"]
    assert [t.id for t in look_up(TERMS, "plac")] == ["placebo", "placebo-effect"]
    assert [t.id for t in look_up(TERMS, "dummy")] == ["placebo", "placebo-effect"]
    assert [t.id for t in look_up(TERMS, "rct")] == ["rct"]
