"""The HTTP server (``replylint serve``): through FastAPI's TestClient, and as a real uvicorn
server in a subprocess for what only a real socket shows (timeouts, stalled clients, workers
killed and replaced).

Every request goes through the real app, the real worker processes, the real rule book and the
real spaCy pipeline. One Linter subclass (:class:`Hostile`) fails or stalls on drafts that carry
a marker, to show a failing draft leaks nothing and a stuck worker is replaced whatever the
engine's speed.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from replylint import Linter
from replylint.cli import main
from replylint.rulebook import load_rulebook
from replylint.server import create_app
from replylint.server.pages import STATIC_DIR

BOOM = "[[boom]]"  # Hostile's check_many raises on a draft holding this
STALL = "[[stall]]"  # … and never returns


class Hostile(Linter):
    """A real Linter that fails on drafts holding BOOM and stalls on drafts holding STALL
    (module-level, so worker processes can unpickle it)."""

    def check_many(self, texts: Any) -> Any:
        items = list(texts)
        for item in items:
            text = item if isinstance(item, str) else item[0]
            if BOOM in text:
                raise RuntimeError("secret internals /etc/passwd")
            if STALL in text:
                time.sleep(3600)
        return super().check_many(items)


def _gated(gate: str, **kwargs: Any) -> Linter:
    """A Linter factory whose workers wait until the file ``gate`` exists."""
    if not kwargs.get("lazy"):
        deadline = time.monotonic() + 60
        while not Path(gate).exists():
            assert time.monotonic() < deadline
            time.sleep(0.05)
    return Linter(**kwargs)


def _app(factory: Any = Linter, **kwargs: Any) -> FastAPI:
    """An app with one worker per lane (test apps come and go; workers cost a CPU to load)."""
    return create_app(factory, **{"workers": 1, "heavy_workers": 1, **kwargs})


POLICY = "Hi Tom,\n\nNope. It's our policy.\n"
EMOJI = (
    "Hi Sam 👋🏽,\n\n😀 Unfortunately it's our policy that we can't refund opened items. "
    "Nope. 🙂 I've had a terrible week too.\n"
)
CUSTOMER = "I was charged twice for my plan."
REPLY = "Hi Priya, I've refunded the duplicate payment."
EXTRA_KEYS = {"start", "end", "js_start", "js_end"}
ORIGIN = "https://acme.zendesk.com"


def _wait_ready(client: TestClient, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get("/v1/ready")
        if response.status_code == 200:
            return response.json()  # type: ignore[no-any-return]
        assert response.status_code == 503, response.text
        if response.json().get("error"):
            return response.json()  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError("the server never became ready")


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return create_app()


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        _wait_ready(c)
        yield c


def _strip(finding: dict[str, Any]) -> dict[str, Any]:
    """A server finding less the offsets it adds: what the CLI's JSON has."""
    out = {k: v for k, v in finding.items() if k not in EXTRA_KEYS}
    out["suggestions"] = [
        {k: v for k, v in s.items() if k not in EXTRA_KEYS} for s in finding["suggestions"]
    ]
    return out


