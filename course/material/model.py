"""The content model of a course: every file of the authoring format as a frozen dataclass.

Question and scenario models live in `quizzes/`, which grades them; this module assembles them
into modules, lessons and steps. Unknown fields are errors (a typo must not be ignored), and
nothing can be changed once loaded. pydantic checks content into these models (see
`quizzes.questions.Rule`); reading a checked course back from its snapshot needs no pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal

from quizzes.questions import (
    Model,
    Number,
    Question,
    Rule,
    ShortQuestion,
    Slug,
    StrictBool,
    Text,
    WholeNumber,
    content_model,
)
from quizzes.scenario import Scenario

#: The newest authoring format version this program understands.
FORMAT_VERSION = 1

Kind = Literal["key", "note", "warning", "myth"]
ReferenceKind = Literal["regulator", "trial", "review", "guideline", "case-report", "news", "other"]


@content_model
class Settings(Model):
    """Course-wide settings, each with its default."""

    pass_mark: Annotated[Number, Rule(gt=0, le=1)] = 0.8
    gating: Literal["sequential", "open"] = "sequential"
    quiz_attempts: Annotated[WholeNumber, Rule(ge=0)] = 0
    # true: a module's quiz opens once every lesson of the module is done; false: at any time
    # (a pre-test, say).
    quiz_after_lessons: StrictBool = True
    allow_typo: StrictBool = False
    """The default of `allow_typo` for every `short` question with `match: normalized`."""


@content_model
class Manifest(Model):
    """`course.yaml`: what the course is and which files make it, in order."""

    format: Annotated[WholeNumber, Rule(ge=1, le=FORMAT_VERSION)]
    id: Slug
    title: Text
    version: Text
    summary: Text
    disclaimer: str | None = None
    settings: Settings = field(default_factory=Settings)
    modules: Annotated[tuple[Text, ...], Rule(min_length=1)]
    glossary: Text | None = None
    references: Text | None = None
    # Extensions authors expect; all optional.
    authors: tuple[Text, ...] = ()
    license: str | None = None
    language: str = "en"
    changes: str | None = None
    """Markdown: what changed in this version, shown once to learners of an earlier one."""
    # Readable names of question tags (`first-pass: "The lungs' first-pass effect"`), shown
    # where topics are listed; a tag not named here reads as its own words.
    topics: dict[Text, Text] = field(default_factory=dict)


@content_model
class TextStep(Model):
    """A Markdown step."""

    text: Text


@content_model
class Callout(Model):
    """A boxed note of a given kind."""

    kind: Kind
    text: Text
    title: str | None = None


@content_model
class CalloutStep(Model):
    """A step holding a callout."""

    callout: Callout


@content_model
class CheckStep(Model):
    """An ungraded practice question: feedback at once, retries allowed."""

    check: Question


@content_model
class ScenarioStep(Model):
    """A branching walk-through."""

    scenario: Scenario


STEP_KINDS = ("text", "callout", "check", "scenario")


def _step_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        kinds = [k for k in STEP_KINDS if k in value]
        return kinds[0] if len(kinds) == 1 else None
    if isinstance(value, Model):
        return type(value).__name__.removesuffix("Step").lower()
    return None


Step = Annotated[
    Annotated[TextStep, Rule("Tag", "text")]
    | Annotated[CalloutStep, Rule("Tag", "callout")]
    | Annotated[CheckStep, Rule("Tag", "check")]
    | Annotated[ScenarioStep, Rule("Tag", "scenario")],
    Rule(
        "Discriminator",
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message="a step is a mapping with exactly one of: text, callout, check,"
        " scenario",
    ),
]


@content_model
class Lesson(Model):
    """A lesson: steps shown one at a time, in order."""

    id: Slug
    title: Text
    steps: Annotated[tuple[Step, ...], Rule(min_length=1)]


@content_model
class Quiz(Model):
    """The graded end-of-module quiz."""

    pass_mark: Annotated[Number, Rule(gt=0, le=1)] | None = None
    draw: Annotated[WholeNumber, Rule(gt=0)] | None = None
    shuffle: StrictBool = True
    questions: Annotated[tuple[Question, ...], Rule(min_length=1)]


@content_model
class Module(Model):
    """A module file: objectives, lessons and an optional quiz."""

    id: Slug
    title: Text
    summary: Text
    objectives: tuple[Text, ...] = ()
    estimated_minutes: Annotated[WholeNumber, Rule(gt=0)] | None = None
    reviewed: str | None = None
    jurisdiction: tuple[Text, ...] = ()
    requires: tuple[Slug, ...] | None = None
    lessons: Annotated[tuple[Lesson, ...], Rule(min_length=1)]
    quiz: Quiz | None = None

    def lesson(self, lesson_id: str | None) -> Lesson | None:
        """The lesson with this id, if any (a place in the quiz, with no lesson id, has none)."""
        return next((x for x in self.lessons if x.id == lesson_id), None)


@content_model
class Term(Model):
    """A glossary term."""

    id: Slug
    term: Text
    abbr: str | None = None
    aka: tuple[Text, ...] = ()
    definition: Text


@content_model
class Glossary(Model):
    """`glossary.yaml`."""

    terms: tuple[Term, ...] = ()


@content_model
class Reference(Model):
    """A work the course cites."""

    id: Slug
    citation: Text
    short: Text | None = None
    """The label it is cited by where space is short (`FDA, 2024`); made from the citation
    when not given (see `course.material.citation`)."""
    url: str | None = None
    year: WholeNumber | None = None
    kind: ReferenceKind = "other"


@content_model
class References(Model):
    """`references.yaml`."""

    references: tuple[Reference, ...] = ()


def _question_with_defaults(question: Question, settings: Settings) -> Question:
    """The question with the course's defaults filled in where it leaves them to the course."""
    if (
        settings.allow_typo
        and isinstance(question, ShortQuestion)
        and question.allow_typo is None
        and question.match == "normalized"
    ):
        return replace(question, allow_typo=True)
    return question


