"""`ivstem progress`: show, export, import or reset the learner's progress.

Also the helpers the `learners` command shares: opening the store with its notices shown, the
learner in use, and asking before anything is deleted.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from course.record.progress import (
    InvalidLearnerNameError,
    ModuleSummary,
    ProgressStore,
    StoreError,
    default_learner_name,
    validate_learner_name,
)
from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, UsageError

if TYPE_CHECKING:
    from course.material.model import Course
    from course.record.dashboard import Dashboard
    from course.record.progress import MergeReport

Handler = Callable[[argparse.Namespace], int]

IMPORT_HELP = (
    "Merge a progress file (from `ivstem progress export`) into this machine's record."
    " Nothing is overwritten: answers, quiz attempts and study time already here are kept and"
    " those in the file are added once, so importing the same file twice changes nothing."
    " The file goes to the learner named in it, because that is whose record it is; on a shared"
    " lab account your user profile may be shared, so it is not used unless you ask."
    " Give --learner NAME to merge it into another profile."
    " A file over 16 MB is refused (a real one is far smaller), and so is one that is not an"
    " export, was changed since it was exported, or nests its JSON more than 32 levels deep."
    " Records that cannot be right are left out, each named with its reason, and the rest is"
    " imported: a time later than the file was exported or than this machine's clock allows,"
    " or before 2000; more points than a question or quiz of the course (--course, default the"
    " shipped course) is worth, or than 10,000; a pass of a module the course does not have, or"
    " without a passed quiz attempt or the module's lessons completed."
    " Exit status: 0 imported, 1 refused, or imported with records left out, 2 usage error."
)


# -- shared by the progress and learners commands --------------------------------------------


def guarded(handler: Handler) -> Handler:
    """Turn store and transfer errors into one message and exit status 1, never a traceback."""
    from course.record.progress.transfer import TransferError

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (StoreError, TransferError) as exc:
            print(f"ivstem: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
        except InvalidLearnerNameError as exc:
            raise UsageError(f"--learner: {exc}") from exc

    return run


def open_store(args: argparse.Namespace, *, reading: bool = False) -> ProgressStore:
    """Open the store named by --data-dir / $IVSTEM_DATA_DIR, printing any notice it has.

    `reading`: the command only reads, so a store in a folder that cannot be written is read
    as it is (see `ProgressStore.open_for_reading`).
    """
    data_dir = getattr(args, "data_dir", None)
    store = (ProgressStore.open_for_reading(data_dir) if reading
             else ProgressStore.open(data_dir))
    for notice in store.notices:
        print(f"ivstem: {notice}", file=sys.stderr)
    return store


def current_learner(args: argparse.Namespace) -> str:
    """The learner chosen with --learner, or the default profile named after the OS user."""
    name = getattr(args, "learner", None)
    if name is None:
        return default_learner_name()
    try:
        return validate_learner_name(name)
    except InvalidLearnerNameError as exc:
        raise UsageError(f"--learner: {exc}") from exc


def confirm(question: str) -> bool | None:
    """Ask a yes/no question on the terminal; None when there is no terminal to ask on.

    Without a terminal (a script, a pipe) the answer cannot be trusted to be meant, and waiting
    would hang the script, so the caller refuses instead.
    """
    if not sys.stdin.isatty():
        return None
    try:
        reply = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return reply.strip().lower() in ("y", "yes")


def refuse_without_terminal(what: str) -> int:
    """Say that nothing was done because nobody could be asked; exit status 1."""
    print(
        f"ivstem: not {what}: there is no terminal to ask for confirmation."
        " Add --yes to go ahead without asking.",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS


# -- the course, as far as the table needs it ----------------------------------------------


class LessonLike(Protocol):
    """What the table needs of a lesson."""

    @property
    def id(self) -> str:
        """The lesson id."""

    @property
    def title(self) -> str:
        """The lesson title."""


class ModuleLike(Protocol):
    """What the table needs of a module."""

    @property
    def id(self) -> str:
        """The module id."""

    @property
    def title(self) -> str:
        """The module title."""

    @property
    def lessons(self) -> Sequence[LessonLike]:
        """The lessons, in order."""

    @property
    def quiz(self) -> object | None:
        """The module quiz, if it has one."""


class CourseLike(Protocol):
    """What the table needs of a course."""

    @property
    def id(self) -> str:
        """The course id."""

    @property
    def title(self) -> str:
        """The course title."""

    @property
    def version(self) -> str:
        """The content version."""

    @property
    def modules(self) -> Sequence[ModuleLike]:
        """The modules, in order of study."""


@dataclass(frozen=True, slots=True)
class ModuleRow:
    """One line of the progress table: a module of the course as it is now."""

    id: str
    title: str
    lessons_done: int
    lessons_total: int
    has_quiz: bool
    best_quiz_score: float | None
    quiz_attempts: int
    quiz_in_progress: bool
    passed: bool
    last_studied: datetime | None
    seconds_spent: float


def module_rows(course: CourseLike, summary: dict[str, ModuleSummary]) -> list[ModuleRow]:
    """The table's rows: the course's modules in order, with the learner's figures.

    Records of modules or lessons the course no longer has are left out, not an error: a course
    that changed under saved progress shows what still applies.
    """
    rows = []
    for module in course.modules:
        figures = summary.get(module.id)
        lesson_ids = {lesson.id for lesson in module.lessons}
        done = len(lesson_ids & figures.lessons_completed) if figures else 0
        rows.append(
            ModuleRow(
                id=module.id,
                title=module.title,
                lessons_done=done,
                lessons_total=len(lesson_ids),
                has_quiz=module.quiz is not None,
                best_quiz_score=figures.best_quiz_score if figures else None,
                quiz_attempts=figures.quiz_attempts if figures else 0,
                quiz_in_progress=figures.quiz_in_progress if figures else False,
                passed=figures.passed if figures else False,
                last_studied=figures.last_studied if figures else None,
                seconds_spent=figures.seconds_spent if figures else 0.0,
            )
        )
    return rows


def load_course_or_report(
    args: argparse.Namespace,
    store: ProgressStore | None = None,
    refused: str = "progress in it cannot be shown",
) -> Course | None:
    """Load --course (default: the shipped course); print its problems and return None if any.

    As the app reads a course: from the snapshot checked before when the files have not changed
    since (the shipped course's own, or one kept beside `store`'s file), and checked afresh, and
    kept there, only when they have. `refused` says what cannot be done because of problems.
    """
    from course.material.snapshot import checked_course
    from course.paths import shipped_course_dir

    given = getattr(args, "course", None)
    folder = Path(given) if given else shipped_course_dir()
    if not folder.exists():
        raise UsageError(f"--course: {folder} does not exist")
    # Snapshots live beside the learner's progress, as the app keeps them.
    snapshots = store.path.parent / "snapshots" if store and store.path is not None else None
    result = checked_course(folder, snapshots)
    if result.course is None or result.problems:
        for problem in result.problems:
            print(problem.format(), file=sys.stderr)
        print(
            f"ivstem: the course in {folder} has problems, so {refused}."
            " `ivstem validate` explains each one.",
            file=sys.stderr,
        )
        return None
    return result.course


# -- the command -----------------------------------------------------------------------------


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `progress` command and its actions."""
    parser = subcommands.add_parser(
        "progress", parents=[common], help="show, export, import or reset your progress",
        description="Show how far you are in the course (the default), or export, import or"
        " reset your progress. Exit status: 0 done, 1 refused or failed (the message says"
        " why), 2 usage error.",
    )
    _format_option(parser)
    parser.set_defaults(handler=guarded(show))
    actions = parser.add_subparsers(dest="action", metavar="ACTION")

    show_parser = actions.add_parser(
        "show", parents=[common], help="the progress table (the default)",
        description="A table of the course's modules: lessons done, best quiz score, passed,"
        " last studied.",
    )
    _format_option(show_parser)
    show_parser.set_defaults(handler=guarded(show))

    export_parser = actions.add_parser(
        "export", parents=[common], help="write your progress to a file for another machine",
        description="Write every record of a learner (all courses) to a JSON file with a"
        " checksum, readable only by you. Take it to another machine and run"
        " `ivstem progress import FILE` there.",
    )
    export_parser.add_argument("file", metavar="FILE", nargs="?",
                               help="where to write; - for standard output")
    export_parser.add_argument("-o", "--output", metavar="FILE", default=None,
                               help="the same as FILE, as the other commands take it")
    export_parser.set_defaults(handler=guarded(export))

    import_parser = actions.add_parser(
        "import", parents=[common], help="merge a progress file into this machine's record",
        description=IMPORT_HELP,
    )
    import_parser.add_argument("file", metavar="FILE",
                               help="an exported file; - for standard input")
    import_parser.set_defaults(handler=guarded(import_))

    reset_parser = actions.add_parser(
        "reset", parents=[common], help="forget a lesson, a module or the whole course",
        description="Forget part of your progress in the course: a lesson (its steps, completion"
        " and practice answers), a module (everything in it, quizzes included) or all of it."
        " Asks first unless --yes is given; with no terminal to ask on and no --yes, does"
        " nothing.",
    )
    scope = reset_parser.add_mutually_exclusive_group(required=True)
    scope.add_argument("--lesson", metavar="ID",
                       help="a lesson id, or MODULE/LESSON when several modules have it")
    scope.add_argument("--module", metavar="ID", help="a module id")
    scope.add_argument("--all", action="store_true", help="everything in the course")
    reset_parser.add_argument("--yes", "-y", action="store_true", help="do not ask first")
    reset_parser.set_defaults(handler=guarded(reset))

    sync_parser = actions.add_parser(
        "sync", parents=[common], help="send the learning records waiting for the lab's LRS",
        description="Send to the lab's Learning Record Store the xAPI statements waiting in this"
        " machine's progress store (every learner's), and say how many were sent, how many are"
        " still queued and how many the LRS refused, and why. The LRS is set with"
        " IVSTEM_LRS_URL and IVSTEM_LRS_AUTH (user:password, or a file holding it), or in"
        " the config file lrs.toml in your user config folder; never on the command line."
        " Exit status: 0 everything sent, 1 something is still queued or was refused, or no"
        " LRS is set.",
    )
    sync_parser.add_argument("--retry-refused", action="store_true",
                             help="put the statements the LRS refused back in the queue first"
                             " (once the LRS, or ivstem, is mended)")
    sync_parser.set_defaults(handler=guarded(sync))


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="a table for people (default), or JSON for scripts")


