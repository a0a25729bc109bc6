"""The eight question types of the authoring format, as frozen pydantic models.

Each model checks the rules that make a question answerable (one correct option for `single`,
at least two options, a regex that compiles...). Rules that need the rest of the course, such as
whether a `refs` entry names a real reference, belong to the course validator, not here.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    field_validator,
    model_validator,
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
"""A stable identifier: lowercase letters, digits and single hyphens, e.g. `msc-main-mechanism`."""

Text = Annotated[str, StringConstraints(min_length=1)]
"""Non-empty text (Markdown where the format says so)."""

Scoring = Literal["partial", "all_or_nothing"]


class ContentError(ValueError):
    """A rule broken by authored content, pointing below the field that raised it.

    `at` is a path relative to the field (or model) whose validator raised it, so the course
    validator can report the exact line, for instance the second option marked correct.
    """

    def __init__(self, message: str, *, at: tuple[str | int, ...] = (), hint: str | None = None,
                 key: bool = False):
        super().__init__(message)
        self.message = message
        self.at = at
        self.hint = hint
        self.key = key  # point at the mapping key that `at` ends on, rather than its value


class Model(BaseModel):
    """Base for every content model: immutable, and an unknown field is an error, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class QuestionBase(Model):
    """The fields every question has."""

    id: Slug
    prompt: Text
    explanation: str | None = None
    hint: str | None = None
    points: float = Field(default=1.0, gt=0, allow_inf_nan=False)
    tags: tuple[Text, ...] = ()
    refs: tuple[Slug, ...] = ()


def _no_duplicates(
    values: list[str] | tuple[str, ...], what: str, at: tuple[str | int, ...] = ()
) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        key = value.strip()
        if key in seen:
            raise ContentError(
                f"the {what} {value!r} is written twice; each must be different",
                at=(*at, index),
            )
        seen.add(key)


class Option(Model):
    """One option of a `single` or `multiple` question."""

    text: Text
    correct: StrictBool = False
    feedback: str | None = None


