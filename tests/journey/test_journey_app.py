"""The whole learner's journey in the real app, in a real 80x24 pseudo-terminal, keys only.

Each walk starts from an empty data folder and reads the course from its YAML to know what to
press (see journey_walk), so it follows the content as it changes and walks any course.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from journey_terminal import IVSTEM, Terminal
from journey_walk import AppWalk, course_at

SHIPPED = Path(__file__).parents[2] / "course" / "content" / "iv-stem-cell-therapy"
LEARNER = "walker"
FAKETIME = shutil.which("faketime") or "faketime"


class Session:
    """Starts `ivstem` again and again on the same data folder, as a learner does each day."""

    def __init__(self, data_dir: Path, course: Path | None) -> None:
        self.data_dir = data_dir
        self.course = course
        self.terms: list[Terminal] = []

    def start(self, *, clock: datetime | None = None) -> Terminal:
        """A new run of the program; with `clock`, on that day (the program's clock is moved
        with faketime, as a learner who comes back days later)."""
        where = ["--course", str(self.course)] if self.course is not None else []
        self.data_dir.mkdir(parents=True, exist_ok=True)
        wrapper = () if clock is None else (
            FAKETIME, "-f", "@" + clock.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"))
        term = Terminal([*where, "--learner", LEARNER, "--data-dir", str(self.data_dir)],
                        cwd=self.data_dir, wrapper=wrapper, env={"TZ": "UTC"})
        self.terms.append(term)
        return term

    def close(self) -> None:
        """End whatever is still running."""
        for term in self.terms:
            term.close()


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """The shipped course on an empty data folder."""
    runs = Session(tmp_path, None)
    yield runs
    runs.close()


@pytest.mark.skipif(shutil.which("faketime") is None,
                    reason="needs faketime (Debian's faketime package; .ci/run installs it)")
def test_a_new_learner_walks_the_whole_shipped_course(session: Session) -> None:
    course = course_at(SHIPPED)
    walk = AppWalk(session.start(), course, LEARNER)
    walk.start_fresh()
    for number, module in enumerate(course.modules):
        walk.continue_("step 1 of")
        for index, lesson in enumerate(module.lessons):
            if number == 0 and index == 1:
                # Quit in the middle of a lesson; the next day, `c` opens the same step.
                walk.lesson(lesson, stop_at=2)
                assert walk.term.quit() == 0
                walk.term = session.start()
                walk.continue_(f"step 3 of {len(lesson.steps)}")
                walk.lesson(lesson, first_step=2)
            else:
                walk.lesson(lesson)
        if module.quiz is None:
            continue
        if number == 0:
            # Failed first, then retaken from the results and passed.
            walk.quiz(module, answer_right=False)
            walk.term.press("t")
            walk.quiz(module, answer_right=True)
        elif number == 1:
            # Quit in the middle of the quiz; `c` comes back to the question after the last
            # one answered, with the answers given so far kept.
            quiz = walk.session(module)
            walk.quiz_questions(module, quiz, 0, answer_right=True, stop_after=3)
            assert walk.term.quit() == 0
            walk.term = session.start()
            walk.continue_(f"question 4 of {len(quiz.question_ids)}")
            walk.quiz_questions(module, quiz, 3, answer_right=True)
        else:
            walk.quiz(module, answer_right=True)
        walk.term.press("escape", expect="Continue")

    term = walk.term
    # The dashboard: every module passed, and the completion record written from it.
    term.press("d", expect="Your progress in")
    for module in course.modules:
        term.scroll_to(" ".join(module.title.split()[:4]))  # long titles wrap in the table
    term.press("p", expect="Completion record written")
    assert list(session.data_dir.glob("*.html")), "the completion record was not written"
    term.press("escape", expect="Continue")
    # The review: what was missed is not due yet on the same day...
    term.press("r")
    term.wait_for("Nothing is due for review now")
    term.press("escape", expect="Continue")
    assert term.quit() == 0
    # ...but three days later it is: ten of the due questions answered right, then back to
    # the map, which still counts the rest.
    later = datetime.now(UTC).replace(hour=12, minute=0, second=0) + timedelta(days=3)
    walk.term = term = session.start(clock=later)
    term.wait_for("due for review")
    term.press("r", expect="question 1 of")
    due = walk.review(later, most=10)
    assert due > 10
    term.press("escape", expect="Continue")
    term.wait_for(f"{due - 10} questions due for review")
    assert term.quit() == 0
    print(f"walked: {walk.tally}, 10 of {due} due reviewed")
    assert walk.tally.endings >= 2
    assert walk.tally.quiz_answers >= 10 * len(course.modules)


# --- a course the project has never seen -------------------------------------------------------

UNSEEN_MODULE = """\
id: first-module
title: A course written elsewhere
summary: |
  Every step kind and question type, written by hand as an author would.
