"""A tiny app that shows one QuestionView the way a screen would, for widget tests.

It grades every `QuestionView.Answered` with `quizzes.grading.grade` and shows the result, and
keeps what the view posted so tests can assert on it. Nothing blinks, so snapshots are stable.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Markdown, Static

from quizzes.answers import (
    Answer,
    AnswerError,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
)
from quizzes.grading import Result, grade
from quizzes.presentation import Presentation
from quizzes.questions import (
    CategorizedItem,
    CategorizeQuestion,
    MatchQuestion,
    MultipleQuestion,
    NumericQuestion,
    Option,
    OrderQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseFeedback,
    TrueFalseQuestion,
)
from tui.widgets.feedback import Cite, Shown
from tui.widgets.questions import Mode, QuestionView


class QuestionHarness(App[None]):
    """One QuestionView in a scrolling area about 76 columns wide, graded like a screen does."""

    CSS = """
    #body { padding: 0 1; }
    """

    def __init__(
        self,
        question: Question,
        presentation: Presentation | None = None,
        *,
        mode: Mode = "check",
        answered: tuple[Answer, Shown] | None = None,
        cite: Cite | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.view = QuestionView(
            question, presentation, mode=mode, answered=answered, cite=cite, id="question"
        )
        self.answers: list[QuestionView.Answered] = []
        self.results: list[Result] = []
        self.hints: list[str] = []
        self.retries: list[str] = []
        self.links: list[str] = []

    def compose(self) -> ComposeResult:
        """The view in a scrolling body, and a footer listing the keys."""
        with VerticalScroll(id="body"):
            yield self.view
        yield Footer()

    def on_mount(self) -> None:
        """Focus the answer and stop text cursors from blinking."""
        for text_box in self.query(Input):
            text_box.cursor_blink = False
        self.view.focus()

    @on(QuestionView.Answered)
    async def _grade(self, event: QuestionView.Answered) -> None:
        self.answers.append(event)
        try:
            result = grade(self.question, event.answer, hint_used=event.hint_used)
        except AnswerError as error:
            self.view.show_error(error.message)
            return
        self.results.append(result)
        await self.view.show_result(result)

    @on(QuestionView.HintShown)
    def _hint(self, event: QuestionView.HintShown) -> None:
        self.hints.append(event.question_id)

    @on(QuestionView.RetryStarted)
    def _retry(self, event: QuestionView.RetryStarted) -> None:
        self.retries.append(event.question_id)

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        self.links.append(event.href)


def screen_text(app: App[object]) -> str:
    """Everything on screen as plain text, one line per row (for asserting what is shown)."""
    update = app.screen._compositor.render_full_update()
    return "\n".join(
        "".join(segment.text for segment in strip).rstrip() for strip in update.strips
    )


# --- Sample questions, one per type ------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """A question, how it is shown, and the keys that answer it right and wrong."""

    question: Question
    presentation: Presentation
    right_keys: tuple[str, ...]
    right_answer: Answer
    wrong_keys: tuple[str, ...]
    wrong_answer: Answer


CITATIONS = {"galipeau-2018": "Galipeau & Sensébé, 2018", "fda-ind": "FDA, IND basics"}


def cite(ref: str) -> str:
    """The short citation of a reference id (the id itself when unknown)."""
    return CITATIONS.get(ref, ref)


SINGLE = SingleQuestion(
    id="msc-main-mechanism",
    type="single",
    prompt="What is the **main** proposed mechanism of IV-infused MSCs?",
    options=(
        Option(
            text="Paracrine signalling",
            correct=True,
            feedback="Right. They act mostly through what they secrete.",
        ),
        Option(text="Becoming new tissue at the injury", feedback="Engraftment is low."),
        Option(text="Fusing with host cells"),
    ),
    explanation="Most infused cells are caught in the lungs; effects come from what they"
    " [secrete](glossary:paracrine).",
    hint="Think about what the cells *release*.",
    refs=("galipeau-2018",),
)

MULTIPLE = MultipleQuestion(
    id="msc-risks",
    type="multiple",
    prompt="Which are documented risks of unapproved IV cell products?",
    options=(
        Option(text="Infection", correct=True, feedback="Contamination during processing."),
        Option(text="Pulmonary embolism", correct=True),
        Option(text="A guaranteed cure", feedback="No treatment can promise this."),
        Option(text="Tumour formation", correct=True),
    ),
    explanation="Case reports describe each of these.",
)

TRUE_FALSE = TrueFalseQuestion(
    id="hsct-approved",
    type="true_false",
    prompt="Hematopoietic stem cell transplants are FDA-approved for some blood cancers.",
    answer=True,
    feedback=TrueFalseFeedback(true="Yes: cord blood products are licensed.", false="They are."),
)

SHORT = ShortQuestion(
    id="ind-expansion",
    type="short",
    prompt="Which FDA application lets a sponsor test an unapproved biologic in people?",
    accept=("IND", "Investigational New Drug"),
    explanation="An Investigational New Drug application.",
    refs=("fda-ind",),
)

NUMERIC = NumericQuestion(
    id="ryoncil-year",
    type="numeric",
    prompt="In what year did the FDA approve its first MSC therapy?",
    answer=2024.0,
    explanation="Ryoncil, for steroid-refractory acute GVHD in children.",
)

ORDER = OrderQuestion(
    id="trial-phases",
    type="order",
    prompt="Put the clinical trial phases in order.",
    items=("Phase I", "Phase II", "Phase III", "Approval decision"),
)

MATCH = MatchQuestion(
    id="match-terms",
    type="match",
    prompt="Match each term to its meaning.",
    pairs=(("Autologous", "From the patient's own body"), ("Allogeneic", "From a donor")),
    distractors=("From an animal",),
)

CATEGORIZE = CategorizeQuestion(
    id="claim-triage",
    type="categorize",
    prompt="Sort each claim by the evidence behind it.",
    categories=("Approved use", "Investigational", "Unsupported"),
    items=(
        CategorizedItem(text="HSCT for leukaemia", category="Approved use"),
        CategorizedItem(text="IV MSCs for multiple sclerosis", category="Investigational"),
        CategorizedItem(text="Stem cells cure autism", category="Unsupported"),
    ),
)

SAMPLES: dict[str, Sample] = {
    # shown: 1 Becoming new tissue, 2 Paracrine signalling, 3 Fusing with host cells
    "single": Sample(
        SINGLE, Presentation(order=(1, 0, 2)),
        ("2", "enter"), ChoiceAnswer({0}),
        ("1", "enter"), ChoiceAnswer({1}),
    ),
    # shown: 1 Tumour formation, 2 A guaranteed cure, 3 Pulmonary embolism, 4 Infection
    "multiple": Sample(
        MULTIPLE, Presentation(order=(3, 2, 1, 0)),
        ("1", "down", "down", "space", "4", "enter"), ChoiceAnswer({3, 1, 0}),
        ("2", "enter"), ChoiceAnswer({2}),
    ),
    "true_false": Sample(
        TRUE_FALSE, Presentation(),
        ("t", "enter"), BoolAnswer(True),
        ("f", "enter"), BoolAnswer(False),
    ),
    "short": Sample(
        SHORT, Presentation(),
        ("i", "n", "d", "enter"), TextAnswer("ind"),
        ("b", "l", "a", "enter"), TextAnswer("bla"),
    ),
    "numeric": Sample(
        NUMERIC, Presentation(),
        ("2", "0", "2", "4", "enter"), TextAnswer("2024"),
        ("2", "0", "1", "8", "enter"), TextAnswer("2018"),
    ),
    # shown: Phase II, Phase I, Phase III, Approval decision; the start order is an answer
    "order": Sample(
        ORDER, Presentation(order=(1, 0, 2, 3)),
        ("shift+down", "enter"), OrderAnswer((0, 1, 2, 3)),
        ("enter",), OrderAnswer((1, 0, 2, 3)),
    ),
    # choices shown: 1 From an animal, 2 From a donor, 3 From the patient's own body
    "match": Sample(
        MATCH, Presentation(right_column=("d0", "r1", "r0")),
        ("3", "2", "enter"), MatchAnswer({0: "r0", 1: "r1"}),
        ("2", "1", "enter"), MatchAnswer({0: "r1", 1: "d0"}),
    ),
    # items shown: Stem cells cure autism, HSCT for leukaemia, IV MSCs for multiple sclerosis
    "categorize": Sample(
        CATEGORIZE, Presentation(order=(2, 0, 1)),
        ("3", "1", "2", "enter"), CategorizeAnswer({2: 2, 0: 0, 1: 1}),
        ("2", "3", "1", "enter"), CategorizeAnswer({2: 1, 0: 2, 1: 0}),
    ),
}
"""One sample question of each of the eight types."""


def make_app(name: str, **kwargs: object) -> QuestionHarness:
    """The harness showing the sample question of type `name`."""
    sample = SAMPLES[name]
    return QuestionHarness(sample.question, sample.presentation, **kwargs)  # type: ignore[arg-type]


async def settle(pilot: object) -> None:
    """Let messages, mounts and Markdown parsing finish."""
    for _ in range(3):
        await pilot.pause()  # type: ignore[attr-defined]


def verdict_shown(app: QuestionHarness) -> str:
    """The verdict line of the result, as text."""
    return str(app.view.feedback.query_one(".verdict", Static).render())