class _OptionsQuestion(QuestionBase):
    options: tuple[Option, ...] = Field(min_length=2)
    shuffle: StrictBool = True

    @field_validator("options")
    @classmethod
    def _distinct_texts(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        _no_duplicates([o.text for o in options], "option text")
        return options

    @property
    def correct_indexes(self) -> tuple[int, ...]:
        """Positions, in authored order, of the options marked correct."""
        return tuple(i for i, o in enumerate(self.options) if o.correct)


class SingleQuestion(_OptionsQuestion):
    """Exactly one option is correct."""

    type: Literal["single"]

    @field_validator("options")
    @classmethod
    def _exactly_one_correct(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        correct = [i for i, o in enumerate(options) if o.correct]
        if not correct:
            raise ContentError(
                "a single question needs one option marked `correct: true`; none is",
                hint="mark the right option with `correct: true`",
            )
        if len(correct) > 1:
            raise ContentError(
                f"a single question has exactly one correct option, but {len(correct)} are"
                " marked correct",
                at=(correct[1], "correct"),
                hint="use type: multiple when more than one answer is right",
                key=True,
            )
        return options


class MultipleQuestion(_OptionsQuestion):
    """One or more options are correct; scored per option unless `all_or_nothing`."""

    type: Literal["multiple"]
    scoring: Scoring = "partial"

    @field_validator("options")
    @classmethod
    def _some_correct(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        if not any(o.correct for o in options):
            raise ContentError(
                "a multiple question needs at least one option marked `correct: true`",
                hint="mark each right option with `correct: true`",
            )
        return options


class TrueFalseFeedback(Model):
    """Feedback shown for each of the two answers."""

    true: str | None = None
    false: str | None = None


class TrueFalseQuestion(QuestionBase):
    """A statement that is either true or false."""

    type: Literal["true_false"]
    answer: StrictBool
    feedback: TrueFalseFeedback | None = None


class ShortQuestion(QuestionBase):
    """A typed answer compared with the accepted answers."""

    type: Literal["short"]
    accept: tuple[Text, ...] = Field(min_length=1)
    match: Literal["normalized", "exact", "regex"] = "normalized"
    ignore_accents: StrictBool = False

    @field_validator("accept")
    @classmethod
    def _no_blank_answers(cls, accept: tuple[str, ...]) -> tuple[str, ...]:
        for index, text in enumerate(accept):
            if not text.strip():
                raise ContentError("an accepted answer is blank, so no typed answer could match it",
                                   at=(index,), hint="remove it or write the answer")
        return accept

    @model_validator(mode="after")
    def _regexes_compile(self) -> ShortQuestion:
        if self.match == "regex":
            for pattern in self.accept:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ContentError(
                        f"the accept pattern {pattern!r} is not a valid regular expression: {exc}",
                        at=("accept", self.accept.index(pattern)),
                        hint="check brackets and backslashes, or use match: normalized",
                    ) from None
        return self


class NumericQuestion(QuestionBase):
    """A number, right when within `tolerance` of `answer`."""

    type: Literal["numeric"]
    answer: float = Field(allow_inf_nan=False)
    tolerance: float = Field(default=0.0, ge=0, allow_inf_nan=False)
    unit: str = ""

    @field_validator("answer", "tolerance", mode="before")
    @classmethod
    def _not_a_bool(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("must be a number, not true or false")
        return value


class OrderQuestion(QuestionBase):
    """Items to put in order; the author writes them in the correct order."""

    type: Literal["order"]
    items: tuple[Text, ...] = Field(min_length=2)
    scoring: Scoring = "all_or_nothing"

    @field_validator("items")
    @classmethod
    def _distinct_items(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        _no_duplicates(items, "item")
        return items


class MatchQuestion(QuestionBase):
    """Pair each left item with its right item; distractors match nothing."""

    type: Literal["match"]
    pairs: tuple[tuple[Text, Text], ...] = Field(min_length=2)
    distractors: tuple[Text, ...] = ()
    scoring: Scoring = "partial"

    @model_validator(mode="after")
    def _distinct_sides(self) -> MatchQuestion:
        _no_duplicates([left for left, _ in self.pairs], "left item", at=("pairs",))
        rights = [right for _, right in self.pairs]
        _no_duplicates(rights, "right item", at=("pairs",))
        _no_duplicates(self.distractors, "distractor", at=("distractors",))
        for index, distractor in enumerate(self.distractors):
            if distractor.strip() in {r.strip() for r in rights}:
                raise ContentError(
                    f"the distractor {distractor!r} is also the right item of a pair",
                    at=("distractors", index),
                )
        return self


class CategorizedItem(Model):
    """One item of a `categorize` question and the category it belongs to."""

    text: Text
    category: Text


class CategorizeQuestion(QuestionBase):
    """Sort items into categories."""

    type: Literal["categorize"]
    categories: tuple[Text, ...] = Field(min_length=2)
    items: tuple[CategorizedItem, ...] = Field(min_length=2)
    scoring: Scoring = "partial"

    @field_validator("categories")
    @classmethod
    def _distinct_categories(cls, categories: tuple[str, ...]) -> tuple[str, ...]:
        _no_duplicates(categories, "category")
        return categories

    @model_validator(mode="after")
    def _items_in_listed_categories(self) -> CategorizeQuestion:
        _no_duplicates([item.text for item in self.items], "item", at=("items",))
        for index, item in enumerate(self.items):
            if item.category not in self.categories:
                listed = ", ".join(self.categories)
                raise ContentError(
                    f"the item {item.text!r} is put in category {item.category!r}, which is not"
                    " listed in `categories`",
                    at=("items", index, "category"),
                    hint=f"use one of: {listed}",
                )
        return self


Question = Annotated[
    SingleQuestion
    | MultipleQuestion
    | TrueFalseQuestion
    | ShortQuestion
    | NumericQuestion
    | OrderQuestion
    | MatchQuestion
    | CategorizeQuestion,
    Field(discriminator="type"),
]
"""Any question, told apart by its `type` field."""

QUESTION_TYPES: tuple[str, ...] = (
    "single",
    "multiple",
    "true_false",
    "short",
    "numeric",
    "order",
    "match",
    "categorize",
)
