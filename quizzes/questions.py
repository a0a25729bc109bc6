"""The eight question types of the authoring format, as frozen dataclasses that pydantic checks.

Each model checks the rules that make a question answerable (one correct option for `single`,
at least two options, a regex that compiles...). Rules that need the rest of the course, such as
whether a `refs` entry names a real reference, belong to the course validator, not here.

The models are plain dataclasses: pydantic validates content into them (`validated`), but a
course that was already checked can be read back, and used, without pydantic being imported.
The constraints pydantic applies are `Rule`s in the fields' annotations.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar, dataclass_transform

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, TypeAdapter
    from pydantic_core import CoreSchema

T = TypeVar("T")


class Rule:
    """A constraint for pydantic to apply when it validates content, written where it applies.

    `Rule(min_length=2)` takes what pydantic's `Field` takes; `Rule("AfterValidator", check)`
    names another of pydantic's annotations (`Tag`, `Discriminator`, `BeforeValidator`...)
    and its arguments. pydantic is imported only when a schema is built.
    """

    def __init__(self, kind: str = "Field", /, *args: Any, **kwargs: Any) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs

    def __repr__(self) -> str:
        return f"Rule({self.kind!r}, *{self.args!r}, **{self.kwargs!r})"

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler
                                     ) -> CoreSchema:
        import pydantic

        made = getattr(pydantic, self.kind)(*self.args, **self.kwargs)
        own = getattr(made, "__get_pydantic_core_schema__", None)
        if own is not None:
            schema: CoreSchema = own(source, handler)
            return schema
        return handler(Annotated[source, made])


_ADAPTERS: dict[object, TypeAdapter[Any]] = {}


def adapter(model: Any) -> TypeAdapter[Any]:
    """pydantic's validator for a model (or a union of models), built once."""
    found = _ADAPTERS.get(model)
    if found is None:
        from pydantic import TypeAdapter

        found = _ADAPTERS[model] = TypeAdapter(model)
    return found


def validated(model: type[T], data: Any) -> T:
    """`data` (parsed YAML or JSON) checked against `model`, as an instance of it.

    Raises pydantic's ValidationError; the course loader turns its errors into located problems.
    """
    result: T = adapter(model).validate_python(data)
    return result


