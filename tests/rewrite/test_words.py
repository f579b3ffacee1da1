"""words.join: the draft's words as written, one space wherever the draft had any (a line
break is a token of its own; leaving it out must not fuse two words: "customscript", blind
review 18o). Runs spaCy's real tokenizer."""

from __future__ import annotations

from replylint.nlp import load_pipeline
from replylint.rewrite.words import join, sentence_case


def test_a_line_break_left_out_still_parts_two_words() -> None:
    doc = load_pipeline().make_doc("the custom\nscript and the\n\nfollowing  line")
    words = [t for t in doc if not t.is_space]
    assert join(words, lambda t: t.text) == "the custom script and the following line"


def test_words_written_together_stay_together() -> None:
    doc = load_pipeline().make_doc("the user's (protocol-based) issues, again")
    assert join(list(doc), lambda t: t.text) == "the user's (protocol-based) issues, again"


def test_sentence_case_keeps_names_and_i() -> None:
    doc = load_pipeline().make_doc("I think")
    assert sentence_case("I think", doc[0]) == "I think"
    assert sentence_case("The delay", None) == "the delay"
