"""`replylint lsp`: a real language server process driven over stdio by pygls's LanguageClient.

One server runs for the module (its pipeline loads once); each test opens its own documents.
The client applies the server's WorkspaceEdits itself (positions in UTF-16 code units, as the
client announced) and sends the change back, as an editor does.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from replylint.lsp.text import UTF8, UTF16, UTF32, Document, to_offset, units_for
from replylint.offsets import LineIndex

ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")
WAIT = 120.0  # seconds: the first lint waits for the pipeline to load


def u16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def position_of(text: str, offset: int) -> types.Position:
    """The LSP position (UTF-16) of a code point offset, computed independently of the server."""
    before = text[:offset]
    line = before.count("\n")
    start = before.rfind("\n") + 1
    return types.Position(line=line, character=u16(text[start:offset]))


def offset_of(text: str, pos: types.Position) -> int:
    """The code point offset of an LSP position (UTF-16), for '\\n'-separated test texts."""
    lines = text.split("\n")
    start = sum(len(x) + 1 for x in lines[: pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= pos.character:
            return start + i
        units += u16(ch)
    return start + len(line)


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (all relative to ``text``), last first."""
    spans = [
        (offset_of(text, e.range.start), offset_of(text, e.range.end), e.new_text) for e in edits
    ]
    for a, b, new in sorted(spans, reverse=True):
        text = text[:a] + new + text[b:]
    return text


class Session:
    """A server process and a client on an event loop in a background thread."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.published: dict[str, list[types.PublishDiagnosticsParams]] = defaultdict(list)
        self.cond = threading.Condition()
        self.client: LanguageClient = self.run(self._start())

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = WAIT) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def call(self, fn: Callable[..., Any], *args: Any) -> None:
        """A notification, sent from the loop's thread."""

        async def send() -> None:
            fn(*args)

        self.run(send())

    async def _start(self) -> LanguageClient:
        client = LanguageClient("replylint-tests", "0")

        @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            with self.cond:
                self.published[params.uri].append(params)
                self.cond.notify_all()

        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        await client.start_io(sys.executable, "-m", "replylint.cli", "lsp", env=env, cwd=self.root)
        self.initialize_result = await client.initialize_async(
            types.InitializeParams(
                process_id=os.getpid(),
                root_uri=from_fs_path(str(self.root)),
                workspace_folders=[
                    types.WorkspaceFolder(uri=from_fs_path(str(self.root)) or "", name="ws")
                ],
                capabilities=types.ClientCapabilities(
                    general=types.GeneralClientCapabilities(
                        position_encodings=[types.PositionEncodingKind.Utf16]
                    ),
                    workspace=types.WorkspaceClientCapabilities(
                        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True)
                    ),
                ),
                initialization_options={"debounceMs": 50},
            )
        )
        client.initialized(types.InitializedParams())
        return client

    # -- documents -------------------------------------------------------------------------------
    def open(self, path: Path, text: str, language: str = "plaintext") -> str:
        uri = from_fs_path(str(path)) or ""
        item = types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        self.call(self.client.text_document_did_open, types.DidOpenTextDocumentParams(item))
        return uri

    def change(self, uri: str, version: int, edits: list[types.TextEdit]) -> None:
        changes: list[types.TextDocumentContentChangeEvent] = [
            types.TextDocumentContentChangePartial(range=e.range, text=e.new_text)
            for e in sorted(
                edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
            )
        ]
        self.call(
            self.client.text_document_did_change,
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=changes,
            ),
        )

    def diagnostics(self, uri: str, version: int, count: int = 1) -> list[types.Diagnostic]:
        """The diagnostics published for ``version`` (the ``count``-th publication of it)."""

        def ready() -> bool:
            return sum(1 for p in self.published[uri] if p.version == version) >= count

        with self.cond:
            assert self.cond.wait_for(ready, WAIT), f"no diagnostics for {uri} v{version}"
            return list(
                [p for p in self.published[uri] if p.version == version][count - 1].diagnostics
            )

    def code_actions(
        self,
        uri: str,
        at: types.Range,
        diagnostics: list[types.Diagnostic],
        only: list[str] | None = None,
    ) -> list[types.CodeAction]:
        result = self.run(
            self.client.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=at,
                    context=types.CodeActionContext(diagnostics=diagnostics, only=only),
                )
            )
        )
        return [a for a in result or [] if isinstance(a, types.CodeAction)]

    def hover(self, uri: str, at: types.Position) -> types.Hover | None:
        return self.run(
            self.client.text_document_hover_async(
                types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
            )
        )

    def close(self) -> int | None:
        async def stop() -> int | None:
            await self.client.shutdown_async(None)
            self.client.exit(None)
            await self.client.stop()
            server = self.client._server
            return server.returncode if server is not None else None

        try:
            return self.run(stop(), timeout=30)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


