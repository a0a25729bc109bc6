"""Templates for a new course or module, and adding a module to `course.yaml` as text.

Every file written carries the yaml-language-server comment that points at a JSON Schema kept in
the course's own `schema/` folder (relative path), so completion works offline. The module
template holds a small valid lesson and quiz, and commented examples of every step kind and
question type; each example block is valid YAML once the leading `# ` of its lines is removed.

`course.yaml` is edited as text, never loaded and dumped again, so the author's comments, order
and quoting survive.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from course.material.schema import KINDS as SCHEMA_KINDS
from course.material.schema import SCHEMA_FOLDER, schema_text

MODULES_FOLDER = "modules"
FIRST_MODULE = f"{MODULES_FOLDER}/01-first-module.yaml"

#: The first and last line of each block of commented examples.
STEP_EXAMPLES_START = "# -- Examples of every step kind."
STEP_EXAMPLES_END = "# -- End of the step examples."
QUESTION_EXAMPLES_START = "# -- Examples of every question type."
QUESTION_EXAMPLES_END = "# -- End of the question examples."

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NUMBERED = re.compile(r"^(\d+)-")


class ScaffoldError(Exception):
    """A template that cannot be written; `str()` says why and what to do."""


def is_slug(text: str) -> bool:
    """Whether `text` is a valid id: lowercase letters, digits and single hyphens."""
    return bool(_SLUG.match(text))


def slugify(text: str, fallback: str = "my-course") -> str:
    """A slug made from any text (`My Course!` -> `my-course`), or `fallback` if none is left."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or fallback


def title_from_slug(slug: str) -> str:
    """A title to start from: `first-module` -> `First module`."""
    words = slug.replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else "Untitled"


