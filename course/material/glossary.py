"""Searching the glossary: one ranking for every interface (the app's glossary, the plain mode).

A learner who types "placebo" wants the term Placebo, not every term whose definition mentions
a placebo. So the terms are ranked by how the query meets them: a term named exactly by it
first, then one whose name begins with it, then one whose name contains it, and last one whose
definition does. A term's names are its term, its abbreviation, its other names and its id.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from typing import NamedTuple

from course.material.model import Term


class Fit(IntEnum):
    """How a query meets a term, best first."""

    EXACT = 0  # a name is the query
    PREFIX = 1  # a name begins with it
    NAME = 2  # a name contains it
    DEFINITION = 3  # only the definition contains it


class Found(NamedTuple):
    """A term the query meets, and how."""

    term: Term
    fit: Fit


def names(term: Term) -> tuple[str, ...]:
    """Every name a term can be looked up by."""
    return (term.term, *((term.abbr,) if term.abbr else ()), *term.aka, term.id)


def fit(term: Term, query: str) -> Fit | None:
    """How `query` meets `term` (case and surrounding space aside), or None when it does not."""
    wanted = " ".join(query.casefold().split())
    spelled = [" ".join(name.casefold().split()) for name in names(term)]
    if any(name == wanted for name in spelled):
        return Fit.EXACT
    if any(name.startswith(wanted) for name in spelled):
        return Fit.PREFIX
    if any(wanted in name for name in spelled):
        return Fit.NAME
    if wanted in " ".join(term.definition.casefold().split()):
        return Fit.DEFINITION
    return None


def search(terms: Iterable[Term], query: str) -> list[Found]:
    """The terms `query` meets, best fit first and alphabetically within a fit; every term,
    alphabetically, for an empty query."""
    ranked = []
    for term in terms:
        found = fit(term, query) if query.strip() else Fit.EXACT
        if found is not None:
            ranked.append(Found(term, found))
    return sorted(ranked, key=lambda f: (f.fit, f.term.term.casefold()))


def look_up(terms: Iterable[Term], query: str) -> list[Term]:
    """The terms to offer someone who names one (the plain mode's `g TERM`), ranked as `search`
    ranks them: the term named exactly when there is just one, else the terms whose names meet
    the query, else those whose definitions do."""
    found = search(terms, query)
    exact = [f.term for f in found if f.fit is Fit.EXACT]
    if len(exact) == 1:
        return exact
    named = [f.term for f in found if f.fit is not Fit.DEFINITION]
    return named or [f.term for f in found]