Slug = Annotated[str, Rule(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
"""A stable identifier: lowercase letters, digits and single hyphens, e.g. `msc-main-mechanism`."""

Text = Annotated[str, Rule(min_length=1)]
"""Non-empty text (Markdown where the format says so)."""

StrictBool = Annotated[bool, Rule(strict=True)]
"""true or false, and nothing that could be read as either."""

Finite = Annotated[float, Rule(allow_inf_nan=False)]
"""A number that is neither infinite nor not-a-number."""


def _written_as_number(error_type: str) -> Rule:
    """A check that a number was written as one. pydantic would read true as 1 and the text
    "55" as 55; the JSON Schema (and so an author's editor) refuses both, and so do we."""

    def check(value: object) -> object:
        if isinstance(value, bool | str):
            from pydantic_core import PydanticKnownError

            raise PydanticKnownError(error_type)  # type: ignore[arg-type]
        return value

    return Rule("BeforeValidator", check)


Number = Annotated[Finite, _written_as_number("float_type")]
"""A finite number written as one: true, false and numbers in quotes are refused."""

WholeNumber = Annotated[int, _written_as_number("int_type")]
"""A whole number written as one: true, false and numbers in quotes are refused."""

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


@dataclass_transform(frozen_default=True, kw_only_default=True)
def content_model(cls: type[T]) -> type[T]:
    """Make `cls` a content model: a frozen dataclass whose fields are named when it is made.

    Its methods are `Model`'s, written once. A frozen dataclass has six methods generated and
    compiled for it as it is defined, about half a millisecond a class; the model has over thirty
    classes, and every start that reads a course defines them all.
    """
    return dataclass(init=False, repr=False, eq=False, kw_only=True)(cls)


@content_model
class Model:
    """Base for every content model: immutable, every field named when made, and an unknown
    field in content is an error, not ignored.

    Made, compared, hashed and shown as a frozen dataclass would be: by keyword, by class and by
    every field in order. pydantic (which checks content into a model) and pickle (which reads
    a snapshot back) fill in the fields themselves, without `__init__`.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    def __init__(self, **values: Any) -> None:
        for f in fields(self):
            if f.name in values:
                value = values.pop(f.name)
            elif f.default is not MISSING:
                value = f.default
            elif f.default_factory is not MISSING:
                value = f.default_factory()
            else:
                raise TypeError(f"{type(self).__qualname__}() is missing the field {f.name!r}")
            object.__setattr__(self, f.name, value)
        if values:
            raise TypeError(f"{type(self).__qualname__}() has no field {next(iter(values))!r}")
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Model)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
        return f"{type(self).__qualname__}({shown})"


@content_model
class QuestionBase(Model):
    """The fields every question has."""

    id: Slug
    prompt: Text
    explanation: str | None = None
    hint: str | None = None
    points: Annotated[Number, Rule(gt=0)] = 1.0
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


CREDIT_SLACK = 0.01
"""How far from 1 the credits of a `multiple` question's correct options may add up: Moodle
writes a third as 33.33333%, and three of them make 0.9999999."""


def share(value: float) -> str:
    """A credit as a percentage for authors and learners: `50%`, `33.3%`, `-100%`."""
    return f"{value * 100:.3g}%"


@content_model
class Option(Model):
    """One option of a `single` or `multiple` question.

    `credit` is the share of the question's points that choosing the option earns (Moodle's
    answer fraction); unset, a correct option earns its part and any other nothing.
    """

    text: Text
    correct: StrictBool = False
    feedback: str | None = None
    credit: Annotated[Number, Rule(ge=-1, le=1)] | None = None


def _distinct_texts(options: tuple[Option, ...]) -> tuple[Option, ...]:
    _no_duplicates([o.text for o in options], "option text")
    return options


Options = Annotated[tuple[Option, ...], Rule(min_length=2), Rule("AfterValidator", _distinct_texts)]


@content_model
class _OptionsQuestion(QuestionBase):
    options: Options
    shuffle: StrictBool = True

    @property
    def correct_indexes(self) -> tuple[int, ...]:
        """Positions, in authored order, of the options marked correct."""
        return tuple(i for i, o in enumerate(self.options) if o.correct)


def _exactly_one_correct(options: tuple[Option, ...]) -> tuple[Option, ...]:
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
    for index, option in enumerate(options):
        credit = option.credit
        if credit is None:
            continue
        at = (index, "credit")
        if option.correct and credit != 1:
            raise ContentError(
                f"the correct option of a single question earns full credit, so its `credit`"
                f" is 1, not {credit:g}",
                at=at, hint="remove `credit` from the correct option (or write `credit: 1`)")
        if not option.correct and credit < 0:
            raise ContentError(
                f"a single question never scores below 0, so an option's `credit` cannot be"
                f" {credit:g}",
                at=at, hint="write `credit: 0` or remove it; negative credit, which takes"
                " points back, works in multiple questions only")
        if not option.correct and credit >= 1:
            raise ContentError(
                "an option not marked correct cannot earn full credit; a single question has"
                " one correct option",
                at=at, hint="give it part of the points, e.g. `credit: 0.5`, or use type:"
                " multiple if both are right")
    return options


@content_model
class SingleQuestion(_OptionsQuestion):
    """Exactly one option is correct."""

    type: Literal["single"]
    options: Annotated[Options, Rule("AfterValidator", _exactly_one_correct)]


def _some_correct(options: tuple[Option, ...]) -> tuple[Option, ...]:
    if not any(o.correct for o in options):
        raise ContentError(
            "a multiple question needs at least one option marked `correct: true`",
            hint="mark each right option with `correct: true`",
        )
    if any(o.credit is not None for o in options):
        _credits_add_up(options)
    return options


def _credits_add_up(options: tuple[Option, ...]) -> None:
    """The rules of a `multiple` question scored by its options' credits."""
    correct = [i for i, o in enumerate(options) if o.correct]
    given = [options[i].credit for i in correct if options[i].credit is not None]
    for index, option in enumerate(options):
        credit = option.credit
        if option.correct and credit is None:
            left = 1 - sum(c for c in given if c is not None)
            missing = sum(1 for i in correct if options[i].credit is None)
            if left > 0:
                hint = (f"add `credit: {left / missing:.4g}` so the correct options' credits"
                        " add up to 1")
            else:
                hint = (f"add a `credit` to it, and make the correct options' credits add up to"
                        f" 1 (e.g. {1 / len(correct):.4g} each)")
            raise ContentError(
                "when options have a `credit`, each option marked correct needs one (its share"
                " of the points)",
                at=(index,), hint=hint)
        if option.correct and credit is not None and credit <= 0:
            left = 1 - sum(options[i].credit or 0.0 for i in correct if i != index)
            if left > 0:
                hint = (f"give it the share the other correct options leave, `credit:"
                        f" {left:.4g}`, or remove `correct: true` if choosing it is a mistake")
            else:
                hint = ("remove `correct: true`: the other correct options already earn all"
                        " the points")
            raise ContentError(
                f"an option marked correct earns a share of the points, so its `credit` is more"
                f" than 0, not {credit:g}",
                at=(index, "credit"), hint=hint)
        if not option.correct and credit is not None and credit > 0:
            raise ContentError(
                f"an option not marked correct earns nothing or takes points back, so its"
                f" `credit` is 0 or less, not {credit:g}",
                at=(index, "credit"), hint="write `credit: 0`, or a negative share such as"
                " `credit: -0.5`; or mark it `correct: true` if choosing it is right")
    total = sum(options[i].credit or 0.0 for i in correct)
    if abs(total - 1) > CREDIT_SLACK:
        fixed = ", ".join(f"`credit: {(options[i].credit or 0.0) / total:.4g}`" for i in correct)
        raise ContentError(
            f"the credits of the options marked correct add up to {total:.4g}; choosing every"
            " correct option earns all the points, so they add up to 1",
            at=(correct[-1], "credit"),
            hint=f"make them add up to 1, for example, in order: {fixed}")


@content_model
class MultipleQuestion(_OptionsQuestion):
    """One or more options are correct; scored per option unless `all_or_nothing`."""

    type: Literal["multiple"]
    options: Annotated[Options, Rule("AfterValidator", _some_correct)]
    scoring: Scoring = "partial"

    def __post_init__(self) -> None:
        if self.by_credit and self.scoring == "all_or_nothing":
            raise ContentError(
                "`scoring: all_or_nothing` gives all the points or none, so the options'"
                " `credit` would never count",
                at=("scoring",), key=True,
                hint="remove `scoring: all_or_nothing` (credits are partial scoring), or remove"
                " every option's `credit`")

    @property
    def by_credit(self) -> bool:
        """True when the options' credits set the score (any option has a `credit`)."""
        return any(o.credit is not None for o in self.options)


#: YAML's ways of writing the two booleans, as keys of a true/false question's `feedback`.
BOOLEAN_KEYS = {"true": ("true", "True", "TRUE"), "false": ("false", "False", "FALSE")}


def _boolean_key_patterns(schema: dict[str, Any]) -> None:
    # A key written `true:` is the boolean true to YAML tools: check-jsonschema hands it on as
    # "True" and yaml-language-server as a boolean that no `properties` name matches, so each
    # spelling is allowed by a pattern too (yaml-language-server tests patterns on any key).
    properties = schema.get("properties", {})
    schema["patternProperties"] = {
        f"^({'|'.join(spellings)})$": properties[name]
        for name, spellings in BOOLEAN_KEYS.items() if name in properties
    }


@content_model
class TrueFalseFeedback(Model):
    """Feedback shown for each of the two answers."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        **Model.__pydantic_config__, "json_schema_extra": _boolean_key_patterns}

    true: str | None = None
    false: str | None = None


def _boolean_keys(value: object) -> object:
    """`feedback` with its keys read as YAML reads them: `True:` and `TRUE:` are `true:`."""
    if not isinstance(value, dict):
        return value
    names = {spelling: name for name, spellings in BOOLEAN_KEYS.items() for spelling in spellings}
    renamed: dict[object, object] = {}
    for key, text in value.items():
        if isinstance(key, bool):
            name: object = "true" if key else "false"
        else:
            name = names.get(key, key) if isinstance(key, str) else key
        if name in renamed:
            raise ContentError(f"the feedback for `{name}` is written twice", at=(str(key),),
                               hint="keep one of them", key=True)
        renamed[name] = text
    return renamed


@content_model
class TrueFalseQuestion(QuestionBase):
    """A statement that is either true or false."""

    type: Literal["true_false"]
    answer: StrictBool
    feedback: Annotated[TrueFalseFeedback | None, Rule("BeforeValidator", _boolean_keys)] = None


@content_model
class AcceptedText(Model):
    """An accepted answer of a `short` question written as a mapping, with its credit and
    feedback (an entry written as plain text earns full credit and has none)."""

    text: Text
    credit: Annotated[Number, Rule(gt=0, le=1)] = 1.0
    feedback: str | None = None


@content_model
class WrongText(Model):
    """A wrong answer a `short` question expects: typed, it earns nothing and its feedback is
    shown, so a common mistake gets its own correction."""

    text: Text
    feedback: str | None = None


def _accept_kind(value: object) -> str:
    return "entry" if isinstance(value, dict | AcceptedText) else "accept"


AcceptEntry = Annotated[
    Annotated[Text, Rule("Tag", "accept")] | Annotated[AcceptedText, Rule("Tag", "entry")],
    Rule("Discriminator", _accept_kind),
]
"""An `accept` entry: the answer's text, or a mapping `{text, credit, feedback}`."""


def _entry_text(entry: str | AcceptedText) -> str:
    return entry.text if isinstance(entry, AcceptedText) else entry


def _entry_at(entry: str | AcceptedText, index: int) -> tuple[str | int, ...]:
    return (index, "text") if isinstance(entry, AcceptedText) else (index,)


def _no_blank_answers(accept: tuple[str | AcceptedText, ...]) -> tuple[str | AcceptedText, ...]:
    for index, entry in enumerate(accept):
        if not _entry_text(entry).strip():
            raise ContentError("an accepted answer is blank, so no typed answer could match it",
                               at=_entry_at(entry, index), hint="remove it or write the answer")
    return accept


@content_model
class ShortQuestion(QuestionBase):
    """A typed answer compared with the accepted answers (and the expected wrong ones)."""

    type: Literal["short"]
    accept: Annotated[tuple[AcceptEntry, ...], Rule(min_length=1),
                      Rule("AfterValidator", _no_blank_answers)]
    match: Literal["normalized", "exact", "regex"] = "normalized"
    ignore_accents: StrictBool = False
    allow_typo: StrictBool | None = None
    """One typing slip forgiven in each accepted word of six letters or more (`normalized` only).

    None follows the course's `settings.allow_typo` (off unless the course turns it on).
    """
    wrong: tuple[WrongText, ...] = ()

    def __post_init__(self) -> None:
        if self.allow_typo and self.match != "normalized":
            raise ContentError(
                f"allow_typo works with match: normalized only, not with match: {self.match}",
                at=("allow_typo",),
                hint="remove allow_typo, or use match: normalized",
                key=True,
            )
        if not any(entry.credit >= 1 for entry in self.accepted):
            raise ContentError(
                "no accepted answer earns full credit; the one that is fully right has credit 1"
                " (the default)",
                at=("accept",), key=True,
                hint="remove `credit` from the entry of the answer that is fully right")
        if self.match == "regex":
            written = [(("accept", *_entry_at(entry, index)), _entry_text(entry))
                       for index, entry in enumerate(self.accept)]
            written += [(("wrong", index, "text"), entry.text)
                        for index, entry in enumerate(self.wrong)]
            for at, pattern in written:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ContentError(
                        f"the {at[0]} pattern {pattern!r} is not a valid regular expression:"
                        f" {exc}",
                        at=at,
                        hint="check brackets and backslashes, or use match: normalized",
                    ) from None

    @property
    def accepted(self) -> tuple[AcceptedText, ...]:
        """Every accepted answer with its credit and feedback, however it was written."""
        return tuple(entry if isinstance(entry, AcceptedText) else AcceptedText(text=entry)
                     for entry in self.accept)


@content_model
class AcceptedNumber(Model):
    """One number a `numeric` question accepts under `answers`, with its tolerance, credit and
    feedback."""

    answer: Number
    tolerance: Annotated[Number, Rule(ge=0)] = 0.0
    credit: Annotated[Number, Rule(gt=0, le=1)] = 1.0
    feedback: str | None = None


def _written(value: object) -> object:
    # Optional, but not empty when written: `answer:` with no number is a number missing.
    if value is None:
        from pydantic_core import PydanticCustomError

        raise PydanticCustomError("float_type", "Input should be a valid number")
    return value


@content_model
class NumericQuestion(QuestionBase):
    """A number, right when within `tolerance` of `answer`."""

    type: Literal["numeric"]
    answer: Annotated[Number | None, Rule("BeforeValidator", _written),
                      Rule("WithJsonSchema", {"type": "number"})] = None
    """None when the question lists its numbers under `answers`; `full_credit` is the one to
    read."""
    tolerance: Annotated[Number, Rule(ge=0)] = 0.0
    unit: str = ""
    answers: Annotated[tuple[AcceptedNumber, ...], Rule(min_length=1)] = ()

    # For editors: the schema says what __post_init__ does, one of the two ways and not both.
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "extra": "forbid",
        "json_schema_extra": {"oneOf": [{"required": ["answer"]}, {"required": ["answers"]}]},
    }

    def __post_init__(self) -> None:
        answer, answers = self.answer, self.answers
        if answer is None and not answers:
            raise ContentError(
                "`answer` is missing",
                hint="give the right number, e.g. `answer: 2024`, or list the numbers accepted"
                " under `answers`")
        if answer is not None and answers:
            if any(entry.credit >= 1 for entry in answers):
                hint = "remove `answer` (and `tolerance`): the full-credit number is in `answers`"
            else:
                hint = (f"move it into `answers` as `- {{answer: {answer:g}, tolerance:"
                        f" {self.tolerance:g}}}`, and remove `answer` and `tolerance`")
            raise ContentError(
                "a numeric question has either `answer` (one number) or `answers` (several),"
                " not both",
                at=("answers",), key=True, hint=hint)
        if answers and self.tolerance:
            raise ContentError(
                "with `answers`, each number has its own `tolerance`; this one would apply to"
                " none of them",
                at=("tolerance",), key=True,
                hint=f"move `tolerance: {self.tolerance:g}` into each entry of `answers` that"
                " needs it, and remove it here")
        if answers and not any(entry.credit >= 1 for entry in answers):
            raise ContentError(
                "none of the `answers` earns full credit; the right number has credit 1 (the"
                " default)",
                at=("answers",), key=True,
                hint="remove `credit` from the entry of the number that is fully right")

    @property
    def accepted(self) -> tuple[AcceptedNumber, ...]:
        """Every number accepted, with its tolerance, credit and feedback, however written."""
        if self.answers:
            return self.answers
        assert self.answer is not None
        return (AcceptedNumber(answer=self.answer, tolerance=self.tolerance),)

    @property
    def full_credit(self) -> AcceptedNumber:
        """The number that earns full credit (the first, if several do), with its tolerance."""
        return next(entry for entry in self.accepted if entry.credit >= 1)