def _quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: whatever the title holds (a colon, a
    # leading `-`, the word No), it stays text.
    return json.dumps(text, ensure_ascii=False)


# -- templates --------------------------------------------------------------------------------


def course_text(course_id: str, title: str) -> str:
    """The text of a new `course.yaml`."""
    return f"""\
# yaml-language-server: $schema=./{SCHEMA_FOLDER}/course.schema.json
#
# The course manifest: what the course is and which files make it, in order of study.
# The format is described in docs/authoring-format.md of ivstem. After each change, run
#   ivstem validate .
# from this folder; it points at every mistake by file, line and column.

format: 1                       # the authoring format version
id: {course_id}{_pad(course_id, 28)}# a slug; progress is keyed by it: keep it once used
title: {_quoted(title)}
version: "0.1"                  # your content's own version, shown to learners (quoted: stays text)
summary: |
  What the course is about and who it is for, in Markdown. Learners see it first.
# disclaimer: |                 # optional Markdown, shown once before the first lesson
#   This course is education, not medical advice.
settings:
  pass_mark: 0.8                # share of a quiz's points needed to pass it
  gating: sequential            # sequential: a module opens when the one before is passed
                                # open: every module is open from the start
  quiz_attempts: 0              # 0 = unlimited retakes of a module quiz
  quiz_after_lessons: true      # true: a module's quiz opens once all its lessons are done
                                # false: it can be taken at any time (e.g. as a pre-test)
  allow_typo: false             # true: short answers forgive one typo per word of 6+ letters
modules:                        # the order of study; `ivstem new module . ID` adds one here
  - {FIRST_MODULE}
glossary: glossary.yaml
references: references.yaml
# authors: [Your Name]          # shown on the welcome screen
# license: CC-BY-SA-4.0         # the content's licence
language: en
# topics:                       # readable names of tags your questions have, for the dashboard
#   dose: "Dose and how it is measured"
"""


def _pad(text: str, width: int) -> str:
    return " " * max(1, width - len(text))


def glossary_text() -> str:
    """The text of a new `glossary.yaml` with one example term."""
    return f"""\
# yaml-language-server: $schema=./{SCHEMA_FOLDER}/glossary.schema.json
#
# Terms learners can look up. Link one from any Markdown text with
# [shown text](glossary:ID), for example [the example](glossary:example-term).

terms:
  - id: example-term            # a slug, unique in the glossary
    term: Example term
    abbr: ET                    # optional abbreviation
    aka: [sample term]          # optional other names
    definition: |
      A definition, in Markdown. It may link other terms of the glossary.
"""


def references_text() -> str:
    """The text of a new `references.yaml` with one example reference."""
    return f"""\
# yaml-language-server: $schema=./{SCHEMA_FOLDER}/references.schema.json
#
# The works the course cites. Link one from any Markdown text with [shown text](ref:ID),
# and list those that support a question's answer in its `refs: [ID, ...]`.

references:
  - id: example-reference       # a slug, unique among the references
    citation: "Author A, Author B. Title of the work. Journal or publisher, 2026."
    # short: "Author and Author, 2026" # optional: the label where it is cited in little space
    url: https://example.org/   # optional
    year: 2026                  # optional
    kind: review    # regulator | trial | review | guideline | case-report | news | other
"""


def module_text(module_id: str, title: str, *, example_links: bool = False) -> str:
    """The text of a new module file, with commented examples of every step kind and question.

    `example_links` adds live links to the example glossary term and reference that a new
    course has; a module added to another course has only a comment showing the link syntax,
    since it cannot know which ids exist there.
    """
    if example_links:
        links = (
            "          Link a glossary term like [this](glossary:example-term), a reference like\n"
            "          [this](ref:example-reference), or a web page like"
            " [this](https://example.org).\n"
        )
    else:
        links = (
            "          Link a web page like [this](https://example.org). To link a glossary\n"
            "          term or a reference, write glossary:ID or ref:ID as the address.\n"
        )
    m = module_id
    return f"""\
# yaml-language-server: $schema=../{SCHEMA_FOLDER}/module.schema.json
#
# A module: lessons shown in order, then an optional graded quiz.
# The format is described in docs/authoring-format.md of ivstem; check your work with
#   ivstem validate COURSE_DIR
# Text marked Markdown may use **bold**, *italic*, lists and links.

id: {m}{_pad(m, 28)}# a slug, unique in the course; saved progress is keyed by it
title: {_quoted(title)}
summary: |
  One short paragraph, in Markdown: what this module is about.
objectives:                     # what the learner can do afterwards
  - Say what this module teaches
estimated_minutes: 15
# reviewed: "2026-11"           # when the facts were last checked (quoted, so it stays text)
# jurisdiction: [US, EU]        # whose law or approvals the module speaks of
# requires: [another-module]    # module ids to pass first (overrides settings.gating)

lessons:
  - id: first-lesson            # a slug, unique in the module
    title: First lesson
    steps:                      # shown one at a time, in order
      - text: |
          A Markdown step. Write short paragraphs; each step is one screen.
{links}\
      {STEP_EXAMPLES_START} To use one, remove the "# " at the start of its lines.
      # - callout:                # a boxed note
      #     kind: key             # key | note | warning | myth
      #     title: Remember       # optional
      #     text: |
      #       The one thing to take away from this lesson.
      # - check:                  # an ungraded practice question: feedback at once, retries
      #     id: {m}-practice
      #     type: true_false      # any question type; see the quiz examples below
      #     prompt: Practice questions are not graded.
      #     answer: true
      #     explanation: Learners see this after answering, right or wrong.
      # - scenario:               # a branching walk-through
      #     id: first-scenario    # a slug, unique in the module
      #     title: What would you advise?
      #     start: asked
      #     nodes:
      #       asked:
      #         text: A clinic offers an infusion. Is it part of a registered trial?
      #         choices:
      #           - {{label: "Yes", goto: trial}}
      #           - {{label: "No", goto: ask-more}}
      #       ask-more:
      #         text: Has the product been approved for this use?
      #         choices:
      #           - {{label: "Yes", goto: approved}}
      #           - {{label: "No", goto: unproven}}
      #       trial:
      #         end: |
      #           An ending, in Markdown. Every path must reach one.
      #       approved:
      #         end: Another ending.
      #       unproven:
      #         end: A third ending.
      {STEP_EXAMPLES_END}

quiz:                           # optional: the graded end-of-module quiz
  # pass_mark: 0.8              # overrides settings.pass_mark of course.yaml
  # draw: 5                     # ask this many, drawn from the questions (default: all)
  shuffle: true                 # shuffle the order of the questions
  questions:
    - id: {m}-first-question{_pad(m + "-first-question", 24)}# unique in the whole course
      type: single              # exactly one option is correct
      prompt: Which step kind shows a boxed note?
      options:
        - text: callout
          correct: true
          feedback: Right.      # optional, per option
        - text: scenario
          feedback: A scenario is a branching walk-through.
      explanation: A callout is a boxed note of kind key, note, warning or myth.
    {QUESTION_EXAMPLES_START} To use one, remove the "# " at the start of its lines.
    # # Every question has id, type and prompt. Optional: explanation, hint, points (default 1),
    # # tags, and refs (reference ids that support the answer, e.g. refs: [example-reference]).
    # - id: {m}-single
    #   type: single            # exactly one option is correct
    #   prompt: Which is the main proposed mechanism of IV-infused MSCs?
    #   options:
    #     - text: Paracrine signalling
    #       correct: true
    #       feedback: Right. They act mostly through what they secrete.
    #     - text: Becoming new tissue at the injury
    #       feedback: Few cells persist.
    #     - text: No                 # only true and false are booleans: this is the text "No"
    #   shuffle: true           # options in random order (default)
    #   explanation: Shown after answering.
    #   hint: Shown on request, before answering.
    #   points: 2
    #   tags: [mechanisms]
    # - id: {m}-multiple
    #   type: multiple          # one or more options are correct
    #   prompt: Which are documented risks of unapproved IV cell products?
    #   options:
    #     - {{text: Infection, correct: true}}
    #     - {{text: Blood clots, correct: true}}
    #     - {{text: Eternal youth}}
    #   scoring: partial        # partial (default): credit per option | all_or_nothing
    #   # An option's `credit` sets its share of the points instead (Moodle's weights), e.g.
    #   # {{text: Infection, correct: true, credit: 0.5}}, {{text: Eternal youth, credit: -0.5}}
    # - id: {m}-true-false
    #   type: true_false
    #   prompt: Hematopoietic stem cell transplants are approved for some blood cancers.
    #   answer: true
    #   feedback:               # optional
    #     true: Right.
    #     false: They are approved for several.
    # - id: {m}-short
    #   type: short             # a typed answer
    #   prompt: Which FDA application lets a sponsor test an unapproved biologic in people?
    #   accept:
    #     - IND
    #     - Investigational New Drug
    #     - {{text: drug application, credit: 0.5, feedback: "Which one?"}}  # half the points
    #   wrong:                  # optional: expected mistakes, each with its feedback
    #     - {{text: NDA, feedback: An NDA asks to sell a drug; it comes after the trials.}}
    #   match: normalized       # normalized (default): case, spaces, punctuation ignored
    #                           # exact | regex (each accept entry is then a regular expression)
    #   allow_typo: true        # optional: forgive one typo per word of six letters or more
    #                           # (normalized only; unset: settings.allow_typo of course.yaml)
    # - id: {m}-numeric
    #   type: numeric
    #   prompt: In what year did the FDA approve its first MSC therapy?
    #   answer: 2024
    #   tolerance: 0            # optional, absolute
    #   unit: ""                # optional, shown beside the input
    #   # or, in place of answer and tolerance, numbers that earn part of the points:
    #   # answers:
    #   #   - {{answer: 2024, feedback: "Yes: Ryoncil, in December 2024."}}
    #   #   - {{answer: 2024, tolerance: 1, credit: 0.5, feedback: A year off.}}
    # - id: {m}-order
    #   type: order             # write the items in the correct order; learners see them shuffled
    #   prompt: Put the clinical trial phases in order.
    #   items: [Phase I, Phase II, Phase III, Approval decision]
    #   scoring: all_or_nothing # all_or_nothing (default) | partial
    # - id: {m}-match
    #   type: match             # pair each left item with its right item
    #   prompt: Match each term to its meaning.
    #   pairs:
    #     - [Autologous, From the patient's own body]
    #     - [Allogeneic, From a donor]
    #   distractors: [From an animal]   # optional right-hand items that match nothing
    # - id: {m}-categorize
    #   type: categorize        # sort items into categories
    #   prompt: Sort each claim by the evidence behind it.
    #   categories: [Approved use, Investigational, Unsupported]
    #   items:
    #     - {{text: HSCT for leukaemia, category: Approved use}}
    #     - {{text: IV MSCs for multiple sclerosis, category: Investigational}}
    #     - {{text: IV MSCs to reverse ageing, category: Unsupported}}
    {QUESTION_EXAMPLES_END}
"""


def schema_texts() -> dict[str, str]:
    """The JSON Schema of each kind of file, by its path in the course folder."""
    return {
        f"{SCHEMA_FOLDER}/{kind}.schema.json": schema_text(kind) for kind in SCHEMA_KINDS
    }


def course_files(course_id: str, title: str) -> dict[str, str]:
    """Every file of a new course, by its path relative to the course folder."""
    files = {
        "course.yaml": course_text(course_id, title),
        "glossary.yaml": glossary_text(),
        "references.yaml": references_text(),
        FIRST_MODULE: module_text("first-module", "First module", example_links=True),
    }
    files.update(schema_texts())
    return files


# -- writing ----------------------------------------------------------------------------------


def write_course(folder: Path, course_id: str, title: str) -> list[Path]:
    """Write a new course into `folder` (created if needed); return the files written.

    Refuses, writing nothing, when any of the files already exists.
    """
    if not is_slug(course_id):
        raise ScaffoldError(f"{course_id!r} is not a valid course id: use lowercase letters,"
                            f" digits and hyphens, for example {slugify(course_id)!r}")
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} is a file, not a folder")
    files = course_files(course_id, title)
    existing = [name for name in files if (folder / name).exists()]
    if existing:
        listed = ", ".join(existing[:3])
        if len(existing) > 3:
            listed += f" and {len(existing) - 3} more of the files it would write"
        raise ScaffoldError(f"{folder} already has {listed}; nothing was written."
                            " Choose a new folder, or move those files away first")
    written: list[Path] = []
    try:
        for name, text in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_new(path, text)
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise ScaffoldError(f"cannot write in {folder}: {_reason(exc)}") from exc
    return written