def _utf16(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


# -- status -------------------------------------------------------------------------------------


def test_health_answers_at_once_and_ready_waits_for_the_pipeline(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    with TestClient(_app(partial(_gated, str(gate)))) as c:
        health = c.get("/v1/health")
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        not_ready = c.get("/v1/ready")
        assert not_ready.status_code == 503
        assert not_ready.json()["ready"] is False
        assert not_ready.headers["retry-after"] == "1"
        early = c.post("/v1/check", json={"text": "Nope."})
        assert early.status_code == 503
        assert "still loading" in early.json()["error"]
        assert c.get("/v1/rules").status_code == 200  # rules need no pipeline
        gate.touch()
        ready = _wait_ready(c)
        assert ready["ready"] is True
        assert ready["pipeline"].startswith("en_")
        assert ready["pipeline_version"].startswith("3.")
        assert ready["rules"] == len(load_rulebook().rules)
        assert c.post("/v1/check", json={"text": "Nope."}).status_code == 200


def test_ready_reports_a_pipeline_that_cannot_load() -> None:
    with TestClient(_app(partial(Linter, model="no_such_pipeline_xyz"))) as c:
        status = _wait_ready(c)
        assert status["ready"] is False
        assert "no_such_pipeline_xyz" in status["error"]
        assert c.get("/v1/ready").status_code == 503
        response = c.post("/v1/check", json={"text": "Nope."})
        assert response.status_code == 503
        assert "failed to load" in response.json()["error"]
        assert c.get("/v1/health").status_code == 200


# -- /v1/check ----------------------------------------------------------------------------------


def test_check_returns_the_cli_finding_schema(client: TestClient) -> None:
    response = client.post("/v1/check", json={"text": POLICY})
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "1.1"
    assert data["pipeline"].startswith("en_")
    assert data["elapsed_ms"] >= 0
    rules = {f["rule"] for f in data["findings"]}
    assert {"terse-refusal", "bare-policy", "no-acknowledgement"} <= rules
    # exactly what `replylint check --format json -` prints for the same text, plus offsets
    cli = CliRunner().invoke(main, ["check", "--format", "json", "-"], input=POLICY)
    assert cli.exit_code == 1, cli.output
    cli_findings = json.loads(cli.output)["files"][0]["findings"]
    assert [_strip(f) for f in data["findings"]] == cli_findings
    for f in data["findings"]:
        assert set(f) - set(_strip(f)) == EXTRA_KEYS
        assert POLICY[f["start"] : f["end"]] == f["excerpt"]
        for s in f["suggestions"]:
            assert set(s) - set(_strip({**s, "suggestions": []})) == EXTRA_KEYS
    assert data["rewritten"] == Linter().check(POLICY).rewritten()


def test_check_with_the_customer_message(client: TestClient, linter: Linter) -> None:
    data = client.post("/v1/check", json={"text": REPLY, "customer": CUSTOMER}).json()
    expected = linter.check(REPLY, CUSTOMER).to_json()
    assert [_strip(f) for f in data["findings"]] == expected["findings"]
    assert data["rewritten"] == expected["rewritten"]
    # the customer's message decides what is asked; no sentence is built from its words
    assert "no-paraphrase" in {f["rule"] for f in data["findings"]}
    assert "charged twice" not in data["rewritten"]
    # the empathy profile, as the library makes it (schema 1.1)
    assert data["profile"] == expected["profile"] and data["profile"] is not None
    assert data["profile"]["takes_ownership"] and data["profile"]["greets"]  # "I've refunded"


def test_check_returns_the_profile(client: TestClient) -> None:
    warm = (
        "Hi Dana,\n\nI'm so sorry your parcel is late — that must be frustrating. I've sent a "
        "new one today; let me know if it hasn't arrived by Friday.\n\nBest,\nSam"
    )
    profile = client.post("/v1/check", json={"text": warm}).json()["profile"]
    assert profile == Linter().check(warm).to_json()["profile"]
    assert profile["acknowledges_feelings"] and profile["apology_kind"] == "owning"
    assert profile["greets"] and profile["signs_off"] and profile["checks_back"]
    assert profile["channel"] == "email" and profile["language"] == "en"


def test_clean_and_empty_drafts(client: TestClient) -> None:
    clean = (
        "Thanks for your order! It shipped this morning and tracking is on its way to your inbox."
    )
    data = client.post("/v1/check", json={"text": clean}).json()
    assert data["findings"] == []
    assert data["rewritten"] == clean
    empty = client.post("/v1/check", json={"text": ""})
    assert empty.status_code == 200
    assert empty.json()["findings"] == []


def test_js_offsets_count_utf16_code_units(client: TestClient) -> None:
    data = client.post("/v1/check", json={"text": EMOJI}).json()
    assert {"bare-policy", "terse-refusal", "self-focus"} <= {f["rule"] for f in data["findings"]}
    for f in data["findings"]:
        assert EMOJI[f["start"] : f["end"]] == f["excerpt"]
        assert _utf16(EMOJI, f["js_start"], f["js_end"]) == f["excerpt"]
        # each astral code point (👋, 🏽, 😀, 🙂) before an offset is two UTF-16 units
        before_start = sum(ord(c) > 0xFFFF for c in EMOJI[: f["start"]])
        before_end = sum(ord(c) > 0xFFFF for c in EMOJI[: f["end"]])
        assert before_start >= 2  # 👋🏽 comes before every finding
        assert (f["js_start"], f["js_end"]) == (f["start"] + before_start, f["end"] + before_end)
        for s in f["suggestions"]:
            assert _utf16(EMOJI, s["js_start"], s["js_end"]) == EMOJI[s["start"] : s["end"]]
            # applying it in JavaScript indices gives the same text as in code points
            units = EMOJI.encode("utf-16-le")
            js_applied = (
                units[: 2 * s["js_start"]].decode("utf-16-le")
                + s["replacement"]
                + units[2 * s["js_end"] :].decode("utf-16-le")
            )
            assert js_applied == EMOJI[: s["start"]] + s["replacement"] + EMOJI[s["end"] :]
    (policy,) = [f for f in data["findings"] if f["rule"] == "bare-policy"]
    assert policy["js_start"] - policy["start"] == 3  # after 👋🏽 and 😀


def test_select_and_ignore(client: TestClient, app: FastAPI) -> None:
    def rules(**body: Any) -> set[str]:
        response = client.post("/v1/check", json={"text": POLICY, **body})
        assert response.status_code == 200, response.text
        return {f["rule"] for f in response.json()["findings"]}

    everything = rules()
    assert rules(select=["bare-policy"]) == {"bare-policy"}
    assert rules(select=["bare-policy", "terse-refusal"]) == {"bare-policy", "terse-refusal"}
    assert rules(ignore=["bare-policy"]) == everything - {"bare-policy"}
    assert rules(select=["ALL"], ignore=["bare-policy"]) == everything - {"bare-policy"}
    assert rules(select=["bare-policy"], ignore=["bare-policy"]) == set()
    assert rules(select=["ALL"]) == everything
    # a rule set is named the same whatever the order (a worker builds its Linter once)
    linters = app.state.linters
    one = linters.for_request(["terse-refusal", "bare-policy"], [])
    assert linters.for_request(["bare-policy", "terse-refusal"], []) == one
    assert one is not None and set(one[0]) == {"terse-refusal", "bare-policy"}
    assert linters.for_request([], []) is None  # the base rule set


def test_select_and_ignore_narrow_the_configured_rules() -> None:
    """A request's ``ignore`` adds to the configuration's; its ``select`` replaces it."""
    from replylint import Config

    base = partial(Linter, Config(ignore=("missing-greeting",)))
    with TestClient(_app(base)) as c:
        assert _wait_ready(c)["rules"] == len(load_rulebook().rules) - 1

        def rules(**body: Any) -> set[str]:
            response = c.post("/v1/check", json={"text": "Nope.", **body})
            assert response.status_code == 200, response.text
            return {f["rule"] for f in response.json()["findings"]}

        configured = rules()
        assert "missing-greeting" not in configured
        assert "terse-refusal" in configured
        assert rules(ignore=["terse-refusal"]) == configured - {"terse-refusal"}
        assert rules(select=["missing-greeting", "terse-refusal"]) == {
            "missing-greeting",
            "terse-refusal",
        }


@pytest.mark.parametrize("field", ["select", "ignore"])
def test_unknown_rule_id_is_422(client: TestClient, field: str) -> None:
    response = client.post("/v1/check", json={"text": "Nope.", field: ["no-such-rule"]})
    assert response.status_code == 422
    data = response.json()
    assert "no-such-rule" in data["error"]
    assert "bare-policy" in data["error"]  # lists the known ids
    assert data["detail"][0]["field"] == field
    batch = client.post("/v1/check/batch", json={"drafts": [{"text": "x"}], field: ["nope"]})
    assert batch.status_code == 422
    assert batch.json()["detail"][0]["field"] == field


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": 5}, "text"),
        ({"text": "Nope.", "customer": ["a"]}, "customer"),
        ({"text": "Nope.", "select": "bare-policy"}, "select"),
        ({"text": "Nope.", "txt": "typo"}, "txt"),
    ],
    ids=["missing", "wrong-type", "customer-type", "select-not-a-list", "unknown-field"],
)
def test_invalid_request_is_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/v1/check", json=body)
    assert response.status_code == 422
    data = response.json()
    assert data["detail"][0]["field"] == field
    assert data["error"].startswith(f"invalid request: {field}: ")
    assert "Traceback" not in response.text


