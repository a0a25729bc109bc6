"""Grade 100,000 mixed answers and print the cost per answer.

Run on demand: `python tests/bench/bench_grading.py [--tiny]`. Not collected by pytest.
The mix covers all eight types with right, wrong and partly right answers; answers are built
before the clock starts, as the TUI builds them before calling `grade`.
"""

from __future__ import annotations

import time
from collections import Counter

from tiny import sized  # beside this file, as `python` runs it

from quizzes.answers import (
    Answer,
    BoolAnswer,
    CategorizeAnswer,
    ChoiceAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
)
from quizzes.grading import grade
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

ANSWERS = sized(100_000, 1_500)
ROUNDS = sized(5, 1)
PER_TYPE = sized(2_000, 20)  # gradings of each case, timed for the slowest case per type


def _cases() -> list[tuple[Question, Answer]]:
    single = SingleQuestion(
        type="single",
        id="single",
        prompt="Main mechanism?",
        options=(
            Option(text="Paracrine signalling", correct=True, feedback="Right."),
            Option(text="Engraftment", feedback="Few cells persist."),
            Option(text="Fusion"),
        ),
    )
    multiple = MultipleQuestion(
        type="multiple",
        id="multiple",
        prompt="Risks?",
        options=(
            Option(text="Infection", correct=True, feedback="Yes."),
            Option(text="Embolism", correct=True),
            Option(text="Tumours", correct=True),
            Option(text="Telepathy", feedback="No."),
        ),
    )
    true_false = TrueFalseQuestion(
        type="true_false",
        id="true-false",
        prompt="HSCT is approved for some cancers.",
        answer=True,
        feedback=TrueFalseFeedback(true="Yes.", false="It is."),
    )
    short = ShortQuestion(
        type="short",
        id="short",
        prompt="Which application?",
        accept=("IND", "Investigational New Drug", "investigational new drug application"),
    )
    regex = ShortQuestion(
        type="short", id="regex", prompt="Which?", accept=("IND|I\\.N\\.D\\.",), match="regex"
    )
    numeric = NumericQuestion(
        type="numeric", id="numeric", prompt="Year?", answer=2024, tolerance=0.5, unit="AD"
    )
    order = OrderQuestion(
        type="order",
        id="order",
        prompt="Order the phases.",
        items=("Phase I", "Phase II", "Phase III", "Approval"),
        scoring="partial",
    )
    match = MatchQuestion(
        type="match",
        id="match",
        prompt="Match.",
        pairs=(("Autologous", "Own body"), ("Allogeneic", "Donor"), ("Xenogeneic", "Animal")),
        distractors=("Plant",),
    )
    categorize = CategorizeQuestion(
        type="categorize",
        id="categorize",
        prompt="Sort.",
        categories=("Approved", "Investigational", "Unsupported"),
        items=(
            CategorizedItem(text="HSCT for leukaemia", category="Approved"),
            CategorizedItem(text="IV MSCs for MS", category="Investigational"),
            CategorizedItem(text="Stem cells for ageing", category="Unsupported"),
            CategorizedItem(text="Cord blood for autism", category="Unsupported"),
        ),
    )
    return [
        (single, ChoiceAnswer({0})),
        (single, ChoiceAnswer({1})),
        (multiple, ChoiceAnswer({0, 1, 3})),
        (multiple, ChoiceAnswer({0, 1, 2})),
        (true_false, BoolAnswer(True)),
        (true_false, BoolAnswer(False)),
        (short, TextAnswer(" investigational new drug. ")),
        (short, TextAnswer("NDA")),
        (regex, TextAnswer("I.N.D.")),
        (numeric, TextAnswer("2,024")),
        (numeric, TextAnswer("2023")),
        (order, OrderAnswer((0, 2, 1, 3))),
        (order, OrderAnswer((0, 1, 2, 3))),
        (match, MatchAnswer({0: "r0", 1: "r1", 2: "d0"})),
        (categorize, CategorizeAnswer({0: 0, 1: 1, 2: 2, 3: 1})),
    ]


def main() -> None:
    """Grade ANSWERS answers cycling through the mix; print the cost per answer."""
    cases = _cases()
    work = [cases[i % len(cases)] for i in range(ANSWERS)]
    for question, answer in cases:  # warm the per-question caches, as a real quiz would
        grade(question, answer)
    verdicts: Counter[str] = Counter()
    for question, answer in cases:
        verdicts[grade(question, answer).verdict] += ANSWERS // len(cases)
    # Best of several rounds: on a shared machine the slowest rounds measure the neighbours.
    rounds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for question, answer in work:
            grade(question, answer)
        rounds.append(time.perf_counter() - start)
    best, worst = min(rounds), max(rounds)
    print(
        f"graded {ANSWERS:,} mixed answers ({len(cases)} cases, all eight types):"
        f" {best / ANSWERS * 1e6:.2f} µs per answer"
        f" (best of {ROUNDS} rounds; slowest round {worst / ANSWERS * 1e6:.2f} µs)"
    )
    print("verdict mix: " + ", ".join(f"{v} {n:,}" for v, n in sorted(verdicts.items())))
    per_type: dict[str, float] = {}
    for question, answer in cases:
        start = time.perf_counter()
        for _ in range(PER_TYPE):
            grade(question, answer)
        cost = (time.perf_counter() - start) / PER_TYPE * 1e6
        per_type[question.type] = max(per_type.get(question.type, 0.0), cost)
    print("slowest case per type (µs): " + ", ".join(f"{t} {c:.2f}" for t, c in per_type.items()))


if __name__ == "__main__":
    main()
