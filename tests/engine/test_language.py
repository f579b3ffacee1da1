"""The gates not-english and not-prose (replylint/language.py, engine/batch.py): what the
detector says of a draft, the labelled set's accuracy floor, the gate's one finding, and the
rule book's strictness about the built-in kind ``gate``."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from replylint.language import Detector, first_line
from replylint.rulebook import RuleBookError, load_rulebook
from tests.rules.test_rulebook import VALID, _load_error, _write_rule

ROOT = Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "fixtures" / "language" / "labelled.yaml"
ITEMS: list[dict[str, Any]] = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))
DETECTOR = Detector.for_book(load_rulebook())


def test_the_labelled_set_is_big_and_varied_enough() -> None:
    english = [i for i in ITEMS if i.get("prose", True) and i.get("lang", "en") == "en"]
    assert len(english) >= 60
    assert len(ITEMS) - len(english) >= 40
    assert len({i["lang"] for i in ITEMS if i.get("lang", "en") != "en"}) >= 10
    assert sum(1 for i in ITEMS if i.get("prose") is False) >= 12


def test_labelled_set_accuracy_floor() -> None:
    """No English reply stopped; at least 95 % of the others stopped, by the right gate, and
    the language code right for 90 % of the replies in other languages (benchmarks/language.py
    prints the figures)."""
    stopped_english = []
    missed = []
    codes = []
    for item in ITEMS:
        verdict = DETECTOR.verdict(item["text"])
        prose, lang = item.get("prose", True), item.get("lang", "en")
        if prose and lang == "en":
            if not verdict.english_prose:
                stopped_english.append((item["text"][:60], verdict))
        elif not prose:
            if verdict.prose:
                missed.append(item["text"][:60])
        else:
            if not verdict.prose or verdict.language == "en":
                missed.append(item["text"][:60])
            codes.append(verdict.language == lang)
    others = len(ITEMS) - sum(1 for i in ITEMS if i.get("prose", True) and i.get("lang") == "en")
    assert stopped_english == []
    assert len(missed) <= 0.05 * others, missed
    assert sum(codes) >= 0.9 * len(codes)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Спасибо, мы уже отправили ваш заказ сегодня.", "ru"),
        ("Дякуємо, ми вже відправили ваше замовлення сьогодні.", "uk"),
        ("Поръчката е изпратена днес сутринта от склада.", "und"),  # Cyrillic, neither
        ("Ευχαριστούμε πολύ, η παραγγελία σας στάλθηκε σήμερα.", "el"),
        ("お問い合わせありがとうございます。", "ja"),
        ("感谢您的耐心等待，订单已发货。", "zh"),
        ("Lamentamos mucho el retraso de su pedido.", "es"),
        ("Vielen Dank, wir haben die Bestellung heute verschickt.", "de"),
        ("Köszönjük türelmét, a rendelését ma elküldtük önnek és hamarosan megérkezik.", "und"),
    ],
)
def test_language_codes(text: str, language: str) -> None:
    assert DETECTOR.language(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо!",  # one word: too little evidence
        "¡Gracias!",
        "Merci beaucoup",
        "ありがとう",
        "Refund processed. Tracking attached. Arriving Friday.",
        "Hola Lucía! Sorry about the mix-up, the right size ships today.",
        "Hi Igor, the grinder is listed as Кофемолка on the Kyiv invoice; it's the same model.",
        "@55102 Kindly DM us your PNR so we can assist further. ^SR",
        "",
        "   \n\n",
    ],
)
def test_english_or_too_short_to_judge(text: str) -> None:
    assert DETECTOR.language(text) == "en"


def test_placeholders_urls_and_handles_are_not_words() -> None:
    # the placeholders' and the link's words would be English; the reply is Spanish
    text = "Hola {{ticket.requester.first_name}}, su pedido sale hoy: https://example.com/track/your-order-is-on-the-way"
    assert DETECTOR.language(text) == "es"
    # and a handle made of words is not English evidence either
    assert (
        DETECTOR.language("@thank_you_for_your_order Gracias por su paciencia, lo revisamos")
        == "es"
    )


@pytest.mark.parametrize(
    "text",
    [
        "{% if ticket.status == 'solved' %}",
        "{{agent.signature}}",
        "INTERNAL NOTE: refund approved by Sam, send macro 12",
        "```\nkuma sync --force\n```",
        "status: solved\nassignee_id: 4412\ntags: [refund, duplicate]",
    ],
)
def test_not_prose(text: str) -> None:
    assert not DETECTOR.verdict(text).prose


@pytest.mark.parametrize(
    "text",
    [
        "Thanks!",
        "👍",
        "Hi Sam,\n\nPlease add this to your config:\n\n```yaml\nretries: 3\ntimeout: 30\n```\n\n"
        "Let me know if that helps!",
        "Hi Alex,\n\nPlease send us:\n- your order number;\n- the e-mail you used;\n"
        "- a photo.\n\nThanks!",
        "Note: your card won't be charged until the trial ends. Enjoy!",
        "Hi {{name}},\n\n# replylint: disable-next-line=bare-policy\nIt's our policy, sorry.\n",
    ],
)
def test_prose(text: str) -> None:
    assert DETECTOR.verdict(text).prose


def test_first_line_is_trimmed_and_skips_blank_lines() -> None:
    text = "\n\n  Здравствуйте, Анна!  \nСпасибо."
    start, end = first_line(text)
    assert text[start:end] == "Здравствуйте, Анна!"
    assert first_line("") == (0, 0)


def test_a_gated_draft_gets_one_finding_and_no_parse(linter, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from replylint.engine.batch import Engine

    text = "\nНет.\nК сожалению, согласно нашей политике, возврат невозможен. Это не наша вина.\n"
    seen: list[object] = []
    real = Engine._context

    def context(self, masked, customer=None):  # type: ignore[no-untyped-def]
        seen.append(masked.text)
        return real(self, masked, customer)

    monkeypatch.setattr(Engine, "_context", context)
    report = linter.check(text)
    assert [(f.rule, f.excerpt, f.line, f.column) for f in report.findings] == [
        ("not-english", "Нет.", 2, 1)
    ]
    assert report.language == "ru" and report.prose
    assert seen == []  # never tokenized nor evaluated: no context was made


def test_gates_and_english_drafts_in_one_batch_keep_their_order(linter) -> None:  # type: ignore[no-untyped-def]
    reports = linter.check_many(
        [
            "Sorry, it's our policy.",
            "Lo siento, es nuestra política y no podemos hacer nada.",
            '{\n  "status": "solved",\n  "tags": ["refund"]\n}',
            "Nope.",
        ]
    )
    assert [sorted({f.rule for f in r.findings}) for r in reports] == [
        sorted({f.rule for f in linter.check("Sorry, it's our policy.").findings}),
        ["not-english"],
        ["not-prose"],
        sorted({f.rule for f in linter.check("Nope.").findings}),
    ]
    assert [(r.language, r.prose) for r in reports] == [
        ("en", True),
        ("es", True),
        ("en", False),
        ("en", True),
    ]


def test_without_the_gate_the_english_rules_run() -> None:
    from replylint import Linter

    text = "Lo siento, es nuestra política y no podemos hacer nada por usted."
    ungated = Linter(ignore="not-english,not-prose").check(text)
    assert ungated.findings  # English rules misread Spanish: what the gate prevents
    assert all(f.rule not in ("not-english", "not-prose") for f in ungated.findings)
    assert ungated.language == "es"  # the report still says which language it is


def test_profile_of_a_gated_draft_has_no_moves(linter) -> None:  # type: ignore[no-untyped-def]
    from replylint.engine.moves import NO_MOVES
    from replylint.profile import check_with_profiles

    pairs = check_with_profiles(
        linter, ["Merci beaucoup pour votre patience, nous sommes désolés."]
    )
    assert pairs[0][1].model_copy(update={"channel": None, "language": None}) == NO_MOVES
    assert pairs[0][1].language == "fr"


def _gate_rule(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data.update(kind="gate", check="language", id="my-gate")
    data.pop("match")
    data.pop("source")
    data.update(changes)
    return data


def test_a_rule_file_cannot_be_a_gate(tmp_path: Path) -> None:
    _write_rule(tmp_path, _gate_rule())
    message = _load_error(tmp_path)
    assert "my-gate.yaml" in message and "kind: 'gate' is built in" in message


def test_a_gate_takes_no_match_and_needs_a_check(tmp_path: Path) -> None:
    _write_rule(tmp_path / "a", _gate_rule(match={"phrases": ["hola"]}))
    assert "a 'gate' rule takes no 'match'" in _load_error(tmp_path / "a")
    data = _gate_rule()
    del data["check"]
    _write_rule(tmp_path / "b", data)
    assert "needs 'check'" in _load_error(tmp_path / "b")


def test_a_check_rule_cannot_name_a_gate(tmp_path: Path) -> None:
    data = copy.deepcopy(VALID)
    data.update(kind="check", check="language")
    data.pop("match")
    _write_rule(tmp_path, data)
    assert "unknown check 'language'" in _load_error(tmp_path)


def test_the_gates_params_are_validated() -> None:
    from replylint.models import Rule
    from replylint.rulebook import RuleBook, check_rulebook

    book = load_rulebook()
    rule = book.rules["not-english"]
    bad = Rule.model_validate(
        {**rule.model_dump(by_alias=True, exclude_none=True), "params": {"min_wrds": 3}}
    )
    broken = RuleBook(rules={**book.rules, "not-english": bad}, signals=book.signals)
    with pytest.raises(RuleBookError, match=r"params\.min_wrds: unknown parameter of gate"):
        check_rulebook(broken)


def test_a_sentence_with_a_stray_semicolon_is_prose() -> None:
    """Blind review 19e: one English sentence ending in ".;" was called code and not linted."""
    from replylint.api import Linter

    report = Linter().check(
        "If the refund has not arrived by Friday, please ring our payments partner as they "
        "handle every card charge and they will trace it for you.;"
    )
    ids = {f.rule for f in report.findings}
    assert "not-prose" not in ids
    code = Linter().check("const total = items.length;\nreturn total;\n")
    assert {f.rule for f in code.findings} == {"not-prose"}