def test_invalid_json_is_422(client: TestClient) -> None:
    response = client.post(
        "/v1/check", content=b'{"text": "Nope.",', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    data = response.json()
    assert data["detail"][0]["field"] == "body"
    assert data["error"].startswith("invalid request: body: invalid JSON")


# -- /v1/check/batch ----------------------------------------------------------------------------


def test_batch(client: TestClient, linter: Linter) -> None:
    drafts = [
        {"text": "Nope."},
        {"text": REPLY, "customer": CUSTOMER},
        {"text": "Thanks for your order! It shipped this morning and tracking is on its way."},
        {"text": EMOJI, "customer": None},
    ]
    response = client.post("/v1/check/batch", json={"drafts": drafts})
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == "1.1"
    assert len(data["results"]) == len(drafts)
    expected = linter.check_many([(d["text"], d.get("customer")) for d in drafts])
    for result, report in zip(data["results"], expected, strict=True):
        assert [_strip(f) for f in result["findings"]] == report.to_json()["findings"]
        assert result["rewritten"] == report.rewritten()
        assert report.profile is not None
        assert result["profile"] == report.profile.model_dump(mode="json")
    assert data["results"][2]["findings"] == []
    selected = client.post("/v1/check/batch", json={"drafts": drafts, "select": ["terse-refusal"]})
    assert {f["rule"] for r in selected.json()["results"] for f in r["findings"]} == {
        "terse-refusal"
    }
    assert client.post("/v1/check/batch", json={"drafts": []}).json()["results"] == []


def test_batch_limits_the_count(small: TestClient) -> None:
    ok = small.post("/v1/check/batch", json={"drafts": [{"text": "Nope."}] * 2})
    assert ok.status_code == 200
    response = small.post("/v1/check/batch", json={"drafts": [{"text": "Nope."}] * 3})
    assert response.status_code == 422
    data = response.json()
    assert data["detail"][0]["field"] == "drafts"
    assert "too many drafts: 3" in data["error"]
    assert "limit is 2" in data["error"]


def test_batch_validation_names_the_nested_field(client: TestClient) -> None:
    response = client.post("/v1/check/batch", json={"drafts": [{"text": "a"}, {"customer": "b"}]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "drafts.1.text"


# -- size limit ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(app: FastAPI) -> Iterator[TestClient]:
    app = _app(max_body_bytes=1000, max_batch=2, max_draft_chars=500, cors_origins=[ORIGIN])
    with TestClient(app) as c:
        _wait_ready(c)
        yield c


def test_body_over_the_limit_is_413(small: TestClient) -> None:
    ok = small.post("/v1/check", json={"text": "x" * 500})
    assert ok.status_code == 200
    response = small.post("/v1/check", json={"text": "x" * 2000}, headers={"Origin": ORIGIN})
    assert response.status_code == 413
    error = response.json()["error"]
    assert "too large" in error
    assert f"{len(response.request.content)} bytes" in error
    assert "limit is 1000 bytes" in error
    # CORS headers reach the 413 too, so a helpdesk app can read the message
    assert response.headers["access-control-allow-origin"] == ORIGIN


def test_chunked_body_over_the_limit_is_413(small: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(30):
            yield b"x" * 100
        yield b'"}'

    response = small.post(
        "/v1/check", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "limit is 1000 bytes" in response.json()["error"]


# -- rules --------------------------------------------------------------------------------------


def test_rules(client: TestClient) -> None:
    response = client.get("/v1/rules")
    assert response.status_code == 200
    data = response.json()
    book = load_rulebook()
    assert [r["id"] for r in data["rules"]] == list(book.rules)
    policy = next(r for r in data["rules"] if r["id"] == "bare-policy")
    assert policy["severity"] == "warning"
    assert policy["category"] == "refusal"
    assert policy["summary"] == book.rules["bare-policy"].summary
    assert policy["source"][0]["file"]


def test_one_rule_with_its_explanation(client: TestClient) -> None:
    from replylint.explain import explain

    response = client.get("/v1/rules/bare-policy")
    assert response.status_code == 200
    data = response.json()
    rule = load_rulebook().rules["bare-policy"]
    assert data["id"] == "bare-policy"
    assert data["why"] == rule.why
    assert data["explain"] == explain(rule)
    assert "## Why is this bad?" in data["explain"]
    assert data["examples"]["fail"][0]["text"] == rule.examples.fail[0].text
    assert data["examples"]["pass"]


def test_unknown_rule_is_404(client: TestClient) -> None:
    response = client.get("/v1/rules/no-such-rule")
    assert response.status_code == 404
    error = response.json()["error"]
    assert "unknown rule id 'no-such-rule'" in error
    assert "bare-policy" in error


def test_unknown_path_and_method_are_json(client: TestClient) -> None:
    missing = client.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json() == {"error": "not found: GET /v1/nothing-here"}
    wrong = client.get("/v1/check")
    assert wrong.status_code == 405
    assert "error" in wrong.json()


# -- errors leak nothing ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile() -> Iterator[TestClient]:
    with TestClient(_app(Hostile), raise_server_exceptions=False) as c:
        _wait_ready(c)
        yield c


def test_a_draft_the_linter_fails_on_is_a_422_that_leaks_nothing(hostile: TestClient) -> None:
    response = hostile.post("/v1/check", json={"text": f"Nope. {BOOM}"})
    assert response.status_code == 422
    data = response.json()
    assert data["error"] == "the linter failed on this draft (the server's log says why)"
    assert data["detail"][0] == {"field": "text", "message": data["error"], "type": "lint_failed"}
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert hostile.post("/v1/check", json={"text": "Nope."}).status_code == 200


def test_a_batch_answers_its_other_drafts(hostile: TestClient, linter: Linter) -> None:
    """One draft the linter fails on, one over the length limit: the others are answered, in
    order, with the same findings as on their own."""
    drafts = [
        {"text": POLICY},
        {"text": f"Nope. {BOOM}"},
        {"text": REPLY, "customer": CUSTOMER},
        {"text": "x" * 50_001},
        {"text": "Fine.", "customer": "y" * 50_001},
        {"text": EMOJI},
    ]
    response = hostile.post("/v1/check/batch", json={"drafts": drafts})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == len(drafts)
    assert results[1] == {
        "error": "the linter failed on this draft (the server's log says why)",
        "type": "lint_failed",
    }
    assert results[3]["type"] == "too_long"
    assert results[3]["error"].startswith("draft too long: 50001 characters; the limit is 50000")
    assert results[4]["type"] == "too_long"
    assert results[4]["error"].startswith("customer's message too long: 50001 characters")
    for k in (0, 2, 5):
        expected = linter.check(drafts[k]["text"], drafts[k].get("customer"))
        assert [_strip(f) for f in results[k]["findings"]] == expected.to_json()["findings"]
        assert results[k]["rewritten"] == expected.rewritten()
    assert "secret" not in response.text


def test_a_draft_over_the_length_limit_is_413(small: TestClient) -> None:
    response = small.post("/v1/check", json={"text": "x" * 501})
    assert response.status_code == 413
    data = response.json()
    assert data["error"] == (
        "draft too long: 501 characters; the limit is 500 (replylint serve --max-draft-chars)"
    )
    assert data["detail"][0]["field"] == "text"
    customer = small.post("/v1/check", json={"text": "Hi.", "customer": "y" * 600})
    assert customer.status_code == 413
    assert customer.json()["detail"][0]["field"] == "customer"
    assert small.post("/v1/check", json={"text": "x" * 500}).status_code == 200


# -- hostile bodies -----------------------------------------------------------------------------


def _hostile_bodies() -> list[tuple[str, bytes]]:
    """Bodies a client may send by mistake or on purpose, generated."""
    import random

    rng = random.Random(17)
    values: list[tuple[str, str]] = [
        ("null", "null"),
        ("int", "1"),
        ("float", "1.5"),
        ("bool", "true"),
        ("list", '["a"]'),
        ("object", '{"a": 1}'),
        ("nan", "NaN"),
        ("inf", "-Infinity"),
        ("bigint", "9" * 5000),
        ("lone-surrogate", '"a \\ud800 b"'),
        ("surrogate-pair-reversed", '"\\udc00\\ud800"'),
        ("nul", '"a\\u0000b"'),
    ]
    bodies: list[tuple[str, bytes]] = []
    for field in ("text", "customer", "select", "ignore", "drafts"):
        for name, value in values:
            base = {"text": '"Nope."'}
            if field == "drafts":
                body = f'{{"drafts": [{{"text": {value}}}]}}'
            else:
                base[field] = value
                body = "{" + ", ".join(f'"{k}": {v}' for k, v in base.items()) + "}"
            bodies.append((f"{field}={name}", body.encode()))
    bodies += [
        ("empty", b""),
        ("whitespace", b"  \n "),
        ("top-level-list", b'[{"text": "Nope."}]'),
        ("top-level-string", b'"Nope."'),
        ("truncated", b'{"text": "Nope.'),
        ("trailing-garbage", b'{"text": "Nope."} {}'),
        ("deep-list", b"[" * 100_000 + b"]" * 100_000),
        ("deep-in-field", b'{"text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"),
        ("deep-objects", b'{"a":' * 30_000 + b"1" + b"}" * 30_000),
        ("raw-surrogate-utf8", b'{"text": "a \xed\xa0\x80 b"}'),
        ("latin-1", '{"text": "caf\u00e9 d\u00e9j\u00e0"}'.encode("latin-1")),
        ("utf-16", '{"text": "Nope."}'.encode("utf-16")),
        ("utf-8-bom", b"\xef\xbb\xbf" + b'{"text": "Nope."}'),
        ("binary", bytes(rng.randrange(256) for _ in range(4096))),
        ("binary-zeros", bytes(2048)),
        ("many-drafts", b'{"drafts": [' + b",".join([b'{"text": "a"}'] * 10_000) + b"]}"),
        ("many-selects", b'{"text": "a", "select": [' + b",".join([b'"x"'] * 50_000) + b"]}"),
        ("long-key", b'{"' + b"k" * 200_000 + b'": 1, "text": "a"}'),
        ("too-large", b'{"text": "' + b"a" * 1_100_000 + b'"}'),
        ("draft-too-long", b'{"text": "' + b"word " * 20_000 + b'"}'),
    ]
    return bodies


HOSTILE = _hostile_bodies()


@pytest.mark.parametrize("path", ["/v1/check", "/v1/check/batch"])
def test_hostile_bodies_get_a_clear_error_never_a_500(client: TestClient, path: str) -> None:
    answered = {}
    for name, body in HOSTILE:
        for kind in ("application/json", "text/plain"):
            response = client.post(path, content=body, headers={"Content-Type": kind})
            assert response.status_code != 500, (name, response.text)
            assert response.status_code in {200, 413, 422}, (name, response.status_code)
            data = response.json()
            if response.status_code != 200:
                error = data["error"]
                assert error and "\n" not in error, (name, error)
                assert "Traceback" not in response.text and "File " not in error
            answered[name] = (response.status_code, data.get("error", ""))
    # what some of them say
    assert answered["too-large"][0] == 413
    assert "invalid JSON" in answered["deep-list"][1]
    assert "recursion limit" in answered["deep-list"][1]
    assert "invalid JSON" in answered["raw-surrogate-utf8"][1]
    for name in ("text=lone-surrogate", "customer=surrogate-pair-reversed", "drafts=nan"):
        assert answered[name][0] == 422, name
    assert answered["empty"][1].startswith("invalid request: body: invalid JSON")
    if path == "/v1/check":
        assert answered["draft-too-long"][0] == 413
        assert answered["text=nan"] == (
            422,
            "invalid request: text: Input should be a valid string",
        )
        assert answered["utf-8-bom"][0] in {200, 422}
    else:
        assert answered["many-drafts"] == (
            422,
            "too many drafts: 10000; the limit is 100 per request",
        )


def test_empty_and_blank_drafts_with_a_customer_message(client: TestClient) -> None:
    for text in ["", "   ", "\n\n", "{{agent_name}}"]:
        response = client.post("/v1/check", json={"text": text, "customer": "I was charged twice."})
        assert response.status_code == 200, response.text  # (the engine raised IndexError)
        data = response.json()
        assert isinstance(data["findings"], list) and isinstance(data["rewritten"], str)
        assert data["rewritten"].strip() == "" or "{{agent_name}}" in data["rewritten"]


# -- CORS ---------------------------------------------------------------------------------------


def test_no_cors_by_default(client: TestClient) -> None:
    response = client.post("/v1/check", json={"text": "Nope."}, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/v1/check",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_configured_origins(small: TestClient) -> None:
    preflight = small.options(
        "/v1/check",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]
    response = small.post("/v1/check", json={"text": "Nope."}, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    other = small.post(
        "/v1/check", json={"text": "Nope."}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


# -- concurrency --------------------------------------------------------------------------------


def test_concurrent_requests(client: TestClient) -> None:
    bodies = [
        {"text": POLICY},
        {"text": EMOJI, "select": ["bare-policy"]},
        {"text": REPLY, "customer": CUSTOMER},
        {"text": "Nope.", "ignore": ["missing-greeting"]},
    ] * 6
    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(lambda b: client.post("/v1/check", json=b), bodies))
    assert [r.status_code for r in responses] == [200] * len(bodies)
    first = [r.json()["findings"] for r in responses[:4]]
    for k, r in enumerate(responses):
        assert r.json()["findings"] == first[k % 4]


# -- docs and the playground --------------------------------------------------------------------


def test_openapi_docs_are_served_from_this_server(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "docs-assets/swagger-ui-bundle.js" in docs.text
    assert "static/docs.js" in docs.text
    for needle in ("http://", "https://", "cdn", "<script>"):  # no CDN, no inline script
        assert needle not in docs.text, needle
    csp = docs.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    for asset, kind in [
        ("docs-assets/swagger-ui-bundle.js", "javascript"),
        ("docs-assets/swagger-ui.css", "text/css"),
        ("static/docs.js", "javascript"),
    ]:
        response = client.get(f"/{asset}")
        assert response.status_code == 200, asset
        assert kind in response.headers["content-type"]
    assert "SwaggerUIBundle" in client.get("/static/docs.js").text
    assert client.get("/redoc").status_code == 404  # ReDoc's page would load a CDN's script
    schema = client.get("/openapi.json").json()
    for path in ["/v1/check", "/v1/check/batch", "/v1/rules", "/v1/rules/{rule_id}", "/v1/ready"]:
        assert path in schema["paths"], path
    components = schema["components"]["schemas"]
    finding = components["ApiFinding"]["properties"]
    assert {"js_start", "js_end", "start", "end", "rule", "suggestions"} <= set(finding)
    check = schema["paths"]["/v1/check"]["post"]
    assert {"413", "422", "503"} <= set(check["responses"])
    body = check["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/CheckRequest"}
    assert set(components["CheckRequest"]["properties"]) == {
        "text",
        "customer",
        "channel",
        "select",
        "ignore",
    }
    batch = schema["paths"]["/v1/check/batch"]["post"]["requestBody"]
    assert batch["content"]["application/json"]["schema"]["$ref"].endswith("/BatchRequest")
    assert "BatchDraft" in components and "DraftError" in components


@pytest.mark.parametrize(
    ("method", "path", "csp"),
    [
        ("GET", "/", "script-src 'self'"),
        ("GET", "/docs", "script-src 'self'"),
        ("GET", "/v1/health", "default-src 'none'"),
        ("GET", "/v1/rules", "default-src 'none'"),
        ("GET", "/static/app.js", "default-src 'none'"),
        ("GET", "/openapi.json", "default-src 'none'"),
        ("GET", "/no/such/page", "default-src 'none'"),
        ("POST", "/v1/check", "default-src 'none'"),
    ],
)
def test_every_response_has_security_headers(
    client: TestClient, method: str, path: str, csp: str
) -> None:
    response = client.request(method, path, content=b"{" if method == "POST" else None)
    assert csp in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    if path.startswith("/v1/"):
        assert response.headers["cache-control"] == "no-store"


def test_a_413_has_the_security_headers_too(small: TestClient) -> None:
    response = small.post("/v1/check", content=b"x" * 2000)
    assert response.status_code == 413
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_playground_page(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert '<label for="draft">' in page.text
    assert 'src="static/app.js"' in page.text
    for name, kind in [("app.js", "javascript"), ("style.css", "text/css")]:
        asset = client.get(f"/static/{name}")
        assert asset.status_code == 200
        assert kind in asset.headers["content-type"]


def test_playground_uses_no_external_assets() -> None:
    files = sorted(STATIC_DIR.iterdir())
    assert {f.name for f in files} >= {"index.html", "app.js", "style.css"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        for needle in ("http://", "https://", "//cdn", "@import", "url("):
            assert needle not in text, f"{path.name} refers to {needle}"


# -- the command ---------------------------------------------------------------------------------


def test_serve_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "pip install 'replylint[server]'" in lines[0]


def test_serve_help_imports_neither_fastapi_nor_spacy(root: Path) -> None:
    code = textwrap.dedent(
        """
        import json, sys
        from click.testing import CliRunner
        from replylint.cli import main
        result = CliRunner().invoke(main, ["serve", "--help"])
        print(json.dumps({"code": result.exit_code, "output": result.output,
            "loaded": sorted({m.split(".")[0] for m in sys.modules} & {"fastapi", "spacy"})}))
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root
    )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    assert data["code"] == 0
    for option in ("--cors-origin", "--max-body", "--max-draft-chars", "--timeout"):
        assert option in data["output"]
    for option in ("--read-timeout", "--workers", "--heavy-workers"):
        assert option in data["output"]
    assert data["loaded"] == []


# -- a real server: stalled clients, stuck workers, a bounded queue ------------------------------

READ_TIMEOUT = 2.0  # the served server's bound on a request's headers, and on its body
BUDGET = 3.0  # … and its time budget for linting a request
HEAVY_STALL = STALL + " " + "Nope. " * 400  # over 2,000 characters: the heavy lane
HEAVY = "Thanks for your patience while we looked into this. " * 50  # heavy, and quick


def serve_for_tests(port: int) -> None:
    """The ``served`` fixture's server (run in a subprocess): uvicorn as ``replylint serve``
    runs it, one worker per lane, a queue of one job, the Hostile Linter."""
    from replylint.server.http import run

    app = create_app(
        Hostile, timeout=BUDGET, read_timeout=READ_TIMEOUT, workers=1, heavy_workers=1, queue=1
    )
    run(app, "127.0.0.1", port, read_timeout=READ_TIMEOUT)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Iterator[str]:
    port = _free_port()
    log_path = tmp_path_factory.mktemp("served") / "serve.log"
    code = (
        f"import sys; sys.path.insert(0, {str(root)!r}); "
        f"from tests.server import test_server; test_server.serve_for_tests({port})"
    )
    url = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", code], stdout=log, stderr=subprocess.STDOUT, cwd=root
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            try:
                if httpx.get(url + "/v1/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _closed_after(port: int, data: bytes, trickle: bool = False) -> tuple[float, bytes]:
    """Open a raw connection, send ``data`` (a byte every 0.3 s if ``trickle``) and never
    finish the request: the seconds until the server closes it, and what it sent back."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        started = time.monotonic()
        got = b""
        if trickle:
            sock.settimeout(0.3)
            for byte in data:
                try:
                    sock.sendall(bytes([byte]))
                    chunk = sock.recv(4096)
                except TimeoutError:
                    continue
                except OSError:  # reset: closed
                    return time.monotonic() - started, got
                if not chunk:
                    return time.monotonic() - started, got
                got += chunk
            sock.settimeout(30)
        else:
            sock.sendall(data)
        try:
            while chunk := sock.recv(4096):
                got += chunk
        except OSError:
            pass
        return time.monotonic() - started, got


@pytest.mark.slow  # a real uvicorn server
def test_stalled_connections_are_closed(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    request = b"POST /v1/check HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
    cases = {
        "nothing": (b"", False),
        "half a request line": (b"POST /v1/che", False),
        "half the headers": (request[:50], False),
        "headers a byte at a time": (request * 20, True),
        "half the body": (request + b"Content-Length: 100\r\n\r\n" + b'{"text": "Nope', False),
    }
    with ThreadPoolExecutor(max_workers=len(cases)) as pool:
        futures = {name: pool.submit(_closed_after, port, *case) for name, case in cases.items()}
        results = {name: future.result() for name, future in futures.items()}
    for name, (seconds, reply) in results.items():
        # closed at the bound (one bound for the headers, another for the body), not later
        assert READ_TIMEOUT - 0.5 <= seconds <= READ_TIMEOUT + 3, (name, seconds)
        if name == "half the body":
            assert reply.startswith(b"HTTP/1.1 408 "), reply
            assert b"request body not received within 2 s" in reply
        else:
            assert reply == b"", (name, reply)
    # and the server still answers
    assert httpx.post(served + "/v1/check", json={"text": "Nope."}).status_code == 200


def _post(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
    """Status, JSON and the monotonic time the answer came."""
    response = httpx.post(url, json=body, timeout=60)
    return response.status_code, response.json(), time.monotonic()


def _until_ok(url: str, body: dict[str, Any], limit: float = 60) -> dict[str, Any]:
    """Post until 200 (a replaced worker is loading meanwhile: 503 busy is expected)."""
    deadline = time.monotonic() + limit
    while True:
        status, data, _ = _post(url, body)
        if status == 200:
            return data
        assert status == 503 and data["detail"][0]["type"] == "busy", data
        assert time.monotonic() < deadline, data


@pytest.mark.slow  # a real uvicorn server
def test_a_stuck_worker_is_killed_and_replaced(served: str) -> None:
    check = served + "/v1/check"
    with ThreadPoolExecutor(max_workers=2) as pool:
        started = time.monotonic()
        stuck = pool.submit(_post, check, {"text": HEAVY_STALL})
        time.sleep(0.3)
        # a long draft holds the heavy lane: short drafts are answered meanwhile
        light = [_post(check, {"text": POLICY}) for _ in range(5)]
        status, data, ended = stuck.result()
    assert status == 422, data
    assert data["detail"][0]["type"] == "timeout"
    assert data["error"].startswith("not linted within the server's time budget of 3 s")
    assert ended - started >= BUDGET - 0.5
    assert all(s == 200 for s, _, _ in light)
    assert all(t < ended for _, _, t in light)
    # the heavy lane has a new worker
    heavy = _until_ok(check, {"text": HEAVY})
    assert isinstance(heavy["findings"], list)
    # a short draft that stalls: the light lane's worker is replaced too
    status, data, _ = _post(check, {"text": STALL})
    assert status == 422 and data["detail"][0]["type"] == "timeout"
    assert _until_ok(check, {"text": POLICY})["findings"]


@pytest.mark.slow  # a real uvicorn server
def test_a_stuck_draft_in_a_batch_leaves_the_others_answered(served: str) -> None:
    drafts = [{"text": POLICY}, {"text": HEAVY_STALL}, {"text": "Thanks, all done!"}]
    _until_ok(served + "/v1/check", {"text": HEAVY})  # both lanes up
    status, data, _ = _post(served + "/v1/check/batch", {"drafts": drafts})
    assert status == 200, data
    results = data["results"]
    assert {"bare-policy", "terse-refusal"} <= {f["rule"] for f in results[0]["findings"]}
    assert results[1]["type"] == "timeout"
    assert "findings" in results[2]


@pytest.mark.slow  # a real uvicorn server
def test_the_queue_is_bounded(served: str) -> None:
    """One heavy worker and a queue of one: a third long draft is turned away at once."""
    check = served + "/v1/check"
    _until_ok(check, {"text": HEAVY})  # the heavy lane is up
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(_post, check, {"text": HEAVY_STALL})
        time.sleep(0.5)
        second = pool.submit(_post, check, {"text": HEAVY_STALL})
        time.sleep(0.5)
        asked = time.monotonic()
        status, data, answered = _post(check, {"text": HEAVY_STALL})
        assert status == 503, data
        assert answered - asked < BUDGET / 2  # at once, not after waiting
        assert "1 jobs are waiting for a worker already" in data["error"]
        assert data["detail"][0]["type"] == "busy"
        assert first.result()[0] == 422
        status, data, _ = second.result()
    assert status in {422, 503}, data  # waited its whole budget, or got the worker too late


@pytest.mark.slow  # a real server, headless Chromium
@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed"
)
def test_the_docs_render_offline_under_their_csp(served: str) -> None:
    """Swagger UI in headless Chromium: every operation shown, nothing loaded from elsewhere,
    no Content-Security-Policy violation (Chromium reports those on the console)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        try:
            page = browser.new_page()
            console: list[str] = []
            loaded: list[str] = []
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("request", lambda r: loaded.append(r.url))
            page.goto(served + "/docs")
            page.wait_for_selector(".opblock", timeout=30_000)
            assert page.locator(".opblock").count() == 6  # health, ready, 2 checks, 2 rules
        finally:
            browser.close()
    assert console == []
    assert loaded and all(url.startswith(served + "/") for url in loaded), loaded
