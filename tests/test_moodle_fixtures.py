"""Moodle's own test files (tests/data/moodle, see its README) imported, and compared with what
Moodle's own tests expect of them, for the question types ivstem has.

The expected values are those of question/format/gift/tests/giftformat_test.php,
question/format/xml/tests/xmlformat_test.php and qformat_xml_import_export_test.php, and the
question counts of the Behat features ("Importing 9 questions from file"). Where ivstem has no
such type (essay, description, cloze) the question is left out with a message at its line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from course.instructor import gift, moodle_xml
from course.instructor.gift import Conversion

FIXTURES = Path(__file__).parent / "data" / "moodle"


def xml(name: str) -> Conversion:
    return moodle_xml.convert((FIXTURES / name).read_bytes(), module_id="m")


def gift_file(name: str) -> Conversion:
    return gift.convert((FIXTURES / name).read_text(encoding="utf-8"), module_id="m")


def by_id(result: Conversion) -> dict[str, dict[str, Any]]:
    return {q["id"].removeprefix("m-"): q for q in result.questions}


def problems(result: Conversion) -> list[tuple[int, str]]:
    return [(m.line, m.text) for m in result.problems]


# -- GIFT: giftformat_test.php and the import Behat feature ------------------------------


def test_gift_questions_file_imports_all_but_the_essay() -> None:
    # Moodle imports 9 questions from it; ivstem has no essay type.
    result = gift_file("gift/questions.gift.txt")
    assert len(result.questions) + len(result.problems) == 9
    assert problems(result) == [(2, "an essay question (empty braces {}) is marked by hand;"
                                    " it has no type here")]


def test_gift_match_as_test_import_match() -> None:
    question = by_id(gift_file("gift/questions.gift.txt"))["moodle-activities"]
    assert question["type"] == "match"
    assert question["prompt"] == "Match the activity to the description."
    assert question["pairs"] == [
        ["An activity supporting asynchronous discussions.", "Forum"],
        ["A teacher asks a question and specifies a choice of multiple responses.", "Choice"],
        ["A bank of record entries which participants can add to.", "Database"],
        ["A collection of web pages that anyone can add to or edit.", "Wiki"],
    ]
    assert question["distractors"] == ["Chat"]


def test_gift_multichoice_as_test_import_multichoice() -> None:
    question = by_id(gift_file("gift/questions.gift.txt"))["q2"]
    # single = 1, fractions (1, 0, 0), per-answer feedback with its format marker read.
    assert question["type"] == "single"
    assert question["options"] == [
        {"text": "yellow", "correct": True, "feedback": "right; good!"},
        {"text": "red", "feedback": "wrong, it's yellow"},
        {"text": "blue", "feedback": "wrong, it's yellow"},
    ]


def test_gift_multichoice_multi_as_test_import_multichoice_multi() -> None:
    question = by_id(gift_file("gift/questions.gift.txt"))["colours"]
    # single = 0, fractions (0.5, -1, 0.5, -1): the positive ones are the right answers, and
    # each fraction is the option's credit.
    assert question["type"] == "multiple"
    assert [o["text"] for o in question["options"]] == ["yellow", "red", "off-beige", "blue"]
    assert [bool(o.get("correct")) for o in question["options"]] == [True, False, True, False]
    assert [o["credit"] for o in question["options"]] == [0.5, -1, 0.5, -1]


def test_gift_numerical_as_test_import_numerical() -> None:
    question = by_id(gift_file("gift/questions.gift.txt"))["q5"]
    # answer 3, tolerance 2; the `*` answer's feedback ("Completely wrong") is noted.
    assert (question["type"], question["answer"], question["tolerance"]) == ("numeric", 3, 2)


def test_gift_shortanswer_as_test_import_shortanswer() -> None:
    result = gift_file("gift/questions.gift.txt")
    question = by_id(result)["shortanswer"]
    # Frog 100%, Cat 50%, * 0%, each with its feedback; "any other answer" has no equivalent.
    assert question["accept"] == [
        {"text": "Frog", "feedback": "Good!"},
        {"text": "Cat", "credit": 0.5, "feedback": "What is it with Moodlers and cats?"},
    ]
    notes = [n.text for n in result.notes if 33 <= n.line <= 37]
    assert notes == ["the feedback for any other answer (*) does not convert; it was left out"]


def test_gift_truefalse_as_test_import_truefalse() -> None:
    questions = by_id(gift_file("gift/questions.gift.txt"))
    question = questions["q1"]
    # correctanswer 0; feedbacktrue "42 is the Ultimate Answer.", feedbackfalse "You gave...".
    assert question["answer"] is False
    assert question["feedback"] == {"true": "42 is the Ultimate Answer.",
                                    "false": "You gave the right answer."}
    assert question["explanation"] == ("This is, of course, a Hitchiker's Guide to the Galaxy"
                                       " reference.")
    # test_import_truefalse_true_answer1 and 2: {T} and {TRUE} are both true.
    assert questions["2-08-tsl"]["answer"] is True and questions["2-08-tsl-2"]["answer"] is True


def test_gift_category_file() -> None:
    result = gift_file("gift/questions_in_category.gift.txt")
    assert [q["tags"] for q in result.questions] == [["Default for New Features"]] * 4
    questions = by_id(result)
    assert questions["greeting"]["prompt"] == ("Listen to this greeting:\n\nWhat language is"
                                               " being spoken?")
    assert questions["moodle-user"]["accept"] == ["Moodler"]
    assert questions["moodle-acronym"]["answer"] is True


def test_gift_examples_all_convert() -> None:
    result = gift_file("gift/examples.txt")
    assert result.problems == [] and len(result.questions) == 43
    questions = by_id(result)
    assert questions["gift-control-characters"]["options"][5]["text"] == "\\"
    assert questions["which-answer-equals-5"]["options"][1] == {"text": "= 2 + 3",
                                                                 "correct": True}
    pi = questions["what-is-the-value-of-pi-2"]
    assert (pi["answer"], pi["tolerance"]) == (3.1415, 0.0005)


def test_ordering_gift_fixture() -> None:
    [question] = gift_file("ordering/testexport.gift.txt").questions
    assert question["id"] == "m-myid" and question["type"] == "order"
    assert question["items"] == ["Modular", "Object", "Oriented", "Dynamic", "Learning",
                                 "Environment"]


# -- Moodle XML: xmlformat_test.php, qformat_xml_import_export_test.php, Behat ------------


def test_xml_truefalse_file_imports_both_questions() -> None:
    result = xml("xml/truefalse.xml")
    false, true = result.questions
    assert false["id"] == "m-moodle-acronym-false" and false["answer"] is False
    assert "is an acronym for Modular Object-Oriented Dynamic Learning Education" in (
        false["prompt"])
    assert true["answer"] is True and true["prompt"].endswith("Learning Environment.")
    assert true["feedback"] == {"true": "Your answer is correct.",
                                "false": "Your answer is incorrect."}
    assert all("logo.jpg" in n.text for n in result.notes if "files" in n.text)


def test_xml_multichoice_file() -> None:
    [question] = xml("xml/multichoice.xml").questions
    assert question["id"] == "m-greeting" and question["type"] == "single"
    assert "What language is being spoken?" in question["prompt"]
    assert [o["text"] for o in question["options"] if o.get("correct")] == ["French"]
    assert question["tags"] == ["Default for testhead/Multichoice"]


def test_xml_import_match_19() -> None:
    question = by_id(xml("xml/xmlformat_test_imports.xml"))["matching-question"]
    assert question["prompt"] == "Match the upper and lower case letters."
    assert question["pairs"] == [["A", "a"], ["B", "b"], ["C", "c"]]
    assert question["distractors"] == ["d"]
    assert question["explanation"] == "The answer is A -> a, B -> b and C -> c."
    assert question["hint"] == "Hint 1" and question["tags"] == ["tagMatching", "tagTest"]


def test_xml_import_multichoice_19() -> None:
    question = by_id(xml("xml/xmlformat_test_imports.xml"))["multiple-choice-question"]
    # single false, shuffleanswers 0, defaultmark 2, fractions (0, 1, 0, 1), two hints. Two
    # answers each worth 100% add up to 200%: as credits they are scaled to 100%, noted.
    assert question["type"] == "multiple" and question["shuffle"] is False
    assert question["points"] == 2 and question["hint"] == "Hint 1."
    assert [bool(o.get("correct")) for o in question["options"]] == [False, True, False, True]
    assert [o.get("credit") for o in question["options"]] == [None, 0.5, None, 0.5]


def test_xml_import_numerical_19() -> None:
    question = by_id(xml("xml/xmlformat_test_imports.xml"))["numerical-question"]
    # 42 (tolerance 0.001) with its feedback; 13 at 0% and * are wrong answers, noted.
    assert question["answers"] == [{"answer": 42, "tolerance": 0.001, "feedback": "Well done!"}]
    assert question["explanation"].startswith("General feedback: Think Hitch-hikers")


def test_xml_import_shortanswer_19() -> None:
    question = by_id(xml("xml/xmlformat_test_imports.xml"))["short-answer-question"]
    # usecase 0: case does not matter, the course's normal matching.
    assert question["accept"] == [{"text": "Beta", "feedback": "Well done!"}]
    assert "match" not in question
    assert question["prompt"] == "Fill in the gap in this sequence: Alpha, ________, Gamma."


def test_xml_import_truefalse_19_and_with_idnumber() -> None:
    questions = by_id(xml("xml/xmlformat_test_imports.xml"))
    for key in ("true-false-question", "testidnum1"):
        assert questions[key]["answer"] is True
        assert questions[key]["feedback"] == {"true": "Well done!", "false": "Doh!"}


def test_xml_types_ivstem_lacks_are_left_out_by_name_and_line() -> None:
    assert problems(xml("xml/xmlformat_test_imports.xml")) == [
        (4, "description 'A description': a description, not a question (put its text in a"
            " lesson as a text step); ivstem has no such question type, so it was left out"),
        (23, "essay 'An essay': an essay, marked by hand; ivstem has no such question type, so"
             " it was left out"),
        (288, "cloze 'Simple multianswer': a cloze question (answers embedded in the text);"
              " ivstem has no such question type, so it was left out"),
    ]
    assert [line for line, _ in problems(xml("xml/broken_cloze_questions.xml"))] == [
        4, 20, 36, 52, 68]
    assert [line for line, _ in problems(xml("xml/multianswer.xml"))] == [12]


@pytest.mark.parametrize(("name", "tags"), [
    # qformat_xml_import_export_test.php: each question lands in its (nested) category.
    ("xml/category_with_description.xml", [["Alpha"]]),
    ("xml/deprecated_category.xml", [["Alpha"]]),
    ("xml/export_category.xml", [["Alpha"]]),
    ("xml/nested_categories.xml", [["Delta/Epsilon/Zeta"]]),
    ("xml/nested_categories_with_questions.xml",
     [["Iota"], ["Iota/Kappa"], ["Iota/Kappa/Lambda"], ["Iota/Mu"]]),
    ("xml/old_format_file.xml", [["Pi"], ["Pi/Rho"]]),
    ("xml/categories_reverse_order.xml", [["Sigma"]]),
])
def test_xml_categories_become_tags(name: str, tags: list[list[str]]) -> None:
    assert [q["tags"] for q in xml(name).questions] == tags


def test_xml_html_characters_in_an_idnumber() -> None:
    [question] = xml("xml/html_chars_in_idnumbers.xml").questions
    assert question["id"] == "m-t-f"


def test_xml_invalid_grades_are_refused_as_moodle_refuses_them() -> None:
    result = xml("xml/error_invalid_grades.xml")
    assert result.questions == []
    [(line, text)] = problems(result)
    assert line == 4 and "a grade of 33%, which is not one of Moodle's grades" in text


def test_xml_legacy_image_questions() -> None:
    # Moodle imports 2 questions; the cloze one has no ivstem type.
    result = xml("xml/sample_questions_with_old_image_tag.xml")
    [question] = result.questions
    assert question["id"] == "m-mcq-with-image"
    assert [o["text"] for o in question["options"]] == ["wrong answer", "another wrong answer",
                                                        "right answer"]
    assert any("moodle.png" in n.text for n in result.notes)
    assert [line for line, _ in problems(result)] == [16]


def test_xml_ordering_fixture() -> None:
    [question] = xml("ordering/testquestion.moodle.xml").questions
    assert question["id"] == "m-dd1" and question["type"] == "order"
    assert question["scoring"] == "partial"  # ABSOLUTE_POSITION
    assert question["items"] == ["Modular", "Object", "Oriented", "Dynamic", "Learning",
                                 "Environment"]


def test_fixture_counts(capsys: pytest.CaptureFixture[str]) -> None:
    from moodle_fixture_counts import counts, table

    rows = counts()
    with capsys.disabled():
        print("\n" + table(rows))
    gift_rows = [r for r in rows if not r.name.endswith(".xml")]
    xml_rows = [r for r in rows if r.name.endswith(".xml")]
    assert len(rows) == 20
    assert (sum(r.imported for r in gift_rows), sum(r.with_notes for r in gift_rows),
            sum(r.skipped for r in gift_rows)) == (47, 9, 1)
    assert (sum(r.imported for r in xml_rows), sum(r.with_notes for r in xml_rows),
            sum(r.skipped for r in xml_rows)) == (14, 9, 13)
