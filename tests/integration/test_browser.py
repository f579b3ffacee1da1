"""End to end: the real ``replylint serve`` on a free loopback port, its playground driven in
headless Chromium (Debian's ``chromium`` package) by Playwright.

Playwright only drives the browser here: it is pointed at /usr/bin/chromium and never downloads
one. Set REPLYLINT_SCREENSHOT=path.png to keep a screenshot of the highlighted draft.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
# as root, on a machine whose only network is loopback
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DRAFT = (
    "Hi Sam 👋🏽,\n\n"
    "😕 Unfortunately it's our policy that we can't refund opened items. "
    "I can send you a prepaid label for an exchange instead.\n\n"
    "Thanks,\nAlex"
)

pytestmark = [
    pytest.mark.slow,  # a real server and headless Chromium
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run installs it)",
    ),
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``replylint serve`` in a subprocess; yields its base URL once /v1/ready answers 200."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "replylint.cli", "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"replylint serve exited {proc.returncode}:\n{log_path.read_text()}")
            try:
                if httpx.get(url + "v1/ready", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"replylint serve never became ready:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_playground_highlights_and_applies_a_suggestion(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    # what the API says about the draft, to check the page against
    api = httpx.post(server + "v1/check", json={"text": DRAFT}, timeout=30).json()
    (policy,) = [f for f in api["findings"] if f["rule"] == "bare-policy"]
    fix = policy["suggestions"][0]
    expected = DRAFT[: fix["start"]] + fix["replacement"] + DRAFT[fix["end"] :]
    assert fix["js_start"] > fix["start"]  # the emoji before it make the indices differ

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems: list[str] = []
            page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
            page.on(
                "console",
                lambda msg: (
                    problems.append(f"console: {msg.text}") if msg.type == "error" else None
                ),
            )
            page.goto(server)
            expect(page.locator("#status")).to_have_attribute("data-state", "ready", timeout=60_000)

            # paste a bad draft: check-as-you-type highlights the policy in place
            page.locator("#draft").fill(DRAFT)
            highlight = page.locator("#backdrop mark.hl", has_text="it's our policy")
            expect(highlight).to_have_count(1, timeout=30_000)
            expect(highlight).to_have_text("it's our policy")
            card = page.locator('li.finding[data-rule="bare-policy"]')
            expect(card).to_have_count(1)
            expect(card.locator(".message")).to_have_text(policy["message"])

            # hovering the highlight shows the finding's message
            box = highlight.bounding_box()
            assert box is not None
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            expect(page.locator("#tooltip")).to_be_visible()
            expect(page.locator("#tooltip")).to_contain_text(policy["message"])
            if shot := os.environ.get("REPLYLINT_SCREENSHOT"):
                page.screenshot(path=shot, full_page=True)

            # apply the suggestion: the draft changes exactly there and the finding goes
            card.locator("button.apply").first.click()
            expect(page.locator("#draft")).to_have_value(expected)
            expect(page.locator("li.finding.stale")).to_have_count(0, timeout=30_000)
            expect(page.locator('li.finding[data-rule="bare-policy"]')).to_have_count(0)
            expect(page.locator("#backdrop mark.hl", has_text="policy")).to_have_count(0)
            assert "it's our policy" not in page.locator("#draft").input_value()
            assert problems == []
        finally:
            browser.close()
