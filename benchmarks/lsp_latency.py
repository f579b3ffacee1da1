"""How long an editor waits for replylint's squiggles: `replylint lsp` over stdio.

Run by hand (figures vary with the machine; compare the figures printed in one run):

    python benchmarks/lsp_latency.py [--edits 50] [--debounce-ms 200]

Starts the server as an editor does (a subprocess speaking LSP on stdin/stdout, driven by
pygls's LanguageClient), opens a 30-line reply draft, waits for its first diagnostics (the
pipeline loads meanwhile), then makes ``--edits`` edits one after another, each a small
incremental change to one line that makes a new text (so no result is reused from the cache),
and times each from sending ``didChange`` to receiving ``publishDiagnostics`` for that
version. It does so twice, in two server processes: with the debounce an editor gets by default
(what a user sees: the debounce plus the lint) and with none (the lint alone, plus the round
trip). Prints the median and p90 of each, and the start-up figures beside the time a process
takes only to import the server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

ROOT = Path(__file__).resolve().parent.parent

PARAGRAPHS = [
    "Thanks for getting back to me about order 48213 and for the photos of the box.",
    "Unfortunately we cannot refund a final-sale item. It is our policy.",
    "I checked the tracking myself this afternoon and the parcel left the Leeds depot on",
    "Tuesday, two days later than we promised, because of the storm on the east coast.",
    "As I said before, the courier will try again tomorrow between 8am and 6pm.",
    "If you are not home, they will leave a card with the collection details, and the",
    "parcel will wait for you at the depot for seven days.",
    "I have also added a note to your account so that the next order ships first class",
    "at no extra cost, and I have refunded the delivery charge of £4.99 to your card.",
    "You should see it within three to five working days, depending on your bank.",
]


def draft() -> list[str]:
    """A 30-line reply: greeting, ten-ish paragraphs wrapped over lines, sign-off."""
    lines = ["Hi Sam,", ""]
    body = PARAGRAPHS * 3
    for k, text in enumerate(body[:24]):
        lines.append(text)
        if k % 4 == 3:
            lines.append("")
    lines += ["Thanks,", "Ava"]
    return lines[:30] if len(lines) >= 30 else lines + [""] * (30 - len(lines))


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


async def run(edits: int, debounce_ms: int, workspace: Path) -> dict[str, object]:
    client = LanguageClient("replylint-bench", "0")
    published: dict[int | None, float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published[params.version] = time.perf_counter()
        arrived.set()

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    started = time.perf_counter()
    await client.start_io(sys.executable, "-m", "replylint.cli", "lsp", env=env, cwd=workspace)
    await client.initialize_async(
        types.InitializeParams(
            process_id=os.getpid(),
            root_uri=from_fs_path(str(workspace)),
            capabilities=types.ClientCapabilities(),
            initialization_options={"debounceMs": debounce_ms},
        )
    )
    initialized = time.perf_counter() - started
    client.initialized(types.InitializedParams())

    lines = draft()
    uri = from_fs_path(str(workspace / "reply.txt")) or ""
    opened = time.perf_counter()
    item = types.TextDocumentItem(
        uri=uri, language_id="plaintext", version=1, text="\n".join(lines)
    )
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))

    async def wait_for(version: int) -> float:
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), 300)
        return published[version]

    first = await wait_for(1) - opened
    latencies: list[float] = []
    for k in range(edits):
        version = k + 2
        line = 2 + (k * 7) % 26  # a different line each time, body lines mostly
        text = lines[line]
        word = f" (ref {1000 + k})"  # a new text every time: nothing comes from the cache
        at = types.Position(line=line, character=len(text.encode("utf-16-le")) // 2)
        lines[line] = text + word
        change = types.TextDocumentContentChangePartial(range=types.Range(at, at), text=word)
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[change],
            )
        )
        latencies.append(await wait_for(version) - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return {"initialize": initialized, "first": first, "latencies": latencies}


def import_time() -> float:
    """The median wall time of a process that only imports the server (pygls, lsprotocol):
    what ``initialize`` cannot answer before."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    times = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import replylint.lsp"], env=env, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--debounce-ms", type=int, default=200, help="the server's default")
    args = parser.parse_args()
    print(f"replylint lsp: a {len(draft())}-line draft, {args.edits} edits, one at a time")
    print(f"a process importing replylint.lsp (and pygls) alone: {import_time():.2f} s")
    for debounce in (args.debounce_ms, 0):
        with tempfile.TemporaryDirectory(prefix="replylint-lsp-bench-") as tmp:
            result = asyncio.run(run(args.edits, debounce, Path(tmp)))
        lat = [x * 1000 for x in result["latencies"]]  # type: ignore[attr-defined]
        print(
            f"debounce {debounce:>3} ms: didChange -> publishDiagnostics (warm) "
            f"median {statistics.median(lat):6.1f} ms, p90 {p90(lat):6.1f} ms, "
            f"min {min(lat):6.1f} ms, max {max(lat):6.1f} ms"
        )
        print(
            f"                 start-up: initialize answered in "
            f"{result['initialize']:.2f} s, first diagnostics {result['first']:.2f} s after "
            "didOpen (pipeline load included)"
        )


if __name__ == "__main__":
    main()