@dataclass(frozen=True)
class AddedModule:
    """A module added to a course: its file, and the schema files written beside the course."""

    path: Path
    relative: str
    schemas: tuple[Path, ...]


def add_module(folder: Path, module_id: str, title: str) -> AddedModule:
    """Write `modules/NN-ID.yaml` (NN the next number) and list it last in `course.yaml`.

    The module list is edited as text; if the edit cannot be made safely (the list is written
    in a way we do not recognise), nothing is written and ScaffoldError says what to add.
    """
    if not is_slug(module_id):
        example = slugify(module_id, "new-module")
        raise ScaffoldError(f"{module_id!r} is not a valid module id: use lowercase letters,"
                            f" digits and hyphens, for example {example!r}")
    manifest = folder / "course.yaml"
    if not manifest.is_file():
        raise ScaffoldError(f"{folder} is not a course folder (it has no course.yaml);"
                            " start one with `ivstem new course DIR`")
    try:
        text = manifest.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScaffoldError(f"{manifest} is not UTF-8 text") from exc
    except OSError as exc:
        raise ScaffoldError(f"cannot read {manifest}: {_reason(exc)}") from exc
    listed = module_paths(text, manifest)
    taken = _module_ids(folder, listed)
    if module_id in taken:
        raise ScaffoldError(f"the course already has a module with id {module_id!r}"
                            f" ({taken[module_id]}); choose another id")
    relative = f"{MODULES_FOLDER}/{_next_number(folder, listed):02d}-{module_id}.yaml"
    path = folder / relative
    if path.exists():
        raise ScaffoldError(f"{path} already exists; nothing was written")
    new_manifest = add_to_module_list(text, relative, manifest)
    schemas = [folder / name for name in schema_texts() if not (folder / name).exists()]
    written: list[Path] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_new(path, module_text(module_id, title))
        written.append(path)
        # The module's schema comment points at ../schema/; a course made by hand may lack it.
        for schema_path in schemas:
            schema_path.parent.mkdir(parents=True, exist_ok=True)
            _write_new(schema_path, schema_texts()[schema_path.relative_to(folder).as_posix()])
            written.append(schema_path)
        _replace(manifest, new_manifest)
    except OSError as exc:
        for done in written:
            done.unlink(missing_ok=True)
        raise ScaffoldError(f"cannot write in {folder}: {_reason(exc)}") from exc
    return AddedModule(path, relative, tuple(schemas))


