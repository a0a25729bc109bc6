"""The learner's figures for the dashboard: per module, days in a row, review, weakest tags.

Pure reading: a function of the course, the store and a moment, shared by the app's dashboard
screen, `ivstem progress` and their tests, so the figures can be checked against a seeded store
without a screen. They are read from the store's running tallies, never from every answer, so
they cost the same at a thousand answers as at a million.
Days are study days (they start at 04:00 local time, see `course.record.progress.scheduling`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from course.material.model import Course, Lesson, Module
from course.record import review
from course.record.progress import ProgressStore
from course.record.progress.days import study_day
from course.record.study import ModuleState, Place, Standing, standings
from quizzes.points import percent

#: How many days of activity the chart shows (four weeks, ending today).
ACTIVITY_DAYS = 28

#: The most days read at once while following a long streak back.
STREAK_CHUNK = 1000

#: How many of the weakest tags are listed.
WEAKEST = 3


@dataclass(frozen=True, slots=True)
class ModuleFigures:
    """One module: the learner's standing, latest quiz score and time spent."""

    standing: Standing
    latest_score: float | None  # the last finished attempt's share of points
    seconds: float

    @property
    def module(self) -> Module:
        """The module."""
        return self.standing.module


@dataclass(frozen=True, slots=True)
class TagFigures:
    """A tag of the course's questions (a topic): how many answers to its questions were right.

    `lessons` are the lessons that teach it: those whose practice checks carry the tag, or,
    when no check does, the first lesson of each module whose quiz has it.
    """

    tag: str
    answered: int
    right: int
    lessons: tuple[tuple[Module, Lesson], ...]
    name: str  # the topic as learners read it (see `Course.topic_name`)

    @property
    def share(self) -> float:
        """Answers right as a share of answers given."""
        return self.right / self.answered if self.answered else 0.0

    @property
    def places(self) -> tuple[Place, ...]:
        """Where "go to the lesson" leads: the start of each lesson."""
        return tuple(Place(module.id, lesson.id, 0) for module, lesson in self.lessons)


@dataclass(frozen=True, slots=True)
class Dashboard:
    """Everything the dashboard shows, as of `now`."""

    now: datetime
    modules: tuple[ModuleFigures, ...]
    streak: int  # study days in a row, ending today (or yesterday, if not yet today)
    studied_today: bool
    days: tuple[int, ...]  # answers per study day, oldest first, the last is today
    due: int
    next_due: datetime | None
    weakest: tuple[TagFigures, ...]

    @property
    def passed(self) -> int:
        """How many modules are passed."""
        return sum(1 for m in self.modules if m.standing.state is ModuleState.PASSED)

    @property
    def complete(self) -> bool:
        """True when every module is passed."""
        return self.passed == len(self.modules)

    @property
    def seconds(self) -> float:
        """Time spent in the whole course."""
        return sum(m.seconds for m in self.modules)

    @property
    def last_week(self) -> int:
        """Answers given in the last seven study days, today included."""
        return sum(self.days[-7:])


def build(
    course: Course,
    store: ProgressStore,
    learner: str,
    now: datetime | None = None,
    *,
    standing: Sequence[Standing] | None = None,
) -> Dashboard:
    """Read the learner's figures in a course. `standing` may be passed in when the caller
    has it (the app's own, which knows about previews); otherwise it is read here."""
    moment = store.now() if now is None else now
    asked = review.questions_of(course)
    summary = store.summary(learner, course.id)
    if standing is None:
        standing = standings(course, summary, store.passed_modules(learner, course.id))
    figures = []
    for entry in standing:
        attempts = store.quiz_attempts(learner, course.id, entry.module.id)
        record = summary.get(entry.module.id)
        figures.append(ModuleFigures(
            standing=entry,
            latest_score=attempts[-1].score if attempts else None,
            seconds=record.seconds_spent if record else 0.0,
        ))
    today = study_day(moment)
    window = [today - timedelta(days=back) for back in range(ACTIVITY_DAYS - 1, -1, -1)]
    per_day = store.answers_per_day(learner, course.id, window)
    days = tuple(per_day.get(day, 0) for day in window)
    return Dashboard(
        now=moment,
        modules=tuple(figures),
        streak=_streak(store, learner, course.id, today, set(per_day), window[0]),
        studied_today=today in per_day,
        days=days,
        due=review.due_count(course, store, learner, moment, known=asked),
        next_due=review.next_due(course, store, learner, moment, known=asked),
        weakest=weakest_tags(course, store.question_tallies(learner, course.id), known=asked),
    )


