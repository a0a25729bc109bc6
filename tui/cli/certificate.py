"""`ivstem certificate`: write your own completion record, issue signed ones, or check one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from tui.cli.progress import current_learner, guarded, load_course_or_report, open_store

if TYPE_CHECKING:
    from course.record.signing import PrivateKey, PublicKey

#: `--verify`: a valid signature, but no --key to say whose key made it.
EXIT_SIGNER_UNCONFIRMED = 3
#: `--verify`: a record written without a key, as it was written.
EXIT_SELF_REPORTED = 4

DESCRIPTION = (
    "When every module is passed, write your completion record as Markdown and as one"
    " self-contained HTML page (ivstem-certificate-COURSE-LEARNER.md and .html): learner,"
    " course id and version, each module's score and the date you passed it, the completion"
    " date, and a verification code computed from all of these. Before then, says what remains."
    " Such a record is self-reported, not signed, and says so: anyone with ivstem can write one."
    " An instructor issues signed records with `ivstem certificate issue` (see its --help)."
    " --verify FILE checks a record: it reads the fields embedded in the file, recomputes the"
    " code and the visible text, checks the signature, and says what it found. Exit status:"
    " writing, 0 written, 1 not complete yet or not written; --verify, 0 signed by the key"
    " given with --key and not altered, 1 altered, forged, or signed by another key than"
    " --key, 2 the file or the key is missing or cannot be read (and 2 for a usage error),"
    f" {EXIT_SIGNER_UNCONFIRMED} validly signed but no --key was given, so whose key signed it"
    f" is not confirmed, {EXIT_SELF_REPORTED} self-reported, not signed (as it was written, but"
    " proving nothing about who passed)."
)

ISSUE_DESCRIPTION = (
    "Issue signed completion records from learners' progress exports (files made with"
    " `ivstem progress export`, or folders of them). Each file is checked (form, checksum, the"
    " clock, the course); the files of one learner are merged; a learner gets a record only if"
    " every lesson of the course (--course, default the shipped course) is completed and every"
    " module quiz has an attempt that passes when its saved answers are graded again with the"
    " course's questions and pass mark (the scores the file states are not believed). The"
    " record is signed with your private key (from `ivstem keys new`) and written to DIR as"
    " Markdown and HTML. Learners who fall short are listed with what is missing. Anyone with"
    " your public key checks a record with `ivstem certificate --verify FILE --key"
    " PUBLIC_KEY`. Exit status: 0 a record for every learner, 1 a learner got none or a file was"
    " left out, 2 usage error or a key that cannot be read."
)


def register(subcommands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the `certificate` command and its `issue` action."""
    parser = subcommands.add_parser(
        "certificate", parents=[common],
        help="write your completion record, issue signed ones, or check one",
        description=DESCRIPTION,
    )
    parser.add_argument("-o", "--output", metavar="DIR", default=None,
                        help="the folder to write the two files in (default: the current one)")
    parser.add_argument("--verify", metavar="FILE", default=None,
                        help="check a record (.md or .html) instead of writing one")
    parser.add_argument("--key", metavar="PUBLIC_KEY", default=None,
                        help="with --verify: the public key file of the instructor who should"
                        " have signed it")
    parser.set_defaults(handler=run)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    issue_parser = actions.add_parser(
        "issue", parents=[common], help="issue signed records from learners' progress exports",
        description=ISSUE_DESCRIPTION,
    )
    issue_parser.add_argument("exports", nargs="+", metavar="EXPORT",
                              help="progress files, or folders of them")
    issue_parser.add_argument("--key", dest="private_key", metavar="PRIVATE_KEY",
                              required=True, help="your private key file (ivstem keys new)")
    issue_parser.add_argument("-o", "--output", dest="issue_output", metavar="DIR",
                              required=True, help="the folder to write the records in")
    issue_parser.set_defaults(handler=issue)


def run(args: argparse.Namespace) -> int:
    """Verify FILE, or write the learner's record."""
    if args.verify is not None:
        if args.output is not None:
            raise UsageError("certificate: give either --verify FILE or -o DIR, not both")
        key = None if args.key is None else _public_key(Path(args.key).expanduser())
        return verify(Path(args.verify).expanduser(), key)
    if args.key is not None:
        raise UsageError("certificate: --key PUBLIC_KEY goes with --verify FILE; to sign"
                         " records, use `ivstem certificate issue EXPORTS... --key"
                         " PRIVATE_KEY -o DIR`")
    return guarded(write)(args)


