"""`ivstem import gift`: a Moodle GIFT bank becomes a module's quiz, or is reported by line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from course.instructor.gift import (
    BLANK,
    comment_marks,
    convert,
    html_to_text,
    module_document,
    module_yaml,
)
from course.instructor.scaffold import add_to_module_list
from course.material.loader import load_course
from course.material.model import Module
from course.material.yaml_source import parse_text
from quizzes.questions import validated
from tui.cli import main

EVERY_TYPE = Path(__file__).parent / "data" / "gift" / "every-type.gift"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def converted(text: str) -> dict[str, dict[str, Any]]:
    result = convert(text, module_id="m")
    return {q["id"].removeprefix("m-"): q for q in result.questions}


@pytest.fixture(scope="module")
def every_type() -> dict[str, dict[str, Any]]:
    return converted(EVERY_TYPE.read_text(encoding="utf-8"))


def test_every_item_of_the_file_converts_or_is_reported() -> None:
    text = EVERY_TYPE.read_text(encoding="utf-8")
    result = convert(text, module_id="m")
    # An item starts at a line that opens a title, after the category line.
    items = [n for n, line in enumerate(text.splitlines(), start=1)
             if line.startswith("::") or line.startswith("Is a clinic")]
    reported = {message.line for message in result.problems}
    assert len(result.questions) + len(reported) == len(items)
    assert reported <= set(items)


@pytest.mark.parametrize(("line", "why"), [
    (57, "an essay question (empty braces {})"),
    (59, "a description (text with no answers in braces)"),
    (61, "a true/false answer in the middle of a sentence"),
    (63, "a matching answer in the middle of a sentence"),
    (65, "the option text 'Same' is written twice"),
    (67, "opened with { but never closed"),
    (69, "a title with no question"),
])
def test_what_cannot_map_is_reported_at_its_line(line: int, why: str) -> None:
    result = convert(EVERY_TYPE.read_text(encoding="utf-8"), module_id="m")
    assert any(m.line == line and why in m.text for m in result.problems), result.problems


def test_multiple_choice_with_one_right_answer_is_single(every_type: dict[str, Any]) -> None:
    question = every_type["single"]
    assert question["type"] == "single"
    assert question["options"] == [
        {"text": "the FDA", "correct": True, "feedback": "Right: in 2024."},
        {"text": "the EMA", "feedback": "The EMA is European."},
        {"text": "the PMDA"},
    ]
    assert question["tags"] == ["Regulation/Approvals"]


def test_weights_or_several_right_answers_make_a_multiple(every_type: dict[str, Any]) -> None:
    weighted = every_type["multiple-by-weight"]
    assert weighted["type"] == "multiple"
    assert weighted["options"] == [
        {"text": "Infection", "correct": True, "credit": 0.5, "feedback": "Yes."},
        {"text": "Blood clots", "correct": True, "credit": 0.5},
        {"text": "Eternal youth", "credit": -1, "feedback": "No such effect."},
    ]
    several = every_type["several-right"]
    assert several["type"] == "multiple"
    assert not any("credit" in option for option in several["options"])


def test_right_answers_weights_that_miss_100_percent_are_scaled_with_a_note() -> None:
    result = convert("Which? {~%40%A ~%40%B ~%-50%C}", module_id="m")
    [question] = result.questions
    assert [o.get("credit") for o in question["options"]] == [0.5, 0.5, -0.5]
    assert "the right answers' weights add up to 80%; they were scaled" in result.notes[0].text
    thirds = convert("Which? {~%33.33333%A ~%33.33333%B ~%33.33333%C ~D}", module_id="m")
    assert [o.get("credit") for o in thirds.questions[0]["options"]] == [
        0.3333333, 0.3333333, 0.3333333, None]
    assert thirds.notes == []


def test_true_false_keeps_both_feedbacks_and_the_general_feedback(
        every_type: dict[str, Any]) -> None:
    # GIFT's first feedback is for a wrong answer, the second for a right one.
    assert every_type["true"] == {
        "id": "m-true", "type": "true_false", "answer": True, "tags": ["Regulation/Approvals"],
        "prompt": "Hematopoietic stem cell transplants are approved for some blood cancers.",
        "feedback": {"true": "Right.", "false": "They are approved."},
    }
    assert every_type["false"]["answer"] is False
    assert every_type["false"]["explanation"] == "Few cells persist."


def test_short_answer_keeps_every_answer_with_its_credit_and_feedback(
        every_type: dict[str, Any]) -> None:
    assert every_type["short"]["accept"] == [
        "IND", "Investigational New Drug",
        {"text": "a drug application", "credit": 0.5, "feedback": "Close."}]
    assert every_type["wildcard"]["match"] == "regex"
    assert re.fullmatch(every_type["wildcard"]["accept"][0], "21 cfr part 1271")


def test_matching_pairs_and_distractors(every_type: dict[str, Any]) -> None:
    assert every_type["matching"]["pairs"] == [["Autologous", "From the patient's own body"],
                                               ["Allogeneic", "From a donor"]]
    assert every_type["matching"]["distractors"] == ["From an animal"]


def test_numeric_values_tolerances_and_ranges(every_type: dict[str, Any]) -> None:
    assert (every_type["numeric"]["answer"], every_type["numeric"]["tolerance"]) == (2024, 0)
    assert (every_type["range"]["answer"], every_type["range"]["tolerance"]) == (3, 1)
    assert every_type["numeric-several"]["answers"] == [
        {"answer": 2, "tolerance": 0.5, "feedback": "Right."},
        {"answer": 2, "tolerance": 1, "credit": 0.5},
    ]


def test_a_missing_word_question_shows_the_blank(every_type: dict[str, Any]) -> None:
    question = every_type["missing-word"]
    assert question["type"] == "single"
    assert question["prompt"] == f"Most IV-infused MSCs are first held up in the {BLANK} within" \
                                 " minutes."


def test_escapes_are_undone_and_yes_and_no_stay_text(every_type: dict[str, Any]) -> None:
    [question] = [q for key, q in every_type.items() if key.startswith("is-a-clinic")]
    assert question["prompt"] == "Is a clinic's {testimonial} evidence: yes or no?"
    module = module_document(convert(EVERY_TYPE.read_text(encoding="utf-8"), module_id="m"),
                             module_id="m", title="M", source="every-type.gift")
    source = parse_text(Path("m.yaml"), module_yaml(module))
    assert source.ok
    options = next(q for q in source.data["quiz"]["questions"] if q["id"] == question["id"])[
        "options"]
    assert [o["text"] for o in options] == ["No", "Yes"]
    validated(Module, source.data)


def test_html_becomes_plain_text_with_a_note(every_type: dict[str, Any]) -> None:
    assert every_type["html"]["prompt"] == "Which step kind shows a boxed note & a title?"
    result = convert(EVERY_TYPE.read_text(encoding="utf-8"), module_id="m")
    assert any(m.line == 53 and "HTML" in m.text for m in result.notes)
    assert html_to_text("<p>One<br>two &lt;3</p><p>Three</p>") == "One\ntwo <3\n\nThree"


def test_markdown_stays_markdown(every_type: dict[str, Any]) -> None:
    assert every_type["markdown"]["prompt"] == "Which word means **from a donor**?"


@pytest.mark.parametrize(("line", "what"), [
    (43, "converts to a multiple question"),
    (45, "wildcard"),
    (50, "answers marked ~ or worth 0% in a numeric question"),
])
def test_what_maps_with_a_loss_is_noted_at_its_line(line: int, what: str) -> None:
    result = convert(EVERY_TYPE.read_text(encoding="utf-8"), module_id="m")
    assert any(m.line == line and what in m.text for m in result.notes), result.notes


def test_ids_come_from_titles_or_prompts_and_stay_unique() -> None:
    questions = converted(
        "::Same:: A? {T}\n\n::Same:: B? {F}\n\nWhat is the capital of France, roughly? {=Paris}\n"
    )
    assert list(questions) == ["same", "same-2", "what-is-the-capital-of-france"]


def test_comments_and_categories_are_read_but_not_converted() -> None:
    result = convert("// a comment\n$CATEGORY: $course$/top/One\n\n// another\n"
                     "::Q:: A? {T}\n\n$CATEGORY: Two\n::R:: B? {F}\n", module_id="m")
    assert [(q["id"], q["tags"]) for q in result.questions] == [("m-q", ["One"]),
                                                                ("m-r", ["Two"])]
    assert result.problems == []


def test_a_missing_blank_line_between_questions_is_reported() -> None:
    result = convert("::Q:: A? {T}\n::R:: B? {F}\n\n::S:: C? {=x ~y}{=z ~w}\n", module_id="m")
    assert [(m.line, m.text) for m in result.problems] == [
        (1, "two questions with no blank line between them; GIFT needs one"),
        (4, "more than one set of answers in braces (several blanks) does not convert;"
            " split it into one question per blank"),
    ]


def test_the_module_written_validates_in_a_course(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    course = tmp_path / "course"
    assert run(capsys, "new", "course", str(course))[0] == 0
    out = course / "modules" / "02-approvals.yaml"
    status, stdout, err = run(capsys, "import", "gift", str(EVERY_TYPE), "-o", str(out))
    assert status == 0
    assert "module 'approvals' with 15 questions in its quiz; 7 items not converted" in stdout
    assert f"{EVERY_TYPE}:57: an essay question" in err
    assert f"{EVERY_TYPE}:43: note: several answers" in err
    manifest = course / "course.yaml"
    manifest.write_text(add_to_module_list(manifest.read_text(encoding="utf-8"),
                                           "modules/02-approvals.yaml"), encoding="utf-8")
    result = load_course(course)
    assert result.problems == []
    assert result.course is not None
    module = result.course.modules[1]
    assert module.id == "approvals" and module.summary == "Imported from every-type.gift"
    assert out.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/module.schema.json\n")


def test_import_refuses_to_replace_a_file_without_force(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    out = tmp_path / "bank.yaml"
    out.write_text("mine\n", encoding="utf-8")
    status, _, err = run(capsys, "import", "gift", str(EVERY_TYPE), "-o", str(out))
    assert status == 1 and "already exists" in err and out.read_text() == "mine\n"
    assert run(capsys, "import", "gift", str(EVERY_TYPE), "-o", str(out), "--force")[0] == 0
    assert out.read_text(encoding="utf-8").startswith("# yaml-language-server")


def test_nothing_converted_exits_one_and_writes_nothing(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    bank = tmp_path / "essays.gift"
    bank.write_text("::E:: Discuss. {}\n\nJust a description.\n", encoding="utf-8")
    out = tmp_path / "out.yaml"
    status, _, err = run(capsys, "import", "gift", str(bank), "-o", str(out))
    assert status == 1 and not out.exists()
    assert f"{bank}:1: an essay question" in err and f"{bank}:3: a description" in err


def test_import_mistakes_are_messages_not_tracebacks(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    status, _, err = run(capsys, "import", "gift", str(tmp_path / "nope.gift"), "-o", "x.yaml")
    assert status == 2 and "does not exist" in err
    latin = tmp_path / "latin.gift"
    latin.write_bytes("Caf\u00e9? {T}".encode("latin-1"))
    status, _, err = run(capsys, "import", "gift", str(latin), "-o", str(tmp_path / "x.yaml"))
    assert status == 1 and "is not UTF-8 text (byte 0xe9 on line 1)" in err
    status, _, err = run(capsys, "import", "gift", str(EVERY_TYPE), "-o", "x.yaml", "--id", "X Y")
    assert status == 2 and "'x-y'" in err
    status, _, err = run(capsys, "import", "gift", str(EVERY_TYPE), "-o",
                         str(tmp_path / "no" / "x.yaml"))
    assert status == 1 and "does not exist" in err
    status, _, err = run(capsys, "import")
    assert status == 2 and "ivstem import gift FILE" in err


def test_the_module_id_comes_from_the_output_name(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    status, out, _ = run(capsys, "import", "gift", str(EVERY_TYPE), "-o", "-")
    assert status == 0 and "\nid: imported\n" in out and "id: imported-single" in out
    out_file = tmp_path / "07_Regulation Quiz.yaml"
    assert run(capsys, "import", "gift", str(EVERY_TYPE), "-o", str(out_file))[0] == 0
    assert "\nid: regulation-quiz\ntitle: Regulation quiz\n" in out_file.read_text(
        encoding="utf-8")


def test_partial_credit_on_wrong_answers_becomes_their_credit_in_a_one_answer_question() -> None:
    # Moodle's own example: one right answer (=), and wrong ones that earn part of the mark.
    result = convert("Jesus Christ was from {~Jerusalem ~%25%Bethlehem ~%50%Galilee =Nazareth}.",
                     module_id="m")
    [question] = result.questions
    assert question["type"] == "single"
    assert question["options"] == [
        {"text": "Jerusalem"}, {"text": "Bethlehem", "credit": 0.25},
        {"text": "Galilee", "credit": 0.5}, {"text": "Nazareth", "correct": True}]
    assert result.notes == []


def test_a_penalty_in_a_one_answer_question_earns_nothing_with_a_note() -> None:
    result = convert("Capital? {=Paris ~%-50%Lyon#No.}", module_id="m")
    assert result.questions[0]["options"][1] == {"text": "Lyon", "feedback": "No."}
    assert "'Lyon' takes 50% off in Moodle" in result.notes[0].text


def test_short_answers_worth_nothing_become_expected_wrong_answers() -> None:
    result = convert("Which application? {=IND =%0%NDA#That is for selling. =%-25%BLA#No."
                     " =%0%drug}", module_id="m")
    [question] = result.questions
    assert question["accept"] == ["IND"]
    assert question["wrong"] == [{"text": "NDA", "feedback": "That is for selling."},
                                 {"text": "BLA", "feedback": "No."}]
    notes = [note.text for note in result.notes]
    assert any("'BLA' takes 25% off" in note for note in notes)
    assert any("'drug' earns nothing and has no feedback" in note for note in notes)


def test_wildcards_make_every_answer_a_pattern() -> None:
    [question] = convert("Code? {=21 CFR*1271 =%50%CFR*#Which part? =%0%45 CFR*#Not that one.}",
                         module_id="m").questions
    assert question["match"] == "regex"
    assert question["accept"][1]["credit"] == 0.5
    assert re.fullmatch(question["accept"][1]["text"], "cfr 1271")
    assert re.fullmatch(question["wrong"][0]["text"], "45 cfr 46")


def test_one_number_with_feedback_and_several_numbers_become_answers() -> None:
    result = convert("Year? {#2024#Ryoncil.}\n\nYear again? {#=2024 =%50%2023..2025#Close.}",
                     module_id="m")
    first, second = result.questions
    assert first["answers"] == [{"answer": 2024, "tolerance": 0, "feedback": "Ryoncil."}]
    assert second["answers"] == [
        {"answer": 2024, "tolerance": 0},
        {"answer": 2024, "tolerance": 1, "credit": 0.5, "feedback": "Close."}]
    assert result.notes == []


def test_format_markers_on_answers_and_pairs_do_not_reach_the_learner() -> None:
    result = convert(
        "Sky? {=[plain]blue ~[html]<b>red</b> ~[markdown]green}\n\n"
        "Pair them. {=[moodle]cat -> [plain]feline =dog -> canine =cow -> bovine}",
        module_id="m")
    single, match = result.questions
    assert [o["text"] for o in single["options"]] == ["blue", "red", "green"]
    texts = repr(match)
    assert "[moodle]" not in texts and "[plain]" not in texts
    assert ["cat", "feline"] in match["pairs"]


# What Moodle's own GIFT reader does, and the round trip from `ivstem export --format gift`.


@pytest.mark.parametrize(("comment", "idnumber", "tags"), [
    # Moodle's giftformat_test.php: extract_idnumber_and_tags_from_comment_testcases.
    ("", None, []),
    ("// A basic comment.", None, []),
    ("// A comment with [id:frog] <-- an idnumber.", "frog", []),
    ("// Look tags: [tag:frog] [tag:toad].", None, ["frog", "toad"]),
    ("// [tag:add] [tag:basic] [id:four]", "four", ["add", "basic"]),
    ("// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.", "four",
     ["basic", "add"]),
    ("// Ceci n'est pas une [tag:\n\\ frog].", None, []),
    ("// [id:i\\]d].", "i]d", []),
    ("// [tag:t\\]ag].", None, ["t]ag"]),
])
def test_id_and_tag_marks_in_comments_are_read_as_moodle_reads_them(
        comment: str, idnumber: str | None, tags: list[str]) -> None:
    assert comment_marks(comment) == (idnumber, tags)


def test_a_questions_marks_give_its_id_and_tags() -> None:
    result = convert("$CATEGORY: $course$/top/A//B/C\n\n"
                     "// [id:intro-first] [tag:claims]\n::Q:: True? {T}\n\n"
                     "// [id:other-thing]\n::R:: False? {F}\n", module_id="intro")
    first, second = result.questions
    # An id that already starts with the module id is not prefixed twice.
    assert first["id"] == "intro-first" and first["tags"] == ["A/B/C", "claims"]
    assert second["id"] == "intro-other-thing"


def test_moodle_ordering_becomes_an_order_question() -> None:
    result = convert("::Moodle::Put these words in order.{>6 ALL VERTICAL ALL_OR_NOTHING SHOW"
                     " none\nModular\nObject\nOriented\nDynamic\nLearning\nEnvironment\n"
                     "####Modular Object Oriented...}", module_id="m")
    [question] = result.questions
    assert question["type"] == "order" and question["scoring"] == "all_or_nothing"
    assert question["items"] == ["Modular", "Object", "Oriented", "Dynamic", "Learning",
                                 "Environment"]
    assert question["explanation"] == "Modular Object Oriented..."
    assert result.notes == []


def test_moodle_ordering_subsets_and_grading_are_noted() -> None:
    # Moodle's own ordering fixture: a subset of 2 items, Moodle's default grading.
    result = convert("// [id:myid]\n::Moodle::Put these words in order.{>2     none\n"
                     "Modular\nObject\nOriented\n}", module_id="m")
    [question] = result.questions
    assert question["id"] == "m-myid" and question["scoring"] == "partial"
    notes = " ".join(note.text for note in result.notes)
    assert "Moodle shows 2 of the 3 items" in notes and "RELATIVE_NEXT_EXCLUDE_LAST" in notes


def test_matching_with_shared_answers_becomes_categorize() -> None:
    result = convert("Sort them. {=Ryoncil -> approved =Temcell -> approved"
                     " =Clinic MSC -> not approved = -> withdrawn}", module_id="m")
    [question] = result.questions
    assert question["type"] == "categorize"
    assert question["categories"] == ["approved", "not approved", "withdrawn"]
    assert question["items"][2] == {"text": "Clinic MSC", "category": "not approved"}
    assert any("converts to a categorize question" in n.text for n in result.notes)


def test_a_choice_without_an_equals_sign_is_moodles_multiple_answer_question() -> None:
    [question] = convert("Which? {~%100%right ~%-100%wrong}", module_id="m").questions
    assert question["type"] == "multiple"


def test_an_escaped_star_in_a_short_answer_is_a_star() -> None:
    [literal, wildcard] = convert("Rating? {=%100%5\\\\*}\n\nCode? {=21 CFR*1271}",
                                  module_id="m").questions
    assert literal["accept"] == ["5*"] and "match" not in literal
    assert wildcard["match"] == "regex"


def test_numeric_answers_as_moodle_reads_them() -> None:
    # Moodle's fixture: the first answer needs no =, and ~ starts feedback for any other number.
    result = convert("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}",
                     module_id="m")
    [question] = result.questions
    assert (question["answer"], question["tolerance"]) == (3, 2)
    assert any("answers marked ~" in note.text for note in result.notes)


def test_punctuation_after_a_true_false_answer_ends_the_question() -> None:
    result = convert('::Q1:: 42 is the answer.{FALSE#No.#Yes.}";', module_id="m")
    [question] = result.questions
    assert question["prompt"] == '42 is the answer.";' and question["answer"] is False