@pytest.fixture(scope="module")
def lsp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    root = tmp_path_factory.mktemp("workspace")
    session = Session(root)
    yield session
    code = session.close()
    assert code == 0, "the server exits cleanly after shutdown and exit"


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    edit = action.edit
    assert edit is not None and edit.document_changes, "document changes, as the client asked"
    (change,) = edit.document_changes
    assert isinstance(change, types.TextDocumentEdit)
    assert change.text_document.uri == uri
    return [e for e in change.edits if isinstance(e, types.TextEdit)]


def by_code(diags: list[types.Diagnostic], code: str) -> list[types.Diagnostic]:
    return [d for d in diags if d.code == code]


# ------------------------------------------------------------------------------------------
# the server over stdio
# ------------------------------------------------------------------------------------------

DRAFT = (
    "Hi Sam,\n\nAs I said before, we cannot refund a final-sale item. Calm down.\n\nThanks,\nAna\n"
)


def test_initialize_announces_features(lsp: Session) -> None:
    caps = lsp.initialize_result.capabilities
    assert caps.position_encoding == types.PositionEncodingKind.Utf16
    assert caps.hover_provider
    assert isinstance(caps.code_action_provider, types.CodeActionOptions)
    kinds = caps.code_action_provider.code_action_kinds or []
    assert types.CodeActionKind.QuickFix in kinds and "source.fixAll.replylint" in kinds
    sync = caps.text_document_sync
    assert isinstance(sync, types.TextDocumentSyncOptions)
    assert sync.change == types.TextDocumentSyncKind.Incremental
    assert lsp.initialize_result.server_info is not None
    assert lsp.initialize_result.server_info.name == "replylint"


def test_diagnostics_code_action_fix_and_the_diagnostic_goes(lsp: Session) -> None:
    path = lsp.root / "refund.txt"
    uri = lsp.open(path, DRAFT)
    diags = lsp.diagnostics(uri, 1)
    codes = {d.code for d in diags}
    assert {"condescending", "no-acknowledgement", "no-alternative"} <= codes
    assert all(d.source == "replylint" for d in diags)
    # the put-down at the start of line 3 and "Calm down" later on it, exactly
    said = DRAFT.index("As I said")
    calm = DRAFT.index("Calm down")
    ranges = sorted((d.range.start, d.range.end) for d in by_code(diags, "condescending"))
    assert [(s, e) for s, e in ranges] == [
        (position_of(DRAFT, said), position_of(DRAFT, said + len("As I said"))),
        (position_of(DRAFT, calm), position_of(DRAFT, calm + len("Calm down"))),
    ]
    first = min(by_code(diags, "condescending"), key=lambda d: d.range.start.character)
    assert first.severity == types.DiagnosticSeverity.Warning

    actions = lsp.code_actions(uri, first.range, [first])
    fixes = [a for a in actions if a.title.startswith("Fix: ")]
    reviews = [a for a in actions if a.title.startswith("Review before sending: ")]
    assert len(fixes) == 1 and fixes[0].is_preferred is True
    assert fixes[0].kind == types.CodeActionKind.QuickFix
    assert fixes[0].diagnostics and fixes[0].diagnostics[0].code == "condescending"
    # unsafe rewrites are never preferred (the acknowledgement is a template here: the only
    # issue the draft names is its refusal, which an apology must not repeat)
    assert all(not a.is_preferred for a in reviews)
    for action in actions:  # a template with <slots> is never offered as an edit
        for e in edits_of(action, uri) if action.edit else []:
            assert "<" not in e.new_text, action.title

    # apply the fix client-side, send it as an incremental change, and the finding is gone
    edits = edits_of(fixes[0], uri)
    fixed = apply_edits(DRAFT, edits)
    # the whole aside goes ("As I said before, "), not just its head
    assert "As I said" not in fixed and "We cannot refund" in fixed
    lsp.change(uri, 2, edits)
    after = lsp.diagnostics(uri, 2)
    left = by_code(after, "condescending")
    assert len(left) == 1, "only the other put-down is left"
    calm2 = fixed.index("Calm down")
    assert left[0].range.start == position_of(fixed, calm2)
    # the server holds the same text as the client: its next fix applies cleanly
    assert {"no-acknowledgement", "no-alternative"} <= {d.code for d in after}