def show(args: argparse.Namespace) -> int:
    """Print the progress table and the dashboard's figures (or JSON) for the learner in the
    chosen course."""
    from course.record import dashboard

    learner = current_learner(args)
    with open_store(args, reading=True) as store:
        course = load_course_or_report(args, store)
        if course is None:
            return EXIT_PROBLEMS
        rows = module_rows(course, store.summary(learner, course.id))
        figures = dashboard.build(course, store, learner)
        position = store.position(learner, course.id)
        stored_name = store.learner_name(learner)
        outbox = store.outbox_status()
    learner = stored_name or learner
    if getattr(args, "format", "table") == "json":
        document = {
            "learner": learner,
            "course": {"id": course.id, "title": course.title, "version": course.version},
            "modules": [_row_json(row) for row in rows],
            "position": position,
            "figures": figures_json(figures),
        }
        json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    _print_table(course, learner, rows, position, recorded=stored_name is not None)
    if stored_name is not None:
        print()
        print("\n".join(figure_lines(figures)))
    if outbox.waiting or outbox.refused:
        print(f"Learning records for the lab's LRS: {outbox.waiting} waiting to be sent,"
              f" {outbox.refused} refused; `ivstem progress sync` sends them and says why.")
    return EXIT_OK


def figure_lines(figures: Dashboard) -> list[str]:
    """The dashboard's figures as plain lines of text: days in a row, answers in the last week,
    time studied, the review, and the weakest topics with the lessons to go over.

    Sentences without boxes or bars, so that a screen reader reads them as they are meant.
    """
    from course.record.dashboard import review_text, share_text, streak_text, studied_text
    from course.record.review import plural

    lines = [
        _sentence(streak_text(figures)),
        f"{plural(figures.last_week, 'answer')} in the last 7 days (today: {figures.days[-1]}).",
        _sentence(studied_text(figures)),
        review_text(figures, "`ivstem review` asks them"),
    ]
    if not figures.weakest:
        lines.append("Weakest topics: none yet. A topic is listed once some of your answers to"
                     " its questions are wrong.")
        return lines
    lines.append("Weakest topics, by the share of your answers right, lowest first:")
    for tag in figures.weakest:
        lessons = "; ".join(f"{module.title} > {lesson.title}" for module, lesson in tag.lessons)
        lines.append(f"- {tag.name}: {share_text(tag)}."
                     + (f" Go over: {lessons}." if lessons else ""))
    return lines


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def figures_json(figures: Dashboard) -> dict[str, Any]:
    """The dashboard's figures for scripts."""
    return {
        "streak_days": figures.streak,
        "studied_today": figures.studied_today,
        "answers_per_day": list(figures.days),
        "answers_last_7_days": figures.last_week,
        "seconds_studied": figures.seconds,
        "due_for_review": figures.due,
        "next_due": figures.next_due.isoformat() if figures.next_due else None,
        "weakest_topics": [
            {"tag": tag.tag, "name": tag.name, "answered": tag.answered, "right": tag.right,
             "lessons": [{"module": module.id, "lesson": lesson.id}
                         for module, lesson in tag.lessons]}
            for tag in figures.weakest
        ],
    }