def module_paths(text: str, name: Path | str = "course.yaml") -> list[str]:
    """The module paths listed in the text of a `course.yaml`."""
    node = _modules_node(text, name)
    return [item.value for item in node.value if isinstance(item, yaml.ScalarNode)]


def add_to_module_list(text: str, relative: str, name: Path | str = "course.yaml") -> str:
    """The text of `course.yaml` with `relative` added at the end of its `modules:` list.

    Only the list is touched: comments, blank lines and every other line stay as written. The
    result is parsed again to make sure the list now ends with the new path.
    """
    node = _modules_node(text, name)
    if not node.value:
        raise ScaffoldError(f"{name}: the `modules:` list is empty; write `modules: [{relative}]`")
    last = node.value[-1]
    entry = _like(last, relative)
    if node.flow_style:
        index = last.end_mark.index
        new_text = text[:index] + ", " + entry + text[index:]
    else:
        start = text.rfind("\n", 0, last.start_mark.index) + 1
        prefix = text[start:last.start_mark.index]
        if prefix.strip() != "-":
            raise ScaffoldError(
                f"{name}: the `modules:` list is written in a way this command cannot extend;"
                f" add `{relative}` to it yourself")
        end = text.find("\n", last.end_mark.index)
        if end < 0:
            new_text = text + "\n" + prefix + entry + "\n"
        else:
            # Before the line's end, so a file with Windows line ends keeps them throughout.
            line_end = end - 1 if text[end - 1] == "\r" else end
            newline = text[line_end:end + 1]
            new_text = text[:line_end] + newline + prefix + entry + text[line_end:]
    if module_paths(new_text, name) != [*module_paths(text, name), relative]:
        raise ScaffoldError(f"{name}: the `modules:` list could not be extended safely;"
                            f" add `{relative}` to it yourself")
    return new_text