def test_edits_while_typing_publish_the_newest_version(lsp: Session) -> None:
    text = "Hi Sam,\n\nThanks for writing in.\n\nThanks,\nAna\n"
    uri = lsp.open(lsp.root / "typing.txt", text)
    assert lsp.diagnostics(uri, 1) == []
    typed = " Calm down."
    at = text.index("in.") + 3
    version = 1
    for k, ch in enumerate(typed):  # keystrokes faster than the debounce
        version += 1
        pos = position_of(text, at + k)
        lsp.change(uri, version, [types.TextEdit(types.Range(pos, pos), ch)])
        text = text[: at + k] + ch + text[at + k :]
    diags = lsp.diagnostics(uri, version)
    # debounced: not one lint per keystroke, and never an older version after a newer one
    versions = [p.version for p in lsp.published[uri]]
    assert len(versions) < len(typed) and versions == sorted(versions)
    calm = text.index("Calm down")
    (d,) = by_code(diags, "condescending")
    assert d.range.start == position_of(text, calm)


def test_utf16_positions_after_astral_characters(lsp: Session) -> None:
    # four emoji (two UTF-16 units each, one replylint column each) before the finding
    text = (
        "Hi Sam 👋,\n\nThanks 😀😀 for the 📦 photo. As I said before, we cannot refund it."
        "\n\nThanks,\nAna\n"
    )
    uri = lsp.open(lsp.root / "emoji.txt", text)
    diags = lsp.diagnostics(uri, 1)
    (d,) = by_code(diags, "condescending")
    start = text.index("As I said")
    line_start = text.rfind("\n", 0, start) + 1
    assert d.range.start.line == 2
    assert d.range.start.character == (start - line_start) + 3  # 3 emoji on this line
    assert d.range.start == position_of(text, start)
    assert d.range.end == position_of(text, start + len("As I said"))

    # hover inside the range (a UTF-16 position after the emoji) explains the rule
    inside = types.Position(d.range.start.line, d.range.start.character + 4)
    hover = lsp.hover(uri, inside)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    value = hover.contents.value
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert "`condescending`" in value and "**Why?**" in value
    assert 'seeds/004_9453a310d82bfad6.txt, "Be respectful"' in value
    assert "Fix: " in value
    # the hover covers every finding under the cursor (the sentence-long ones too)
    assert hover.range is not None and hover.range.start == d.range.start

    def holds(r: types.Range, p: types.Position) -> bool:
        return (
            (r.start.line, r.start.character)
            <= (p.line, p.character)
            <= (
                r.end.line,
                r.end.character,
            )
        )

    under = {str(x.code) for x in diags if holds(x.range, inside)}
    assert len(under) >= 2 and all(f"**replylint: `{c}`**" in value for c in under)
    assert value.count("**replylint: `") == len([x for x in diags if holds(x.range, inside)])
    # nothing to say between findings
    assert lsp.hover(uri, types.Position(0, 1)) is None

    # the fix's edit, in UTF-16 units, lands on the right characters
    (fix,) = [a for a in lsp.code_actions(uri, d.range, [d]) if a.title.startswith("Fix: ")]
    fixed = apply_edits(text, edits_of(fix, uri))
    assert "📦 photo. We cannot refund it." in fixed


def test_json_macro_export(lsp: Session) -> None:
    macros = [
        {"name": "Welcome 👋", "text": "Hi there,\n\nThanks for reaching out!\n\nBest,\nAna"},
        {
            "name": "Final sale 😀",
            "text": 'Hi Sam,\n\nAs I said before, a "final sale" item cannot be refunded.\n\nAna',
        },
    ]
    text = json.dumps(macros, ensure_ascii=False, indent=2) + "\n"
    uri = lsp.open(lsp.root / "saved-replies.json", text, "json")
    diags = lsp.diagnostics(uri, 1)
    (d,) = by_code(diags, "condescending")
    start = text.index("As I said")  # inside the second JSON string, after its \n escapes
    assert d.range.start == position_of(text, start)
    assert d.range.end == position_of(text, start + len("As I said"))

    # no action turns the refusal into an apology ("I'm sorry a "final sale" item cannot …")
    actions = lsp.code_actions(uri, d.range, [d])
    for action in actions:
        for e in edits_of(action, uri) if action.edit else []:
            assert "cannot" not in e.new_text, action.title

    (fix,) = [a for a in actions if a.title.startswith("Fix: ")]
    edits = edits_of(fix, uri)
    fixed = apply_edits(text, edits)
    # the text after the fix is escaped for the JSON string it is in
    assert json.loads(fixed)[1]["text"].startswith('Hi Sam,\n\nA "final sale" item')
    assert '\\"final sale\\"' in fixed
    lsp.change(uri, 2, edits)
    assert by_code(lsp.diagnostics(uri, 2), "condescending") == []