def _distinct_items(items: tuple[str, ...]) -> tuple[str, ...]:
    _no_duplicates(items, "item")
    return items


@content_model
class OrderQuestion(QuestionBase):
    """Items to put in order; the author writes them in the correct order."""

    type: Literal["order"]
    items: Annotated[tuple[Text, ...], Rule(min_length=2), Rule("AfterValidator", _distinct_items)]
    scoring: Scoring = "all_or_nothing"


@content_model
class MatchQuestion(QuestionBase):
    """Pair each left item with its right item; distractors match nothing."""

    type: Literal["match"]
    pairs: Annotated[tuple[tuple[Text, Text], ...], Rule(min_length=2)]
    distractors: tuple[Text, ...] = ()
    scoring: Scoring = "partial"

    def __post_init__(self) -> None:
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


@content_model
class CategorizedItem(Model):
    """One item of a `categorize` question and the category it belongs to."""

    text: Text
    category: Text


def _distinct_categories(categories: tuple[str, ...]) -> tuple[str, ...]:
    _no_duplicates(categories, "category")
    return categories


@content_model
class CategorizeQuestion(QuestionBase):
    """Sort items into categories."""

    type: Literal["categorize"]
    categories: Annotated[tuple[Text, ...], Rule(min_length=2),
                          Rule("AfterValidator", _distinct_categories)]
    items: Annotated[tuple[CategorizedItem, ...], Rule(min_length=2)]
    scoring: Scoring = "partial"

    def __post_init__(self) -> None:
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


Question = Annotated[
    SingleQuestion
    | MultipleQuestion
    | TrueFalseQuestion
    | ShortQuestion
    | NumericQuestion
    | OrderQuestion
    | MatchQuestion
    | CategorizeQuestion,
    Rule(discriminator="type"),
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