def _modules_node(text: str, name: Path | str) -> yaml.SequenceNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ScaffoldError(f"{name} does not parse as YAML ({_first_line(exc)});"
                            " run `ivstem validate` on the course") from exc
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "modules":
                if isinstance(value, yaml.SequenceNode):
                    return value
                raise ScaffoldError(f"{name}: `modules:` is not a list; write each module path"
                                    " on its own `  - ` line")
    raise ScaffoldError(f"{name} has no `modules:` list; run `ivstem validate` on the course")


def _like(last: yaml.ScalarNode, relative: str) -> str:
    """`relative` written in the quoting style of the entry before it."""
    if last.style == "'":
        return "'" + relative.replace("'", "''") + "'"
    if last.style == '"':
        return json.dumps(relative)
    return relative


def _module_ids(folder: Path, listed: list[str]) -> dict[str, str]:
    """Module id -> path, for each listed module file that can be read."""
    from course.material.yaml_source import read_file

    ids: dict[str, str] = {}
    for relative in listed:
        path = folder / relative
        if path.is_file():
            data = read_file(path).data
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                ids[data["id"]] = relative
    return ids


def _next_number(folder: Path, listed: list[str]) -> int:
    names = [Path(p).name for p in listed]
    modules = folder / MODULES_FOLDER
    if modules.is_dir():
        names.extend(p.name for p in modules.iterdir())
    numbers = [int(m.group(1)) for m in map(_NUMBERED.match, names) if m]
    return max([len(listed), *numbers]) + 1


def _write_new(path: Path, text: str) -> None:
    # "x": never replace a file that appeared after we checked.
    with path.open("x", encoding="utf-8", newline="\n") as out:
        out.write(text)


def _replace(path: Path, text: str) -> None:
    """Replace a file's text atomically, keeping its permissions."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