def test_saved_replies_markdown_and_fix_all(lsp: Session) -> None:
    text = (
        "# Saved replies\n\n## Refund refused\n\nHi Sam,\n\nAs I said, that is not possible.\n\n"
        "Ana\n\n## Order shipped\n\nHi Sam,\n\nAs I said before, your order shipped today.\n\n"
        "Ana\n"
    )
    uri = lsp.open(lsp.root / "SAVED_REPLIES.md", text, "markdown")
    diags = lsp.diagnostics(uri, 1)
    found = by_code(diags, "condescending")
    starts = [k for k in range(len(text)) if text.startswith("As I said", k)]
    assert sorted(d.range.start.line for d in found) == [position_of(text, k).line for k in starts]

    (fix_all,) = lsp.code_actions(
        uri, types.Range(types.Position(0, 0), types.Position(0, 0)), [], ["source.fixAll"]
    )
    assert fix_all.kind == "source.fixAll.replylint"
    edits = edits_of(fix_all, uri)
    assert len(edits) == 2
    fixed = apply_edits(text, edits)
    assert "As I said" not in fixed and "## Order shipped" in fixed
    lsp.change(uri, 2, edits)
    assert by_code(lsp.diagnostics(uri, 2), "condescending") == []


def test_workspace_config_ignores_a_rule_and_reloads(lsp: Session) -> None:
    folder = lsp.root / "team"
    folder.mkdir()
    config = folder / ".replylint.toml"
    config.write_text('ignore = ["condescending"]\n', encoding="utf-8")
    uri = lsp.open(folder / "refund.txt", DRAFT)
    codes = {d.code for d in lsp.diagnostics(uri, 1)}
    assert "condescending" not in codes and "no-acknowledgement" in codes

    # the configuration changes and is saved in the editor: the open draft is linted again
    config.write_text('ignore = ["no-acknowledgement"]\n', encoding="utf-8")
    config_uri = from_fs_path(str(config)) or ""
    lsp.call(
        lsp.client.text_document_did_save,
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(config_uri)),
    )
    codes = {d.code for d in lsp.diagnostics(uri, 1, count=2)}
    assert "condescending" in codes and "no-acknowledgement" not in codes


def test_errors_are_one_diagnostic_naming_the_line(lsp: Session) -> None:
    broken = '[\n  {"name": "A", "text": "Hi"},\n  {"name": "B", "text": }\n]\n'
    uri = lsp.open(lsp.root / "broken.json", broken, "json")
    (d,) = lsp.diagnostics(uri, 1)
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.message.startswith("replylint cannot lint this file: line 3, column")
    assert d.range.start.line == 2

    folder = lsp.root / "badconfig"
    folder.mkdir()
    (folder / ".replylint.toml").write_text('ignore = ["no-such-rule"]\n', encoding="utf-8")
    uri = lsp.open(folder / "draft.txt", DRAFT)
    (d,) = lsp.diagnostics(uri, 1)
    assert "unknown rule id 'no-such-rule'" in d.message and ".replylint.toml" in d.message

    uri = lsp.open(lsp.root / "empty.txt", "\n\n")
    assert lsp.diagnostics(uri, 1) == []


def test_closing_a_document_clears_its_diagnostics(lsp: Session) -> None:
    uri = lsp.open(lsp.root / "closing.txt", DRAFT)
    assert lsp.diagnostics(uri, 1)
    lsp.call(
        lsp.client.text_document_did_close,
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri)),
    )
    with lsp.cond:
        assert lsp.cond.wait_for(lambda: len(lsp.published[uri]) >= 2, WAIT)
        assert list(lsp.published[uri][-1].diagnostics) == []


# ------------------------------------------------------------------------------------------
# positions, without a server
# ------------------------------------------------------------------------------------------