def _row_json(row: ModuleRow) -> dict[str, Any]:
    data = asdict(row)
    data["last_studied"] = row.last_studied.isoformat() if row.last_studied else None
    return data


def _print_table(
    course: CourseLike,
    learner: str,
    rows: list[ModuleRow],
    position: dict[str, Any] | None,
    *,
    recorded: bool,
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from course.printable import printable
    from tui.cli.printable_output import raw

    # Rich styles the table itself, so it writes to the terminal directly: what it quotes
    # from files is made printable here, and given as Text, never read as markup (a `[link]`
    # in a title would otherwise become a hidden terminal link).
    table = Table(title=Text(printable(f"{course.title} (version {course.version})")),
                  title_justify="left")
    table.add_column("Module")
    table.add_column("Lessons done", justify="right")
    table.add_column("Best quiz", justify="right")
    table.add_column("Passed")
    table.add_column("Last studied")
    for row in rows:
        table.add_row(
            Text(printable(row.title)),
            f"{row.lessons_done}/{row.lessons_total}",
            _quiz_cell(row),
            "yes" if row.passed else "no",
            _when(row.last_studied),
        )
    console = Console(file=raw(sys.stdout), highlight=False)
    console.print(table)
    passed = sum(row.passed for row in rows)
    console.print(printable(f"Learner: {learner}. Modules passed: {passed} of {len(rows)}."),
                  markup=False)
    if not recorded:
        console.print("No progress recorded yet: run `ivstem` to start the course.", markup=False)
    resume = printable(_resume_text(course, position) or "")
    if resume:
        console.print(f"Continue where you left off: {resume}", markup=False)


def _quiz_cell(row: ModuleRow) -> str:
    if not row.has_quiz:
        return "no quiz"
    text = "-" if row.best_quiz_score is None else f"{row.best_quiz_score:.0%}"
    return f"{text} (in progress)" if row.quiz_in_progress else text


def _when(moment: datetime | None) -> str:
    # Learners think in their own clock, not UTC.
    return "never" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _resume_text(course: CourseLike, position: dict[str, Any] | None) -> str | None:
    """Where the saved position points, by titles; None if it names what the course lacks."""
    if not position:
        return None
    module = next((m for m in course.modules if m.id == position.get("module")), None)
    if module is None:
        return None
    lesson = next((item for item in module.lessons if item.id == position.get("lesson")), None)
    return module.title if lesson is None else f"{module.title} > {lesson.title}"


def export(args: argparse.Namespace) -> int:
    """Write the learner's records to FILE (or standard output for -)."""
    from course.record.progress.transfer import export_document, render, write_export

    if args.file is not None and args.output is not None:
        raise UsageError("progress export: give either FILE or -o FILE, not both")
    target = args.output if args.file is None else args.file
    if target is None:
        raise UsageError("progress export: say where to write: a FILE, -o FILE, or - for"
                         " standard output")
    learner = current_learner(args)
    with open_store(args, reading=True) as store:
        if store.learner_name(learner) is None:
            print(f"ivstem: there is no progress for learner {learner!r} to export."
                  f"{_profiles_hint(store)}", file=sys.stderr)
            return EXIT_PROBLEMS
        document = export_document(store, learner)
        store_path = store.path
    if target == "-":
        sys.stdout.write(render(document))
        return EXIT_OK
    destination = Path(target).expanduser()
    write_export(document, destination, store_path=store_path)
    records = document["records"]
    print(
        f"Exported the progress of {document['learner']!r} to {destination}:"
        f" {_plural(len(records['answers']), 'answer')},"
        f" {_plural(len(records['lessons']), 'lesson')} completed,"
        f" {_plural(len(records['quiz_attempts']), 'quiz attempt')}."
        " Import it on another machine with `ivstem progress import FILE`."
    )
    return EXIT_OK


def import_(args: argparse.Namespace) -> int:
    """Merge FILE into the learner named in it, or into --learner, less what cannot be right."""
    from course.material.model import Course
    from course.record.progress.transfer import (
        import_progress,
        read_progress_file,
        read_progress_stream,
    )
    from course.record.vetting import vet

    if args.file == "-":
        name = "standard input"
        progress = read_progress_stream(sys.stdin.buffer, name)
    else:
        name = args.file
        progress = read_progress_file(Path(args.file).expanduser())
    course = load_course_or_report(args, refused="nothing was imported")
    if course is None:
        return EXIT_PROBLEMS
    assert isinstance(course, Course)
    target = None if getattr(args, "learner", None) is None else current_learner(args)
    with open_store(args) as store:
        progress = vet(progress, course, store, target or progress.learner)
        report = import_progress(store, progress, target)
    if not progress.skipped:
        print(_merge_text(name, report))
        return EXIT_OK
    if report.changed:
        print(_merge_text(name, report))
    count = len(progress.skipped)
    print(f"ivstem: left out {_plural(count, 'record')} of {name} that cannot be right"
          f" (checked against “{course.title}” and the clock); the rest was imported:",
          file=sys.stderr)
    for skipped in progress.skipped[:SKIPPED_SHOWN]:
        print(f"- {skipped}", file=sys.stderr)
    if count > SKIPPED_SHOWN:
        print(f"- and {count - SKIPPED_SHOWN} more.", file=sys.stderr)
    return EXIT_PROBLEMS


#: How many left-out records an import lists one by one.
SKIPPED_SHOWN = 20


def _merge_text(name: str, report: MergeReport) -> str:
    if report.changed == 0:
        return (f"Nothing new in {name}: the progress of {report.learner!r} already has all of"
                " it.")
    labels = {
        "answers": ("answer", "answers"),
        "steps": ("step reached", "steps reached"),
        "lessons": ("lesson completed", "lessons completed"),
        "quiz_states": ("quiz in progress", "quizzes in progress"),
        "quiz_attempts": ("quiz attempt", "quiz attempts"),
        "modules_passed": ("module passed", "modules passed"),
        "positions": ("position", "positions"),
        "time": ("study session", "study sessions"),
        "review_cards": ("review card", "review cards"),
    }
    parts = [_plural(count, *labels[kind]) for kind, count in report.counts.items() if count]
    return f"Imported {name} into the progress of {report.learner!r}: {', '.join(parts)}."


def reset(args: argparse.Namespace) -> int:
    """Forget a lesson, a module or the whole course for the learner, after asking."""
    learner = current_learner(args)
    with open_store(args) as store:
        course = load_course_or_report(args, store)
        if course is None:
            return EXIT_PROBLEMS
        action: Callable[[], int]
        if args.all:
            what = f"all progress in {course.title!r}"
            action = functools.partial(store.reset_course, learner, course.id)
        elif args.module is not None:
            module_id = _known_module(store, learner, course, args.module)
            what = f"module {_module_title(course, module_id)!r}"
            action = functools.partial(store.reset_module, learner, course.id, module_id)
        else:
            module_id, lesson_id = _known_lesson(store, learner, course, args.lesson)
            what = f"lesson {_lesson_title(course, module_id, lesson_id)!r}"
            action = functools.partial(store.reset_lesson, learner, course.id, module_id,
                                       lesson_id)
        if not args.yes:
            answer = confirm(f"Reset {what} for learner {learner!r}? This cannot be undone.")
            if answer is None:
                return refuse_without_terminal("resetting")
            if not answer:
                print("Nothing was reset.")
                return EXIT_OK
        removed = action()
    if removed == 0:
        print(f"Nothing to reset: learner {learner!r} has no progress in {what}.")
    else:
        print(f"Reset {what} for learner {learner!r}: {_plural(removed, 'record')} removed.")
    return EXIT_OK


def sync(args: argparse.Namespace) -> int:
    """Send the outbox to the configured LRS; print what was sent, what waits, what was refused."""
    from course.record.lrs.config import ENV_AUTH, ENV_URL, LrsConfigError, config_path, load_config
    from course.record.lrs.sending import sync_outbox

    try:
        config = load_config()
    except LrsConfigError as exc:
        print(f"ivstem: progress sync: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    with open_store(args) as store:
        if config is None:
            waiting = store.outbox_status().waiting
            kept = f" {_plural(waiting, 'learning record')} wait here." if waiting else ""
            print(f"ivstem: progress sync: no Learning Record Store is set. Set {ENV_URL} and"
                  f" {ENV_AUTH}, or write them in {config_path()}.{kept}", file=sys.stderr)
            return EXIT_PROBLEMS
        if args.retry_refused:
            again = store.retry_refused()
            print(f"Put {_plural(again, 'refused learning record')} back in the queue.")
        result = sync_outbox(store, config)
        refused = store.refused_statements()
    new = f" ({result.new} new there)" if result.sent else ""
    print(f"Learning records: {result.sent} sent to the LRS at {config.host}{new},"
          f" {result.waiting} still queued, {result.set_aside} refused.")
    reasons: dict[str, int] = {}
    for _, reason in refused:
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in reasons.items():
        print(f"refused: {_plural(count, 'record')}: {reason}")
    if refused:
        print("The refused records are kept. Once the cause is mended, run"
              " `ivstem progress sync --retry-refused`.")
    if result.fault is not None:
        print(f"ivstem: progress sync: {result.fault}", file=sys.stderr)
    return EXIT_OK if not result.waiting and not refused else EXIT_PROBLEMS


def _known_module(store: ProgressStore, learner: str, course: CourseLike, given: str) -> str:
    """A module id of the course, or one the learner has records of (a module since removed)."""
    known = [m.id for m in course.modules] + sorted(store.summary(learner, course.id))
    if given in known:
        return given
    raise UsageError(
        f"progress reset: there is no module {given!r}{_suggest(given, known, known)}"
    )


def _known_lesson(
    store: ProgressStore, learner: str, course: CourseLike, given: str
) -> tuple[str, str]:
    """(module id, lesson id) for --lesson ID or --lesson MODULE/LESSON."""
    if "/" in given:
        module_id, _, lesson_id = given.partition("/")
        modules = {m.id for m in course.modules if any(x.id == lesson_id for x in m.lessons)}
        modules |= store.lesson_modules(learner, course.id, lesson_id)
        if module_id in modules:
            return module_id, lesson_id
        raise UsageError(f"progress reset: module {module_id!r} has no lesson {lesson_id!r}")
    modules = {m.id for m in course.modules if any(x.id == given for x in m.lessons)}
    modules |= store.lesson_modules(learner, course.id, given)
    if len(modules) == 1:
        return modules.pop(), given
    if modules:
        choices = ", ".join(f"{m}/{given}" for m in sorted(modules))
        raise UsageError(f"progress reset: several modules have a lesson {given!r}; give one of:"
                         f" {choices}")
    known = [lesson.id for module in course.modules for lesson in module.lessons]
    listing = [f"{module.id}/{lesson.id}" for module in course.modules for lesson in module.lessons]
    raise UsageError(
        f"progress reset: there is no lesson {given!r}{_suggest(given, known, listing)}"
    )


def _module_title(course: CourseLike, module_id: str) -> str:
    module = next((m for m in course.modules if m.id == module_id), None)
    return module.title if module else module_id


def _lesson_title(course: CourseLike, module_id: str, lesson_id: str) -> str:
    module = next((m for m in course.modules if m.id == module_id), None)
    lesson = next((x for x in module.lessons if x.id == lesson_id), None) if module else None
    return lesson.title if lesson else f"{module_id}/{lesson_id}"


def _suggest(given: str, known: Sequence[str], listing: Sequence[str]) -> str:
    """A did-you-mean for a near miss, else the ids there are (titles are all a learner sees)."""
    from course.material.problems import did_you_mean

    hint = did_you_mean(given, known)
    if hint:
        return f"; {hint}"
    return f". The ids are: {', '.join(dict.fromkeys(listing))}" if listing else ""


def _profiles_hint(store: ProgressStore) -> str:
    names = store.learners()
    if not names:
        return " No learner has any progress here yet."
    return f" Learners here: {', '.join(names)} (choose one with --learner NAME)."


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"1 {word}" if count == 1 else f"{count} {plural or word + 's'}"
