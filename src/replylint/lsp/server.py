"""The language server: replylint's findings as diagnostics, its suggestions as code actions,
its rules' reasons as hovers, over LSP on stdio (pygls).

- ``initialize`` answers at once; the spaCy pipeline loads on the one linting thread right
  after ``initialized``, and the first lint waits for it there.
- A document is linted when it is opened or saved, and :data:`DEBOUNCE` seconds after the
  last change while it is being typed in (initialization option ``debounceMs``). Only the
  newest version is ever published, with its version number.
- Linting runs on one worker thread, so the event loop keeps answering hovers and code
  actions meanwhile; those answer from the last lint of the current version only.
- Code actions: each applicable suggestion of a finding under the cursor ("Fix: …" for safe
  ones, marked preferred; "Review before sending: …" for unsafe ones), and
  ``source.fixAll.replylint``, the safe fixes of the whole document. A display-only
  suggestion (a template with ``<slots>`` for the writer to fill) is not offered as an edit:
  inserting it would put "<name>" into a reply. The hover shows it instead.
- A change to a ``.replylint.toml`` or ``pyproject.toml`` (saved in the editor, or reported
  by the client's file watcher) reloads the configuration and lints the open documents again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ..__about__ import __version__
from ..config import CONFIG_FILES
from ..models import Applicability, Finding, Severity
from ..suppress import UNUSED_RULE
from .checker import Checker, FileEdit, Outcome, describe, safe_fixes, suggestion_edit
from .text import UTF16, Document, to_position

DEBOUNCE = 0.2  # seconds after the last change before a document is linted
FIX_ALL = "source.fixAll.replylint"
log = logging.getLogger("replylint.lsp")

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def _path(uri: str) -> str:
    """The file a document is (an unsaved one: its name, read from the current folder)."""
    path = to_fs_path(uri)
    if path is None:
        path = uri.rsplit("/", 1)[-1].rsplit(":", 1)[-1] or "untitled.txt"
    return path


def _kind_wanted(kind: str, only: list[str] | None) -> bool:
    """Whether a code action of ``kind`` is among the kinds the client asked for."""
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


class ReplylintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("replylint", __version__)
        self.documents: dict[str, Document] = {}
        self.linted: dict[str, tuple[int | None, Outcome]] = {}  # uri -> (version, lint)
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replylint-lint")
        self.checker = Checker([Path.cwd()])
        self.debounce = DEBOUNCE
        self.roots: list[Path] = [Path.cwd()]

    # -- linting ------------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> None:
        """Lint ``uri`` after ``delay`` seconds, replacing a lint scheduled before."""
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        task = asyncio.get_running_loop().create_task(self._lint_later(uri, delay))
        self.pending[uri] = task
        task.add_done_callback(lambda t: self._done(uri, t))

    def _done(self, uri: str, task: asyncio.Task[None]) -> None:
        if self.pending.get(uri) is task:
            del self.pending[uri]
        if not task.cancelled() and task.exception() is not None:
            log.error("replylint: publishing %s failed: %s", uri, task.exception())

    async def _lint_later(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        doc = self.documents.get(uri)
        if doc is None:
            return
        version, path, text = doc.version, doc.path, doc.text
        out = await asyncio.get_running_loop().run_in_executor(self.pool, self._lint, path, text)
        doc = self.documents.get(uri)
        if doc is None or doc.version != version:
            return  # a newer version is (or will be) linted
        self.linted[uri] = (version, out)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, diagnostics=self.diagnostics(doc, out), version=version
            )
        )

    def _lint(self, path: str, text: str) -> Outcome:
        try:
            return self.checker.lint(path, text)
        except Exception as exc:  # a bug: said in one line on the document, logged in full
            log.exception("replylint: linting %s failed", path)
            return Outcome(path, text, error=f"internal error: {type(exc).__name__}: {exc}")

    def relint_all(self) -> None:
        for uri in list(self.documents):
            self.schedule(uri, 0)

    # -- LSP shapes ---------------------------------------------------------------------------
    def _range(self, doc: Document, out: Outcome, start: int, end: int) -> types.Range:
        a = to_position(out.lines, start, doc.units)
        b = to_position(out.lines, end, doc.units)
        return types.Range(types.Position(*a), types.Position(*b))

    def diagnostic(self, doc: Document, out: Outcome, number: int) -> types.Diagnostic:
        _, f = out.findings[number]
        start, end = out.spans[number]
        return types.Diagnostic(
            range=self._range(doc, out, start, end),
            message=f.message,
            severity=_SEVERITY[f.severity],
            code=f.rule,
            source="replylint",
            tags=[types.DiagnosticTag.Unnecessary] if f.rule == UNUSED_RULE else None,
        )

    def diagnostics(self, doc: Document, out: Outcome) -> list[types.Diagnostic]:
        if out.error is not None:
            line, column = out.error_at
            if not 1 <= line <= len(out.lines.starts):
                line, column = 1, 1
            end = out.lines.offset(line, 1) + len(out.lines.line_text(line) or "")
            at = min(out.lines.offset(line, max(column, 1)), end)
            return [
                types.Diagnostic(
                    range=self._range(doc, out, at, max(at, end)),
                    message=f"replylint cannot lint this file: {out.error}",
                    severity=types.DiagnosticSeverity.Error,
                    source="replylint",
                )
            ]
        return [self.diagnostic(doc, out, n) for n in range(len(out.findings))]

    def current(self, uri: str) -> tuple[Document, Outcome] | None:
        """The document and its last lint, if that lint is of the current version."""
        doc = self.documents.get(uri)
        done = self.linted.get(uri)
        if doc is None or done is None or done[0] != doc.version or done[1].text != doc.text:
            return None
        return doc, done[1]

    def workspace_edit(
        self, doc: Document, out: Outcome, edits: list[FileEdit]
    ) -> types.WorkspaceEdit:
        text_edits = [
            types.TextEdit(range=self._range(doc, out, e.start, e.end), new_text=e.text)
            for e in edits
        ]
        caps = self.client_capabilities.workspace
        if caps and caps.workspace_edit and caps.workspace_edit.document_changes:
            return types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(
                            uri=doc.uri, version=doc.version
                        ),
                        edits=list(text_edits),
                    )
                ]
            )
        return types.WorkspaceEdit(changes={doc.uri: text_edits})

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        found = self.current(params.text_document.uri)
        if found is None:
            return []
        doc, out = found
        lo = doc.offset(params.range.start.line, params.range.start.character)
        hi = doc.offset(params.range.end.line, params.range.end.character)
        only = [str(k) for k in params.context.only] if params.context.only else None
        actions: list[types.CodeAction] = []
        if _kind_wanted(types.CodeActionKind.QuickFix, only):
            for number, (a, b) in enumerate(out.spans):
                if b < lo or a > hi:
                    continue
                f: Finding = out.findings[number][1]
                for k, s in enumerate(f.suggestions):
                    edit = suggestion_edit(out, number, k)
                    if edit is None:
                        continue
                    safe = s.applicability is Applicability.SAFE
                    label = "Fix" if safe else "Review before sending"
                    actions.append(
                        types.CodeAction(
                            title=f"{label}: {s.description} ({f.rule})",
                            kind=types.CodeActionKind.QuickFix,
                            diagnostics=[self.diagnostic(doc, out, number)],
                            is_preferred=safe,
                            edit=self.workspace_edit(doc, out, [edit]),
                        )
                    )
        if _kind_wanted(FIX_ALL, only):
            edits = safe_fixes(out)
            if edits:
                actions.append(
                    types.CodeAction(
                        title=f"Fix all safe replylint findings ({len(edits)})",
                        kind=FIX_ALL,
                        edit=self.workspace_edit(doc, out, edits),
                    )
                )
        return actions

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        found = self.current(params.text_document.uri)
        if found is None:
            return None
        doc, out = found
        offset = doc.offset(params.position.line, params.position.character)
        numbers = out.at(offset)
        if not numbers:
            return None
        parts = [describe(out, n) for n in numbers]
        a = min(out.spans[n][0] for n in numbers)
        b = max(out.spans[n][1] for n in numbers)
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
            ),
            range=self._range(doc, out, a, b),
        )


def create_server() -> ReplylintServer:
    server = ReplylintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: ReplylintServer, params: types.InitializeParams) -> None:
        roots = [to_fs_path(f.uri) for f in params.workspace_folders or []]
        if not roots and params.root_uri:
            roots = [to_fs_path(params.root_uri)]
        found = [Path(r) for r in roots if r]
        options: Any = params.initialization_options
        cache = True
        if isinstance(options, dict):
            if isinstance(options.get("debounceMs"), int | float):
                ls.debounce = max(0.0, float(options["debounceMs"]) / 1000)
            cache = options.get("cache", True) is not False
        ls.roots = found or [Path.cwd()]
        ls.checker = Checker(found, cache=cache)

    @server.feature(types.INITIALIZED)
    def initialized(ls: ReplylintServer, params: types.InitializedParams) -> None:
        started = time.perf_counter()
        root = ls.roots[0]

        def warm() -> None:
            ls.checker.warm(root)
            log.info("replylint: pipeline ready in %.1f s", time.perf_counter() - started)

        ls.pool.submit(warm)
        caps = ls.client_capabilities.workspace
        watched = caps.did_change_watched_files if caps else None
        if watched and watched.dynamic_registration:
            ls.client_register_capability(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="replylint-config",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[
                                    types.FileSystemWatcher(glob_pattern=f"**/{name}")
                                    for name in CONFIG_FILES
                                ]
                            ),
                        )
                    ]
                )
            )

    def reload(ls: ReplylintServer) -> None:
        ls.pool.submit(ls.checker.reload)  # on the linting thread, between lints
        ls.relint_all()

    def open_doc(ls: ReplylintServer, params: types.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        encoding = str(ls.workspace.position_encoding or UTF16)
        ls.documents[item.uri] = Document(
            item.uri, _path(item.uri), item.text, item.version, encoding
        )
        ls.schedule(item.uri, 0)

    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(open_doc)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def change(ls: ReplylintServer, params: types.DidChangeTextDocumentParams) -> None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return
        for c in params.content_changes:
            if isinstance(c, types.TextDocumentContentChangePartial):
                start = (c.range.start.line, c.range.start.character)
                end = (c.range.end.line, c.range.end.character)
                doc.apply(start, end, c.text)
            else:
                doc.apply(None, None, c.text)
        doc.version = params.text_document.version
        ls.schedule(doc.uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def save(ls: ReplylintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if os.path.basename(_path(uri)) in CONFIG_FILES:
            reload(ls)
        elif uri in ls.documents:
            ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def close(ls: ReplylintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.documents.pop(uri, None)
        ls.linted.pop(uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: ReplylintServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(os.path.basename(_path(c.uri)) in CONFIG_FILES for c in params.changes):
            reload(ls)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=False
        ),
    )
    def code_action(ls: ReplylintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ReplylintServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    @server.feature(types.SHUTDOWN)
    async def shutdown(ls: ReplylintServer, params: None) -> None:
        for task in list(ls.pending.values()):
            task.cancel()
        await asyncio.get_running_loop().run_in_executor(ls.pool, ls.checker.close)
        ls.pool.shutdown(wait=False, cancel_futures=True)

    return server


def main() -> None:
    """Serve LSP on standard input and output until the client says ``exit``."""
    from ..api import own_process

    own_process()
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
    create_server().start_io()


__all__ = ["DEBOUNCE", "ReplylintServer", "create_server", "main"]