def verify(path: Path, key: PublicKey | None = None) -> int:
    """Say what a record file is: signed (by whom), self-reported, or altered."""
    from course.record.certificate import Kind, UnreadableError
    from course.record.certificate import verify as check

    try:
        verdict = check(path, key)
    except UnreadableError as exc:
        print(f"ivstem: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(verdict.message)
    return {
        Kind.SIGNED: EXIT_OK,
        Kind.SIGNER_UNCONFIRMED: EXIT_SIGNER_UNCONFIRMED,
        Kind.SELF_REPORTED: EXIT_SELF_REPORTED,
    }.get(verdict.kind, EXIT_PROBLEMS)


def _public_key(path: Path) -> PublicKey:
    from course.record.signing import KeyFileError, read_public_key

    try:
        return read_public_key(path)
    except KeyFileError as exc:
        raise UsageError(f"certificate --key: {exc}") from exc


def _private_key(path: Path) -> PrivateKey:
    from course.record.signing import KeyFileError, read_private_key, readable_by_others

    try:
        key = read_private_key(path)
    except KeyFileError as exc:
        raise UsageError(f"certificate issue --key: {exc}") from exc
    if readable_by_others(path):
        print(f"ivstem: warning: {path} can be read by other accounts on this machine; anyone"
              f" who copies it can sign records as you. Make it yours alone: chmod 600 {path}",
              file=sys.stderr)
    return key


def write(args: argparse.Namespace) -> int:
    """Write the self-reported record of the learner in the course, or say what remains."""
    from course.material.model import Course
    from course.record.certificate import NotCompleteError, build_record
    from course.record.certificate import write as write_files

    learner = current_learner(args)
    folder = Path(args.output).expanduser() if args.output else Path.cwd()
    if not folder.is_dir():
        raise UsageError(f"certificate: -o {folder}: there is no such folder")
    course = load_course_or_report(args)
    if course is None:
        return EXIT_PROBLEMS
    assert isinstance(course, Course)
    with open_store(args, reading=True) as store:
        try:
            record = build_record(course, store, learner)
        except NotCompleteError as exc:
            print(f"Not yet: {learner} has not passed every module of “{course.title}”."
                  " What remains:")
            for line in exc.remaining:
                print(f"- {line}")
            return EXIT_PROBLEMS
    try:
        paths = write_files(record, folder)
    except OSError as exc:
        print(f"ivstem: certificate: cannot write in {folder}: {exc.strerror or exc}.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Wrote the completion record of {record.learner} in “{course.title}”"
          " (self-reported, not signed):")
    for path in paths:
        print(f"- {path}")
    print(f"Verification code: {record.code}. Check a copy with"
          " `ivstem certificate --verify FILE`. For a signed record, give your instructor"
          " your progress (`ivstem progress export FILE`).")
    return EXIT_OK


def issue(args: argparse.Namespace) -> int:
    """Issue signed records to the learners whose exports show the course completed."""
    from course.instructor.issuing import issue as issue_records
    from course.material.model import Course
    from course.record.certificate import file_stem
    from course.record.certificate import write as write_files

    key = _private_key(Path(args.private_key).expanduser())
    folder = Path(args.issue_output).expanduser()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"certificate issue: -o {folder} is a file; give a folder")
    course = load_course_or_report(args, refused="no record was issued")
    if course is None:
        return EXIT_PROBLEMS
    assert isinstance(course, Course)
    result = issue_records(course, [Path(p).expanduser() for p in args.exports], key)
    for skipped in result.skipped:
        print(f"ivstem: certificate issue: left out {skipped.path}: {skipped.reason}",
              file=sys.stderr)
    for path, what in result.left_out:
        print(f"note: {path}: a record that cannot be right was not used: {what}",
              file=sys.stderr)
    written = 0
    if result.records:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"ivstem: certificate issue: cannot make {folder}: {exc.strerror or exc}.",
                  file=sys.stderr)
            return EXIT_PROBLEMS
    stems: set[str] = set()
    for record in result.records:
        stem = file_stem(record)
        number = 2
        while stem.casefold() in stems:
            stem, number = f"{file_stem(record)}-{number}", number + 1
        stems.add(stem.casefold())
        try:
            paths = write_files(record, folder, stem)
        except OSError as exc:
            print(f"ivstem: certificate issue: cannot write in {folder}:"
                  f" {exc.strerror or exc}.", file=sys.stderr)
            return EXIT_PROBLEMS
        written += 1
        print(f"Issued the signed record of {record.learner} (code {record.code}):"
              f" {paths[0]}, {paths[1]}")
    for refusal in result.refused:
        print(f"Not issued to {refusal.learner}: the progress does not complete"
              f" “{course.title}”:")
        for reason in refusal.reasons:
            print(f"- {reason}")
    signer = key.public
    print(f"Signed {written} record{'' if written == 1 else 's'} as “{signer.name}” (key"
          f" {signer.fingerprint}); {len(result.refused)} learner"
          f"{' was' if len(result.refused) == 1 else 's were'} refused.")
    if not result.records and not result.refused and not result.skipped:
        print("ivstem: certificate issue: no progress file was given.", file=sys.stderr)
    complete = not result.refused and not result.skipped and written > 0
    return EXIT_OK if complete else EXIT_PROBLEMS
