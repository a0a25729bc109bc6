"""Write the broken-course corpus: each case is the valid course with one edit (a few, several).

Run `python tests/data/make_broken.py` after changing `courses/valid`. Each case folder gets an
`expected.txt` of `file:line:col: words of the message`, where line and column are found by
searching the edited text for the spot the edit made wrong: the place a person would point at.
The validator never computes them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

HERE = Path(__file__).parent / "courses"
VALID = HERE / "valid"
BROKEN = HERE / "broken"

B, M, C, G, R = ("modules/01-basics.yaml", "modules/02-more.yaml", "course.yaml",
                 "glossary.yaml", "references.yaml")

# name: ([(file, old, new), ...], [(file, anchor, nth occurrence, words of the message), ...])
# The anchor is text in the edited file; its nth occurrence (1 = first) is where the problem is.
CASES: dict[str, tuple[list[tuple[str, str, str]], list[tuple[str, str, int, str]]]] = {
    "unknown-field-typo": (
        [(B, "          options:\n            - text: Paracrine",
          "          optoins:\n            - text: Paracrine")],
        [(B, "optoins", 1, "unknown field `optoins`")]),
    "yaml-mapping-in-plain-text": (
        [(B, "title: The basics", "title: The basics: a primer")],
        [(B, ": a primer", 1, "mapping values are not allowed")]),
    "tab-indentation": (
        [(M, "    title: Sorting things", "\ttitle: Sorting things")],
        [(M, "\t", 1, "tab")]),
    "empty-file": ([(M, "*", "")], [(M, "", 0, "the file is empty")]),
    "list-at-top": ([(M, "*", "- id: more\n- title: More\n")],
                    [(M, "- id", 1, "must be a mapping")]),
    "python-tag": (
        [(B, "estimated_minutes: 10",
          'estimated_minutes: !!python/object/apply:os.system ["echo PWNED > pwned.txt"]')],
        [(B, "!!python", 1, "tag `!!python/object/apply:os.system` is not allowed")]),
    "duplicate-key": (
        [(B, "title: The basics\n", "title: The basics\ntitle: Again\n")],
        [(B, "title: Again", 1, "the key `title` is written twice")]),
    "missing-required-field": (
        [(B, "summary: |\n  What the cells are.\n", "")],
        [(B, "id: basics", 1, "`summary` is missing")]),
    "wrong-type": (
        [(B, "estimated_minutes: 10", "estimated_minutes: ten")],
        [(B, "minutes: »ten", 1, "must be a whole number")]),
    "format-missing": ([(C, "format: 1\n", "")], [(C, "id:", 1, "`format` is missing")]),
    "format-newer": ([(C, "format: 1", "format: 2")],
                     [(C, "format: »2", 1, "understands format 1 at most")]),
    "duplicate-module-id": ([(M, "id: more\n", "id: basics\n"),
                             (M, "requires: [basics]\n", "")],
                            [(M, "basics", 1, "the module id `basics` is used twice")]),
    "duplicate-lesson-id": (
        [(M, "quiz:\n", "  - id: sorting\n    title: Again\n    steps:\n      - text: Hi\nquiz:\n")],
        [(M, "sorting", 2, "the lesson id `sorting` is used twice")]),
    "duplicate-question-id": ([(M, "id: more-match", "id: basics-multiple")],
                              [(M, "basics-multiple", 1, "question id `basics-multiple` is used twice")]),
    "duplicate-glossary-id": ([(G, "*+", "  - id: msc\n    term: Again\n    definition: Twice.\n")],
                              [(G, "id: »msc", 2, "glossary term id `msc` is used twice")]),
    "duplicate-reference-id": ([(R, "*+", "  - id: fda-2024\n    citation: Again.\n")],
                               [(R, "id: »fda-2024", 2, "reference id `fda-2024` is used twice")]),
    "requires-unknown-module": ([(M, "requires: [basics]", "requires: [basix]")],
                                [(M, "basix", 1, "`requires` names `basix`")]),
    "requires-cycle": ([(B, "estimated_minutes: 10", "estimated_minutes: 10\nrequires: [more]")],
                       [(M, "basics]", 1, "`requires` makes a cycle: basics -> more -> basics")]),
    "single-with-two-correct": (
        [(B, "            - text: Becoming new tissue\n",
          "            - text: Becoming new tissue\n              correct: true\n")],
        [(B, "correct: true", 2, "exactly one correct option, but 2")]),
    "multiple-with-none-correct": (
        [(B, "{text: Infection, correct: true,", "{text: Infection,"),
         (B, "{text: Blood clots, correct: true,", "{text: Blood clots,")],
        [(B, "- {text: Infection", 1, "at least one option marked `correct: true`")]),
    "single-option-with-negative-credit": (
        [(B, "            - text: Becoming new tissue\n",
          "            - text: Becoming new tissue\n              credit: -0.5\n")],
        [(B, "credit: »-0.5", 1, "a single question never scores below 0")]),
    "multiple-credits-do-not-add-up": (
        [(B, "{text: Infection, correct: true,", "{text: Infection, correct: true, credit: 0.6,"),
         (B, "{text: Blood clots, correct: true,",
          "{text: Blood clots, correct: true, credit: 0.6,")],
        [(B, "Blood clots, correct: true, credit: »0.6", 1,
          "the credits of the options marked correct add up to 1.2")]),
    "multiple-credit-with-all-or-nothing": (
        [(B, "{text: Infection, correct: true,", "{text: Infection, correct: true, credit: 0.5,"),
         (B, "{text: Blood clots, correct: true,",
          "{text: Blood clots, correct: true, credit: 0.5,"),
         (B, "scoring: partial", "scoring: all_or_nothing")],
        [(B, "scoring: all_or_nothing", 1, "`scoring: all_or_nothing` gives all the points")]),
    "short-without-full-credit-answer": (
        [(B, 'accept: ["IND", "Investigational New Drug"]',
          'accept: [{text: IND, credit: 0.5}, {text: Investigational New Drug, credit: 0.5}]')],
        [(B, "accept: [{text: IND", 1, "no accepted answer earns full credit")]),
    "numeric-answer-and-answers": (
        [(B, "      tolerance: 0\n",
          "      tolerance: 0\n      answers: [{answer: 2023, credit: 0.5}]\n")],
        [(B, "answers: [{answer", 1, "either `answer` (one number) or `answers`")]),
    "numeric-answers-without-full-credit": (
        [(B, "      answer: 2024\n      tolerance: 0\n",
          "      answers: [{answer: 2024, tolerance: 1, credit: 0.5}]\n")],
        [(B, "answers: [{answer", 1, "none of the `answers` earns full credit")]),
    "too-few-items": ([(M, "items: [Phase I, Phase II, Phase III, Approval decision]",
                        "items: [Phase I]")],
                      [(M, "[Phase I]", 1, "`items` needs at least 2 entries")]),
    "category-not-listed": ([(M, "category: Unsupported}", "category: Unproven}")],
                            [(M, "Unproven", 1, "category 'Unproven', which is not listed")]),
    "number-in-quotes": ([(B, "answer: 2024", 'answer: "2024"')],
                         [(B, '"2024"', 1, "`answer` must be a number, not the text '2024'")]),
    "negative-tolerance": ([(B, "tolerance: 0", "tolerance: -1")],
                           [(B, "tolerance: »-1", 1, "`tolerance` must be at least 0")]),
    "short-without-accept": ([(B, '      accept: ["IND", "Investigational New Drug"]\n', "")],
                             [(B, "id: basics-short", 1, "`accept` is missing")]),
    "regex-does-not-compile": ([(M, "'21 ?CFR ?(part )?1271'", "'21 ?CFR ?(part ?1271'")],
                               [(M, "'21 ?CFR", 1, "not a valid regular expression")]),
    "duplicate-option-text": ([(B, "- text: No\n", "- text: Becoming new tissue\n")],
                              [(B, "text: Becoming new tissue", 2, "written twice")]),
    "draw-larger-than-pool": ([(B, "draw: 4", "draw: 9")],
                              [(B, "draw: »9", 1, "`draw` is 9, but the pool has only 4 questions")]),
    "pass-mark-out-of-range": ([(B, "pass_mark: 0.5", "pass_mark: 80")],
                               [(B, "pass_mark: »80", 1, "`pass_mark` must be at most 1")]),
    "pass-mark-zero": ([(C, "pass_mark: 0.8", "pass_mark: 0")],
                       [(C, "pass_mark: »0", 1, "`pass_mark` must be more than 0")]),
    "glossary-link-to-nothing": ([(B, "(glossary:msc) is studied", "(glossary:mcs) is studied")],
                                 [(B, "glossary:mcs", 1, "`glossary:mcs` names no term")]),
    "link-without-scheme": ([(B, "(ref:fda-2024)", "(www.fda.gov)")],
                            [(B, "www.fda.gov", 1, "the link to `www.fda.gov` has no scheme")]),
    "image-file-missing": ([(B, "An [MSC](glossary:msc) is studied",
                             "![A cell](images/cell.png)\n          An [MSC](glossary:msc) is studied")],
                           [(B, "images/cell.png", 1, "the image file `images/cell.png` does not exist")]),
    "ref-link-to-nothing": ([(B, "(ref:fda-2024)", "(ref:fda-2042)")],
                            [(B, "ref:fda-2042", 1, "`ref:fda-2042` names no reference")]),
    "refs-entry-to-nothing": ([(B, "refs: [trial-2019]", "refs: [trial-2091]")],
                              [(B, "trial-2091", 1, "`refs` names `trial-2091`")]),
    "glossary-definition-link-to-nothing": (
        [(G, "(glossary:ind)", "(glossary:inn)")],
        [(G, "glossary:inn", 1, "`glossary:inn` names no term")]),
    "scenario-goto-to-nothing": ([(B, "goto: maybe-361}", "goto: maybe-316}")],
                                 [(B, "maybe-316", 1, "`goto` names 'maybe-316', which is not a node")]),
    "scenario-unreachable-node": (
        [(B, "            maybe-361:\n", "            orphan:\n              end: Never seen.\n"
          "            maybe-361:\n")],
        [(B, "orphan:", 1, "node 'orphan' cannot be reached")]),
    "scenario-loop-without-ending": (
        [(B, '{label: "No", goto: drug}\n            drug:',
          '{label: "No", goto: loop-a}\n            loop-a:\n              text: Round\n'
          '              choices:\n                - {label: Again, goto: loop-b}\n'
          '            loop-b:\n              text: And round\n              choices:\n'
          '                - {label: Back, goto: loop-a}\n            drug:')],
        [(B, "loop-a:", 1, "no ending can be reached from node 'loop-a'")]),
    "module-path-outside-course": ([(C, "- modules/02-more.yaml", "- ../outside.yaml")],
                                   [(C, "../outside.yaml", 1, "leads outside the course folder")]),
    "module-path-absolute": ([(C, "- modules/02-more.yaml", "- /etc/passwd")],
                             [(C, "/etc/passwd", 1, "is an absolute path")]),
    "module-file-missing": ([(C, "- modules/02-more.yaml", "- modules/03-missing.yaml")],
                            [(C, "modules/03-missing.yaml", 1, "does not exist")]),
    "control-character": ([(M, "Trials run in phases.", "Trials run in \x1b[31mphases.")],
                          [(M, "\x1b", 1, "control character U+001B")]),
    "escaped-control-character": ([(M, "summary: |\n  Order, match and categorize.\n",
                                    'summary: "Order\\e[2J"\n')],
                                  [(M, "\\e[2J", 1, "an escape in this text makes a control")]),
    # "Trojan Source": the option reads "Becoming new tissue" but is stored backwards.
    "bidi-override-in-option": (
        [(B, "- text: Becoming new tissue", "- text: \u202eeussit wen gnimoceB\u202c")],
        [(B, "\u202e", 1, "bidirectional control character U+202E (RIGHT-TO-LEFT OVERRIDE)"),
         (B, "\u202c", 1, "bidirectional control character U+202C (POP DIRECTIONAL FORMATTING)")]),
    "escaped-bidi-isolate": ([(B, "- text: Paracrine signalling",
                               '- text: "Paracrine \\u2066signalling"')],
                             [(B, "\\u2066", 1, "an escape in this text makes a bidirectional")]),
    "unknown-question-type": ([(M, "type: order", "type: ordre")],
                              [(M, "ordre", 1, "unknown question type `ordre`")]),
    "callout-kind-not-allowed": ([(B, "kind: myth", "kind: mythh")],
                                 [(B, "mythh", 1, "`kind` cannot be 'mythh'")]),
    "boolean-where-text-is-due": ([(M, "title: More", "title: true")],
                                  [(M, "title: »true", 1, "`title` must be text, not true")]),
    "step-with-two-kinds": ([(M, "      - text: |\n          Trials run in phases.\n",
                              "      - text: Trials run in phases.\n        callout:\n"
                              "          kind: note\n          text: Both.\n")],
                            [(M, "text: Trials", 1, "exactly one of: text, callout")]),
    "invalid-slug": ([(B, "id: first-lesson", "id: First Lesson")],
                     [(B, "First Lesson", 1, "must be a slug")]),
    "not-utf8": ([(B, "Say what an MSC is", "Say what an MSC is \udce9")],
                 [(B, "\udce9", 1, "not UTF-8")]),
    "many-mistakes": (
        [(B, "estimated_minutes: 10", "estimated_minutes: ten"),
         (B, "kind: myth", "kind: mythh"),
         (M, "type: order", "type: ordre"),
         (G, "*+", "  - id: msc\n    term: Again\n    definition: Twice.\n"),
         (C, "- modules/02-more.yaml\n", "- modules/02-more.yaml\n  - modules/03-missing.yaml\n")],
        [(B, "minutes: »ten", 1, "must be a whole number"),
         (B, "mythh", 1, "`kind` cannot be"),
         (M, "ordre", 1, "unknown question type"),
         (G, "id: »msc", 2, "glossary term id `msc` is used twice"),
         (C, "modules/03-missing.yaml", 1, "does not exist")]),
}


def locate(text: str, anchor: str, nth: int) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of `anchor` (nth 0: the file's start).

    A `»` in the anchor marks the exact spot within it; without one, its first character.
    """
    if nth == 0:
        return 1, 1
    cursor = anchor.find("»")
    anchor = anchor.replace("»", "")
    index = -1
    for _ in range(nth):
        index = text.index(anchor, index + 1)
    index += max(cursor, 0)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def write(path: Path, text: str) -> None:
    # surrogateescape lets a case carry bytes that are not UTF-8.
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))


def main() -> None:
    if BROKEN.exists():
        shutil.rmtree(BROKEN)
    for name, (edits, expects) in CASES.items():
        case = BROKEN / name
        shutil.copytree(VALID, case)
        for file, old, new in edits:
            path = case / file
            text = path.read_text(encoding="utf-8")
            if old == "*":
                text = new
            elif old == "*+":
                text += new
            else:
                assert text.count(old) >= 1, f"{name}: {old!r} not in {file}"
                text = text.replace(old, new, 1)
            write(path, text)
        lines = []
        for file, anchor, nth, words in expects:
            text = (case / file).read_bytes().decode("utf-8", errors="surrogateescape")
            line, column = locate(text, anchor, nth)
            lines.append(f"{file}:{line}:{column}: {words}")
        (case / "expected.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(CASES)} broken courses under {BROKEN}")


if __name__ == "__main__":
    main()
