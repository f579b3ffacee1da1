"""The server's ``channel`` request field: the table applied in the worker, the channel chosen
in each answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from replylint.server import create_app
from tests.server.test_server import _wait_ready

TWEET = "@12345 I've refunded the delivery fee for your order. ^CB"
CUSTOMER = "@Shop my parcel never arrived and you charged me delivery"
RULES = ["missing-greeting", "no-paraphrase"]


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        _wait_ready(c)
        yield c


def _rules(answer: dict) -> set[str]:  # type: ignore[type-arg]
    return {f["rule"] for f in answer["findings"]}


def test_check_auto_and_explicit_channel(client: TestClient) -> None:
    auto = client.post("/v1/check", json={"text": TWEET, "customer": CUSTOMER, "select": RULES})
    assert auto.status_code == 200, auto.text
    assert auto.json()["channel"] == "social" and _rules(auto.json()) == set()
    body = {"text": TWEET, "customer": CUSTOMER, "select": RULES, "channel": "email"}
    email = client.post("/v1/check", json=body)
    assert email.json()["channel"] == "email" and _rules(email.json()) == set(RULES)
    bad = client.post("/v1/check", json={"text": TWEET, "channel": "fax"})
    assert bad.status_code == 422 and "channel" in bad.text


def test_batch_channel_per_draft_and_per_request(client: TestClient) -> None:
    body = {
        "drafts": [
            {"text": TWEET, "customer": CUSTOMER},
            {"text": TWEET, "customer": CUSTOMER, "channel": "email"},
        ],
        "channel": "chat",
        "select": RULES,
    }
    answer = client.post("/v1/check/batch", json=body)
    assert answer.status_code == 200, answer.text
    first, second = answer.json()["results"]
    assert (first["channel"], second["channel"]) == ("chat", "email")
    assert _rules(first) == set() and _rules(second) == set(RULES)


def test_check_on_the_thread_channel(client: TestClient) -> None:
    """A comment on an issue tracker: no greeting asked, no paraphrase of the report above it."""
    comment = "I've refunded the delivery fee for your order and the parcel is on its way again."
    body = {"text": comment, "customer": CUSTOMER, "select": RULES}
    email = client.post("/v1/check", json=body)
    assert email.json()["channel"] == "email" and _rules(email.json()) == set(RULES)
    thread = client.post("/v1/check", json={**body, "channel": "thread"})
    assert thread.status_code == 200, thread.text
    assert thread.json()["channel"] == "thread" and _rules(thread.json()) == set()
