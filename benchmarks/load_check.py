"""A small load check of ``replylint serve``: N concurrent clients for a bounded time.

It starts its own server on a free loopback port (``python -m replylint.cli serve``, in a
subprocess), waits for ``/v1/ready``, then runs N clients (asyncio + httpx, one connection each)
that POST the example drafts to ``/v1/check`` in turn until the time is up or the request budget
is spent, and prints requests/s, p50/p99 latency and the errors (there must be none: the exit
status is 1 otherwise). Traffic goes to 127.0.0.1 only.

    python benchmarks/load_check.py [--clients 8] [--duration 10] [--max-requests 20000]
"""

from __future__ import annotations

import argparse
import asyncio
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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "replylint.cli", "serve", "--port", str(port)],
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


async def _run(
    url: str, clients: int, duration: float, max_requests: int
) -> tuple[list[float], Counter[str], float]:
    bodies = [
        {"text": path.read_text(encoding="utf-8"), "customer": CUSTOMER if i % 3 == 0 else None}
        for i, path in enumerate(DRAFTS)
    ]
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    issued = 0
    deadline = time.perf_counter() + duration

    async def client(k: int) -> None:
        nonlocal issued
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            i = k
            while time.perf_counter() < deadline and issued < max_requests:
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

    started = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    return latencies, errors, time.perf_counter() - started


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument(
        "--max-requests", type=int, default=20_000, help="request budget (default 20000)"
    )
    args = parser.parse_args()
    if args.clients < 1 or not 0 < args.duration <= 300 or args.max_requests < 1:
        parser.error("need --clients >= 1, 0 < --duration <= 300 and --max-requests >= 1")

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "serve.log"
        proc = _start_server(port, log)
        try:
            ready = _wait_ready(url, proc, log, timeout=120)
            httpx.post(url + "/v1/check", json={"text": "Nope."}, timeout=30)  # warm-up
            latencies, errors, wall = asyncio.run(
                _run(url, args.clients, args.duration, args.max_requests)
            )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    done = len(latencies)
    ms = [x * 1000 for x in latencies]
    print(f"server ready in {ready:.1f} s; {len(DRAFTS)} example drafts, {args.clients} clients")
    unanswered = sum(v for k, v in errors.items() if not k.startswith(("HTTP", "bad")))
    print(f"requests:   {done} answered, {unanswered} without an answer")
    print(f"throughput: {done / wall:.1f} requests/s over {wall:.1f} s")
    if ms:
        print(
            f"latency:    p50 {statistics.median(ms):.1f} ms, p99 {_percentile(ms, 0.99):.1f} ms,"
            f" max {max(ms):.1f} ms"
        )
    total_errors = sum(errors.values())
    detail = ", ".join(f"{k}: {v}" for k, v in errors.most_common()) if errors else ""
    print(f"errors:     {total_errors}{f' ({detail})' if detail else ''}")
    return 1 if total_errors or not done else 0


if __name__ == "__main__":
    sys.exit(main())