def _streak(
    store: ProgressStore, learner: str, course_id: str, today: date, studied: set[date],
    earliest: date,
) -> int:
    """Days studied in a row up to today, given the days `studied` from `earliest` on: the days
    before are read only while the run reaches back to the first day read."""
    chunk = ACTIVITY_DAYS
    while True:
        count = streak(studied, today)
        first = (today if today in studied else today - timedelta(days=1)) - timedelta(
            days=count - 1)
        if count == 0 or first > earliest:
            return count
        chunk = min(chunk * 2, STREAK_CHUNK)
        before = [earliest - timedelta(days=back) for back in range(chunk, 0, -1)]
        studied |= store.days_studied(learner, course_id, before)
        earliest = before[0]


def streak(studied: set[date], today: date) -> int:
    """Days studied in a row up to today; a streak still counts until today is over."""
    day = today if today in studied else today - timedelta(days=1)
    count = 0
    while day in studied:
        count += 1
        day -= timedelta(days=1)
    return count


def weakest_tags(
    course: Course, tallies: dict[str, tuple[int, int]], count: int = WEAKEST, *,
    known: dict[str, review.Asked] | None = None,
) -> tuple[TagFigures, ...]:
    """The tags with the lowest share of right answers (only tags answered, and not all right).

    Ties go to the tag with more answers (more evidence), then by name. `known` is the course's
    questions (`review.questions_of`), when the caller has them.
    """
    known = review.questions_of(course) if known is None else known
    totals: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for question_id, asked in known.items():
        answered, right = tallies.get(question_id, (0, 0))
        for tag in asked.question.tags:
            key = tag.casefold()
            names.setdefault(key, tag)
            total = totals.setdefault(key, [0, 0])
            total[0] += answered
            total[1] += right
    ranked = sorted(
        ((key, answered, right) for key, (answered, right) in totals.items()
         if answered and right < answered),
        key=lambda item: (item[2] / item[1], -item[1], item[0]),
    )
    return tuple(TagFigures(names[key], answered, right,
                            teaching_lessons(course, key, known=known),
                            course.topic_name(names[key]))
                 for key, answered, right in ranked[:count])


def teaching_lessons(
    course: Course, tag: str, *, known: dict[str, review.Asked] | None = None
) -> tuple[tuple[Module, Lesson], ...]:
    """The lessons whose practice checks carry `tag`; failing those, the first lesson of each
    module whose quiz has a question with it."""
    wanted = tag.casefold()
    checks: list[tuple[Module, Lesson]] = []
    quizzes: list[tuple[Module, Lesson]] = []
    for asked in (review.questions_of(course) if known is None else known).values():
        if wanted not in (t.casefold() for t in asked.question.tags):
            continue
        pair = (asked.module, asked.lesson if asked.lesson is not None else asked.module.lessons[0])
        target = checks if asked.lesson is not None else quizzes
        if all((pair[0].id, pair[1].id) != (m.id, les.id) for m, les in target):
            target.append(pair)
    return tuple(checks or quizzes)


# -- the figures in words, as the dashboard screen and `ivstem progress` both say them -----------

def streak_text(figures: Dashboard) -> str:
    """`3 days in a row`, `(study today to go on)` added before today's study; or
    `no streak yet`."""
    if not figures.streak:
        return "no streak yet"
    text = f"{review.plural(figures.streak, 'day')} in a row"
    return text if figures.studied_today else text + " (study today to go on)"


def studied_text(figures: Dashboard) -> str:
    """`1 h 05 min studied`, or `no study time yet`."""
    if not figures.seconds:
        return "no study time yet"
    return f"{duration_text(figures.seconds)} studied"


def review_text(figures: Dashboard, how: str) -> str:
    """The review in a sentence: how many questions are due and `how` to answer them (`press
    r`), or, with none due, when the next falls due."""
    text = review.count_text(figures.due)
    if figures.due:
        return f"{text}: {how}."
    if figures.next_due is not None:
        text += f"; the next is due {review.when_text(figures.next_due, figures.now)}"
    return text + "."


def share_text(tag: TagFigures) -> str:
    """A topic's share of answers right: `40% (4 of 10 right)`."""
    return f"{percent(tag.share)} ({tag.right} of {tag.answered} right)"


def duration_text(seconds: float) -> str:
    """Time in words a learner reads at a glance: `—`, `4 min`, `1 h 05 min`."""
    minutes = round(seconds / 60)
    if seconds <= 0:
        return "—"
    if minutes < 1:
        return "<1 min"
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