lessons:
  - id: all-kinds
    title: Every kind of step
    steps:
      - text: |
          Cells grown in a **laboratory** are not the same as cells taken the same day.
      - callout:
          kind: myth
          title: A claim to weigh
          text: |
            "Your own cells cannot hurt you." Infections have been reported.
      - check:
          id: unseen-single
          type: single
          prompt: Which agency approves biologics in the United States?
          options:
            - {text: The FDA, correct: true, feedback: It reviews biologics.}
            - {text: The EMA, feedback: That agency serves the European Union.}
            - {text: The WHO, feedback: It approves no products for sale.}
          explanation: Biologics need the FDA's approval before they are sold.
      - check:
          id: unseen-multiple
          type: multiple
          prompt: Which have been reported after clinic infusions?
          options:
            - {text: Infections, correct: true, feedback: Several outbreaks were traced.}
            - {text: Blood clots, correct: true, feedback: Clots in the lungs were reported.}
            - {text: Growing younger, feedback: No study shows anything of the kind.}
          explanation: Both harms appear in published case reports.
      - check:
          id: unseen-true-false
          type: true_false
          prompt: A testimonial shows that a treatment works.
          answer: false
          explanation: A story cannot tell what would have happened without the treatment.
      - check:
          id: unseen-short
          type: short
          prompt: What is a dummy treatment given to a control group called?
          accept: [placebo]
          explanation: A placebo looks like the treatment but contains no active part.
      - check:
          id: unseen-numeric
          type: numeric
          prompt: How many criteria must a 361 product meet?
          answer: 4
          explanation: All four criteria of 21 CFR 1271.10 must be met.
      - check:
          id: unseen-order
          type: order
          prompt: Put the phases of research in order.
          items: [Phase 1, Phase 2, Phase 3]
          explanation: Each phase builds on the one before it.
      - check:
          id: unseen-match
          type: match
          prompt: Match each agency to where it works.
          pairs:
            - [FDA, United States]
            - [EMA, European Union]
            - [PMDA, Japan]
          explanation: Each regulator works in its own jurisdiction.
      - check:
          id: unseen-categorize
          type: categorize
          prompt: Sort each use by the evidence behind it.
          categories: [Approved, Unproven]
          items:
            - {text: Bone marrow transplant for leukaemia, category: Approved}
            - {text: IV cells for ageing, category: Unproven}
            - {text: Cord blood for blood disorders, category: Approved}
          explanation: Only blood-forming stem cell products are approved so far.
      - scenario:
          id: an-offer
          title: An offer by email
          start: offer
          nodes:
            offer:
              text: A clinic emails you an offer of an infusion for your knee.
              choices:
                - {label: "Ask for the trial registration", goto: registry}
                - {label: "Pay the deposit", goto: paid}
            registry:
              text: They send a number. The registry lists no such trial.
              choices:
                - {label: "Ask the clinic why", goto: excuse}
                - {label: "Walk away", goto: safe}
            excuse:
              text: They say the trial is private and needs no registration.
              choices:
                - {label: "Believe them", goto: paid}
                - {label: "Check with the regulator", goto: safe}
            paid:
              end: You paid for a product no trial supports.
            safe:
              end: You kept your money and asked the right questions.
quiz:
  questions:
    - id: unseen-quiz-single
      type: single
      prompt: What does a control group show?
      options:
        - {text: What happens without the treatment, correct: true}
        - {text: How much the treatment costs}
      explanation: It is the comparison that makes a trial fair.
    - id: unseen-quiz-numeric
      type: numeric
      prompt: In what year did the FDA approve its first MSC product?
      answer: 2024
      explanation: Ryoncil was approved in December 2024.
"""


def unseen_course(folder: Path) -> Path:
    """A course made with `ivstem new course`, then written as an author would, gating open."""
    import subprocess

    subprocess.run([IVSTEM, "new", "course", str(folder)], check=True, capture_output=True)
    manifest = folder / "course.yaml"
    manifest.write_text(manifest.read_text().replace("gating: sequential", "gating: open"))
    module = next((folder / "modules").glob("*.yaml"))
    module.write_text(textwrap.dedent(UNSEEN_MODULE))
    check = subprocess.run([IVSTEM, "validate", str(folder)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    return folder


def test_a_course_never_seen_before_is_walked_with_every_question_type(tmp_path: Path) -> None:
    folder = unseen_course(tmp_path / "course")
    course = course_at(folder)
    session = Session(tmp_path / "data", folder)
    try:
        walk = AppWalk(session.start(), course, LEARNER)
        walk.give_up = {"unseen-true-false", "unseen-numeric"}
        walk.start_fresh()
        module = course.modules[0]
        walk.continue_("step 1 of")
        walk.lesson(module.lessons[0])
        walk.quiz(module, answer_right=True)
        walk.term.press("escape", expect="Continue")
        assert walk.term.quit() == 0
    finally:
        session.close()
    assert walk.tally.types == {"single", "multiple", "true_false", "short", "numeric", "order",
                                "match", "categorize"}
    assert walk.tally.endings == 2


def test_the_template_of_ivstem_new_course_is_walked_as_it_comes(tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "template"
    subprocess.run([IVSTEM, "new", "course", str(folder)], check=True, capture_output=True)
    course = course_at(folder)
    session = Session(tmp_path / "data", folder)
    try:
        walk = AppWalk(session.start(), course, LEARNER)
        walk.start_fresh()
        for module in course.modules:
            walk.continue_("step 1 of")
            for lesson in module.lessons:
                walk.lesson(lesson)
            if module.quiz is not None:
                walk.quiz(module, answer_right=True)
                walk.term.press("escape", expect="Continue")
        assert walk.term.quit() == 0
    finally:
        session.close()