def test_position_encodings_and_line_breaks() -> None:
    text = "a😀b\r\nc\u2028d😀e\rf"  # U+2028 is not an LSP line break
    lines = LineIndex(text)
    e = text.index("e")
    doc16 = Document("u", "p.txt", text, 1, UTF16)
    assert doc16.position(e) == (1, 5)  # "c", U+2028, "d", two units for the emoji
    assert doc16.offset(1, 5) == e
    assert Document("u", "p.txt", text, 1, UTF32).position(e) == (1, 4)
    assert Document("u", "p.txt", text, 1, UTF8).position(e) == (1, 1 + 3 + 1 + 4)
    assert doc16.position(text.index("f")) == (2, 0)
    # a column inside a surrogate pair means after the character; past the end, the line end
    assert to_offset(lines, 0, 2, units_for(UTF16)) == text.index("b")
    assert to_offset(lines, 0, 99, units_for(UTF16)) == text.index("\r")
    assert to_offset(lines, 9, 0, units_for(UTF16)) == len(text)

    doc16.apply((1, 3), (1, 5), "")  # delete the emoji after "d"
    assert doc16.text == "a😀b\r\nc\u2028de\rf"
    doc16.apply(None, None, "new")
    assert doc16.text == "new"


def test_lsp_command_without_pygls(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from click.testing import CliRunner

    from replylint.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pygls" else real(name, *a)
    )
    result = CliRunner().invoke(main, ["lsp"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "replylint: error: `replylint lsp` needs pygls: pip install 'replylint[lsp]'"
    ]


def test_importing_the_server_does_not_import_spacy() -> None:
    import subprocess

    code = "import sys, replylint.lsp; print('spacy' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False", time.perf_counter() - started


def test_same_findings_as_check_in_every_format(lsp: Session) -> None:
    """Each document's diagnostics are `replylint check`'s findings for the file (same
    configuration, suppressions and positions), in UTF-16 ranges."""
    import subprocess

    folder = lsp.root / "formats"
    folder.mkdir()
    (folder / ".replylint.toml").write_text(
        'per-file-ignores = { "*.yaml" = ["no-alternative"] }\n\n'
        '[severity]\ncondescending = "error"\n',
        encoding="utf-8",
    )
    files = {
        "emoji.txt": "Hi Sam 👋,\n\nThanks 😀! As I said before, we cannot refund it.\n\nAna\n",
        "SAVED_REPLIES.md": (
            "## Refund 🧾\n\nHi Sam,\n\n<!-- replylint: disable-next-line=condescending -->\n"
            "As I said, no. Calm down.\n\nAna\n\n## Shipped\n\nHi Sam,\n\n"
            "<!-- replylint: disable-next-line=bare-policy -->\nIt shipped today 📦. Obviously.\n"
        ),
        "macros.json": json.dumps(
            {"Late 🚚": "Hi Sam,\n\nAs I said before, we cannot do that. It is our policy."},
            ensure_ascii=False,
            indent=2,
        ),
        "replies.yaml": "Refund: |\n  Hi Sam,\n\n  Nope. As I said, we cannot refund it 😀.\n",
        "reply.html": "<p>Hi Sam 👋,</p>\n<p>As I said before, we can&rsquo;t do that.</p>\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run(
        [sys.executable, "-m", "replylint.cli", "check", "--format", "json", "--no-cache", "."],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr
    report = {f["path"]: f["findings"] for f in json.loads(proc.stdout)["files"]}
    assert set(report) == set(files)
    severity = {"error": 1, "warning": 2, "info": 3}

    def offset(text: str, line: int, column: int) -> int:
        lines = text.split("\n")
        return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1

    for name, text in files.items():
        uri = lsp.open(folder / name, text)
        got = {
            (
                str(d.code),
                int(d.severity or 0),
                (d.range.start.line, d.range.start.character),
                (d.range.end.line, d.range.end.character),
            )
            for d in lsp.diagnostics(uri, 1)
        }
        want = set()
        for f in report[name]:
            a = position_of(text, offset(text, f["line"], f["column"]))
            b = position_of(text, offset(text, f["end_line"], f["end_column"]))
            want.add(
                (f["rule"], severity[f["severity"]], (a.line, a.character), (b.line, b.character))
            )
        assert want, f"{name}: the example has findings"
        assert got == want, name
    rules = {f["rule"] for found in report.values() for f in found}
    assert "unused-suppression" in rules  # the .md's comment about bare-policy
    assert {f["severity"] for f in report["emoji.txt"] if f["rule"] == "condescending"} == {"error"}
    assert not [f for f in report["replies.yaml"] if f["rule"] == "no-alternative"]
