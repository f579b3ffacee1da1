"""A load check of ``replylint serve``: normal requests with and without a slow sender.

It starts its own server on a free loopback port (``python -m replylint.cli serve``, in a
subprocess), waits for ``/v1/ready``, then runs two phases of ``--requests`` requests each from
``--clients`` concurrent clients (asyncio + httpx, one connection each) that POST the example
drafts to ``/v1/check`` in turn:

1. the baseline: those clients alone;
2. the same, while a slow sender POSTs one draft of ``--slow-bytes`` (1 MiB) every second
   without waiting for the previous one.

By default the server takes the slow draft in (``--max-body`` 2 MiB, ``--max-draft-chars`` as
large as spaCy allows), so it is really linted, in the heavy lane, until the time budget kills
its worker; ``--default-limits`` keeps the server's limits, which turn it away with 413.

It prints p50/p99 of the normal requests in each phase, the ratio of the p99s (the target is
under 3), what the slow sender got back, and the errors of normal requests (the target is 0; the
exit status is 1 otherwise). Traffic goes to 127.0.0.1 only.

    python benchmarks/load_check.py [--clients 16] [--requests 2000] [--default-limits]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = sorted((ROOT / "examples" / "drafts").glob("*.txt"))
CUSTOMER = "I was charged twice for my plan this month and nobody has answered my emails."
SPACY_LIMIT = 1_000_000  # characters spaCy takes in one text by default


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int, log: Path, options: list[str]) -> subprocess.Popen[bytes]:
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "replylint.cli", "serve", "--port", str(port), *options],
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(url + "/v1/ready", timeout=2).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"the server was not ready after {timeout:.0f} s:\n{log.read_text()}")


def _slow_text(size: int) -> str:
    """About ``size`` bytes of ordinary reply sentences (ASCII), under spaCy's limit."""
    sentences = [
        "Thanks for getting in touch about your order.",
        "I checked the account and the refund went out this morning.",
        "Unfortunately it's our policy that we can't refund opened items.",
        "Let me know if there is anything else I can help with.",
    ]
    text = " ".join(sentences)
    return (text + " ") * (min(size, SPACY_LIMIT - 1) // (len(text) + 1))


async def _phase(
    url: str, clients: int, requests: int, slow: str | None
) -> tuple[list[float], Counter[str], float, Counter[str]]:
    """``requests`` normal requests from ``clients`` clients (and the slow sender, if
    ``slow``): their latencies, their errors, the wall time, and the slow sender's answers."""
    bodies = [
        {"text": path.read_text(encoding="utf-8"), "customer": CUSTOMER if i % 3 == 0 else None}
        for i, path in enumerate(DRAFTS)
    ]
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    slow_answers: Counter[str] = Counter()
    issued = 0
    done = asyncio.Event()

    async def client(k: int) -> None:
        nonlocal issued
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            i = k
            while issued < requests:
                issued += 1
                body = bodies[i % len(bodies)]
                i += 1
                sent = time.perf_counter()
                try:
                    response = await http.post("/v1/check", json=body)
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] += 1
                    continue
                latencies.append(time.perf_counter() - sent)
                if response.status_code != 200:
                    errors[f"HTTP {response.status_code}"] += 1
                elif "findings" not in response.json():
                    errors["bad body"] += 1

    async def one_slow(http: httpx.AsyncClient, payload: bytes) -> None:
        sent = time.perf_counter()
        try:
            response = await http.post(
                "/v1/check", content=payload, headers={"Content-Type": "application/json"}
            )
            kind = response.json().get("detail", [{}])[0].get("type", "")
            answer = f"HTTP {response.status_code}{f' {kind}' if kind else ''}"
        except httpx.HTTPError as exc:
            answer = type(exc).__name__
        slow_answers[f"{answer} in ~{round(time.perf_counter() - sent)} s"] += 1

    async def slow_sender(text: str) -> None:
        import json

        payload = json.dumps({"text": text}).encode()
        async with httpx.AsyncClient(base_url=url, timeout=120) as http:
            sending: set[asyncio.Task[None]] = set()
            while not done.is_set():
                task = asyncio.create_task(one_slow(http, payload))
                sending.add(task)
                task.add_done_callback(sending.discard)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(done.wait(), 1.0)
            await asyncio.gather(*sending)

    started = time.perf_counter()
    sender = asyncio.create_task(slow_sender(slow)) if slow is not None else None
    await asyncio.gather(*(client(k) for k in range(clients)))
    wall = time.perf_counter() - started
    done.set()
    if sender is not None:
        await sender
    return latencies, errors, wall, slow_answers


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _report(name: str, latencies: list[float], errors: Counter[str], wall: float) -> float:
    ms = [x * 1000 for x in latencies]
    p99 = _percentile(ms, 0.99) if ms else float("nan")
    detail = ", ".join(f"{k}: {v}" for k, v in errors.most_common())
    print(
        f"{name:<13} {len(ms)} answered in {wall:.1f} s ({len(ms) / wall:.0f}/s); "
        f"p50 {statistics.median(ms) if ms else float('nan'):.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(ms, default=float('nan')):.1f} ms; errors {sum(errors.values())}"
        f"{f' ({detail})' if detail else ''}"
    )
    return p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--requests", type=int, default=2000, help="requests a phase (2000)")
    parser.add_argument(
        "--slow-bytes", type=int, default=1 << 20, help="the slow draft's size (1 MiB)"
    )
    parser.add_argument(
        "--default-limits",
        action="store_true",
        help="keep the server's size limits (the slow draft then gets 413)",
    )
    args = parser.parse_args()
    if args.clients < 1 or not 1 <= args.requests <= 100_000 or args.slow_bytes < 1:
        parser.error("need --clients >= 1, 1 <= --requests <= 100000 and --slow-bytes >= 1")

    options = []
    if not args.default_limits:
        options = ["--max-body", str(2 * args.slow_bytes + 4096)]
        options += ["--max-draft-chars", str(SPACY_LIMIT - 1)]
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    slow = _slow_text(args.slow_bytes)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "serve.log"
        proc = _start_server(port, log, options)
        try:
            ready = _wait_ready(url, proc, log, timeout=180)
            # warm-up, not measured: every light worker has linted every example draft
            asyncio.run(_phase(url, args.clients, max(200, args.requests // 5), None))
            base = asyncio.run(_phase(url, args.clients, args.requests, None))
            loaded = asyncio.run(_phase(url, args.clients, args.requests, slow))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            replaced = log.read_text().count("killed, and a new one started")

    limits = "default limits" if args.default_limits else "limits raised to take the draft in"
    print(
        f"server ready in {ready:.1f} s ({limits}); {len(DRAFTS)} example drafts, "
        f"{args.clients} clients, {args.requests} requests a phase"
    )
    base_p99 = _report("baseline", base[0], base[1], base[2])
    slow_p99 = _report("slow sender", loaded[0], loaded[1], loaded[2])
    sent = ", ".join(f"{k}: {v}" for k, v in sorted(loaded[3].items()))
    print(
        f"slow sender:  {sum(loaded[3].values())} drafts of {len(slow)} characters "
        f"({args.slow_bytes} bytes asked), one a second: {sent}; workers killed past the "
        f"budget and replaced: {replaced}"
    )
    ratio = slow_p99 / base_p99
    print(f"p99 ratio:    {ratio:.2f}x (target < 3x)")
    total_errors = sum(base[1].values()) + sum(loaded[1].values())
    print(f"errors:       {total_errors} (target 0)")
    return 1 if total_errors or not base[0] or not loaded[0] else 0


if __name__ == "__main__":
    sys.exit(main())