def with_course_defaults(module: Module, settings: Settings) -> Module:
    """The module with the course-wide defaults of `settings` applied to its questions.

    A question that says nothing of `allow_typo` follows `settings.allow_typo`; one that says
    true or false keeps its own. Done once, as the course loads, so grading needs only the
    question.
    """
    if not settings.allow_typo:
        return module

    def step_with_defaults(step: Any) -> Any:
        if isinstance(step, CheckStep):
            return replace(step, check=_question_with_defaults(step.check, settings))
        return step

    lessons = tuple(
        replace(lesson, steps=tuple(step_with_defaults(step) for step in lesson.steps))
        for lesson in module.lessons
    )
    quiz = module.quiz
    if quiz is not None:
        quiz = replace(quiz, questions=tuple(_question_with_defaults(q, settings)
                                             for q in quiz.questions))
    return replace(module, lessons=lessons, quiz=quiz)


FILE_MODELS: dict[str, type[Model]] = {
    "course": Manifest,
    "module": Module,
    "glossary": Glossary,
    "references": References,
}


@dataclass(frozen=True)
class Course:
    """A loaded course: the manifest, its modules in order, the glossary and references."""

    root: Path
    manifest: Manifest
    modules: tuple[Module, ...]
    glossary: Glossary
    references: References

    @property
    def id(self) -> str:
        """The course id; saved progress is keyed by it."""
        return self.manifest.id

    @property
    def title(self) -> str:
        """The course title."""
        return self.manifest.title

    @property
    def version(self) -> str:
        """The content's own version string."""
        return self.manifest.version

    @property
    def settings(self) -> Settings:
        """Pass mark, gating and attempts."""
        return self.manifest.settings

    def module(self, module_id: str) -> Module | None:
        """The module with this id, if any."""
        return next((m for m in self.modules if m.id == module_id), None)

    def term(self, term_id: str) -> Term | None:
        """The glossary term with this id, if any."""
        return next((t for t in self.glossary.terms if t.id == term_id), None)

    def reference(self, ref_id: str) -> Reference | None:
        """The reference with this id, if any."""
        return next((r for r in self.references.references if r.id == ref_id), None)

    def topic_name(self, tag: str) -> str:
        """A question tag as learners read it: the name `topics` gives it (whatever the case
        of either), else its own words: `first-pass` reads "First pass"."""
        wanted = tag.casefold()
        named = next((name for key, name in self.manifest.topics.items()
                      if key.casefold() == wanted), None)
        if named is not None:
            return named
        words = " ".join(tag.replace("-", " ").replace("_", " ").split())
        return words[:1].upper() + words[1:]

    def pass_mark(self, module: Module) -> float:
        """The pass mark that applies to a module's quiz."""
        if module.quiz is not None and module.quiz.pass_mark is not None:
            return module.quiz.pass_mark
        return self.settings.pass_mark

    def quiz_after_lessons(self, module: Module) -> bool:
        """True when `module`'s quiz opens only once every lesson of the module is done."""
        return self.settings.quiz_after_lessons

    def prerequisites(self, module: Module) -> tuple[str, ...]:
        """Ids of the modules that must be passed before `module` opens."""
        if module.requires is not None:
            return module.requires
        if self.settings.gating == "open":
            return ()
        index = self.modules.index(module)
        return (self.modules[index - 1].id,) if index > 0 else ()
