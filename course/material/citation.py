"""The short label a reference is cited by: its `short`, or its authors (or organisation) and
year, taken from the citation without cutting inside a name or an abbreviation."""

from __future__ import annotations

import re

from course.material.model import Reference

#: One author as medicine cites them: a surname, then up to three initials (`Le Blanc K`).
_AUTHOR = r"[^\W\d_][\w'’-]*(?: [\w'’-]+)*? [A-Z]{1,3}"
#: The authors at the start of a citation, up to the full stop that ends them.
_AUTHORS = re.compile(rf"({_AUTHOR}(?:, {_AUTHOR})*)(, et al)?\.(?:\s|$)")

#: Words after which a full stop does not end the sentence (`St. Jude`, `et al.`, `No. 5`).
_ABBREVIATIONS = frozenset({"st", "dr", "mr", "mrs", "ms", "prof", "jr", "sr", "no", "nos",
                            "vol", "dept", "univ", "al", "eg", "ie", "vs", "pub", "stat"})
#: Words that end a company's name with a full stop, which then belongs to the name.
_COMPANIES = frozenset({"inc", "ltd", "co", "corp", "llc", "plc"})

_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")

#: The longest label made from a citation; a longer one is cut at a word, with "…".
LONGEST = 60


def first_sentence(text: str) -> str:
    """The text up to the first full stop that ends a sentence, not an abbreviation.

    A stop after a single letter (`U.S.`), a known abbreviation (`No.`) or inside brackets
    does not count; after a company's `Inc.` it does, and the stop is kept.
    """
    for stop in re.finditer(r"\.(?=\s|$)", text):
        before = text[:stop.start()]
        if before.count("(") > before.count(")"):
            continue
        word = before.rsplit(maxsplit=1)[-1] if before.strip() else ""
        last = word.rsplit(".", 1)[-1].casefold()
        if last in _COMPANIES:
            if text[stop.end():].lstrip()[:1].islower():  # `Acme, Inc. v. United States`
                continue
            return text[:stop.end()]
        if len(last) <= 1 or last in _ABBREVIATIONS:
            continue
        return before
    return text.rstrip(".")


def shortened(text: str, longest: int = LONGEST) -> str:
    """`text`, or when longer than `longest`, cut after a whole word and ended with "…"."""
    if len(text) <= longest:
        return text
    cut = text[:longest].rsplit(" ", 1)[0].rstrip(" ,;:(")
    return f"{cut}…"


def _surname(author: str) -> str:
    """`Le Blanc K` -> `Le Blanc`."""
    return author.rsplit(" ", 1)[0]


def who(citation: str) -> str:
    """Who the work is by: the first author's surname (with the second, or "et al."), or the
    organisation that is the citation's first sentence (cut at a word if it is long)."""
    citation = " ".join(citation.split())
    authors = _AUTHORS.match(citation)
    if authors is not None:
        names = authors.group(1).split(", ")
        if len(names) == 1 and not authors.group(2):
            return _surname(names[0])
        if len(names) == 2 and not authors.group(2):
            return f"{_surname(names[0])} and {_surname(names[1])}"
        return f"{_surname(names[0])} et al."
    return shortened(first_sentence(citation))


def short_label(reference: Reference) -> str:
    """The label to cite `reference` by: `short` as written, or who and the year."""
    if reference.short:
        return reference.short
    year = reference.year
    if year is None:
        found = _YEAR.search(reference.citation)
        year = int(found.group()) if found else None
    name = who(reference.citation)
    return f"{name}, {year}" if year is not None else name
