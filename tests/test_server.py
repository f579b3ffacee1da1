"""The HTTP server (``replylint serve``) through FastAPI's TestClient.

Every request goes through the real app, the real rule book and the real spaCy pipeline: no
mocks. (One test uses a Linter subclass that raises, to show a 500 leaks nothing.)
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from replylint import Linter
from replylint.cli import main
from replylint.rulebook import load_rulebook
from replylint.server import create_app
from replylint.server.app import STATIC_DIR

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


def test_health_answers_at_once_and_ready_waits_for_the_pipeline() -> None:
    gate = threading.Event()

    def slow_linter(**kwargs: Any) -> Linter:
        assert gate.wait(60)
        return Linter(**kwargs)

    with TestClient(create_app(slow_linter)) as c:
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
        gate.set()
        ready = _wait_ready(c)
        assert ready["ready"] is True
        assert ready["pipeline"].startswith("en_")
        assert ready["pipeline_version"].startswith("3.")
        assert ready["rules"] == len(load_rulebook().rules)
        assert c.post("/v1/check", json={"text": "Nope."}).status_code == 200


def test_ready_reports_a_pipeline_that_cannot_load() -> None:
    with TestClient(create_app(partial(Linter, model="no_such_pipeline_xyz"))) as c:
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
    assert data["version"] == "1"
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
    assert "you were charged twice for your plan" in data["rewritten"]


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
    # a Linter per rule set, built once: the same rule set gets the same Linter
    linters = app.state.linters
    one = linters.for_request(["terse-refusal", "bare-policy"], [])
    assert linters.for_request(["bare-policy", "terse-refusal"], []) is one
    assert linters.for_request([], []) is linters.base
    assert one.nlp is linters.base.nlp


def test_select_and_ignore_narrow_the_configured_rules() -> None:
    """A request's ``ignore`` adds to the configuration's; its ``select`` replaces it."""
    from replylint import Config

    base = partial(Linter, Config(ignore=("missing-greeting",)))
    with TestClient(create_app(base)) as c:
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
    assert data["version"] == "1"
    assert len(data["results"]) == len(drafts)
    expected = linter.check_many([(d["text"], d.get("customer")) for d in drafts])
    for result, report in zip(data["results"], expected, strict=True):
        assert [_strip(f) for f in result["findings"]] == report.to_json()["findings"]
        assert result["rewritten"] == report.rewritten()
    assert data["results"][2]["findings"] == []
    selected = client.post("/v1/check/batch", json={"drafts": drafts, "select": ["terse-refusal"]})
    assert {f["rule"] for r in selected.json()["results"] for f in r["findings"]} == {
        "terse-refusal"
    }
    assert client.post("/v1/check/batch", json={"drafts": []}).json()["results"] == []


def test_batch_limits_the_count() -> None:
    with TestClient(create_app(max_batch=2)) as c:
        _wait_ready(c)
        ok = c.post("/v1/check/batch", json={"drafts": [{"text": "Nope."}] * 2})
        assert ok.status_code == 200
        response = c.post("/v1/check/batch", json={"drafts": [{"text": "Nope."}] * 3})
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
    with TestClient(create_app(max_body_bytes=1000, cors_origins=[ORIGIN])) as c:
        _wait_ready(c)
        yield c


def test_body_over_the_limit_is_413(small: TestClient) -> None:
    ok = small.post("/v1/check", json={"text": "x" * 900})
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


class _Broken(Linter):
    def check_many(self, texts: Any) -> Any:
        raise RuntimeError("secret internals /etc/passwd")


def test_internal_error_is_a_bare_500() -> None:
    with TestClient(create_app(_Broken), raise_server_exceptions=False) as c:
        _wait_ready(c)
        response = c.post("/v1/check", json={"text": "Nope."})
        assert response.status_code == 500
        assert response.json() == {"error": "internal error"}
        assert "secret" not in response.text
        assert "Traceback" not in response.text


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


def test_openapi_docs(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()
    schema = client.get("/openapi.json").json()
    for path in ["/v1/check", "/v1/check/batch", "/v1/rules", "/v1/rules/{rule_id}", "/v1/ready"]:
        assert path in schema["paths"], path
    finding = schema["components"]["schemas"]["ApiFinding"]["properties"]
    assert {"js_start", "js_end", "start", "end", "rule", "suggestions"} <= set(finding)
    assert "422" in schema["paths"]["/v1/check"]["post"]["responses"]


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
    assert "--cors-origin" in data["output"]
    assert "--max-body" in data["output"]
    assert data["loaded"] == []
