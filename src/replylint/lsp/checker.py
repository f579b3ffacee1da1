"""What the language server asks of replylint, without LSP types: lint a document's text as
the file it is, turn a suggestion into an edit of that text, describe a finding.

A document is linted exactly as ``replylint check PATH`` lints the file: the closest
configuration file above it (``.replylint.toml`` or ``pyproject.toml`` [tool.replylint]),
its ``exclude``, ``per-file-ignores``, ``severity`` and ``text-field``, the reader its name picks
(:data:`replylint.sources.FORMATS`; an unknown suffix is plain text), and its suppression
comments. The text is the editor's (unsaved) buffer, read through
:func:`replylint.run.finish.lint_text`, the finish step ``replylint fix`` uses too. Everything
here runs on the server's one linting thread.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..api import Linter
from ..config import Config, ConfigError, ConfigResolver
from ..explain import seed_quote
from ..fix import PlannedEdit, apply_checked, file_span, newline_of, plan_edits
from ..models import Applicability, Finding, Rule, Source, Suggestion
from ..nlp import ModelError
from ..offsets import LineIndex
from ..rulebook import RuleBookError
from ..run.finish import lint_text
from ..run.plan import config_key, make_linter
from ..sources import ReadOptions, SourceError, comment_styles, reader_for
from ..sources.base import Draft

CACHE_DIR = ".replylint_cache"  # cache.DEFAULT_DIR, in the workspace folder
_AT = re.compile(r"^line (\d+), column (\d+): ")


@dataclass(frozen=True)
class FileEdit:
    """Replace ``[start, end)`` of the document text (code point offsets) with ``text``."""

    start: int
    end: int
    text: str


@dataclass
class Outcome:
    """One lint of one version of a document."""

    path: str
    text: str
    drafts: list[Draft] = field(default_factory=list)
    findings: list[tuple[int, Finding]] = field(default_factory=list)  # (draft index, finding)
    spans: list[tuple[int, int]] = field(default_factory=list)  # each finding's text span
    rules: Mapping[str, Rule] = field(default_factory=dict)
    error: str | None = None  # why the document could not be linted (one line)
    error_at: tuple[int, int] = (1, 1)  # where (line, column; 1-based code points)
    excluded: bool = False
    options: ReadOptions = field(default_factory=ReadOptions)
    _lines: LineIndex | None = field(default=None, repr=False)
    _edits: dict[tuple[int, int], FileEdit | None] = field(default_factory=dict, repr=False)
    _fix_all: list[FileEdit] | None = field(default=None, repr=False)

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = self.drafts[0].lines if self.drafts else LineIndex(self.text)
        return self._lines

    def at(self, offset: int) -> list[int]:
        """The findings whose span holds ``offset`` (ends included: the cursor after a word)."""
        return [i for i, (a, b) in enumerate(self.spans) if a <= offset <= b]


class Checker:
    """The configurations and Linters of the documents of one editor session.

    ``roots`` are the workspace folders: a document inside one keeps its cache in
    ``<folder>/.replylint_cache``, the folder the command line uses when run from there (so an
    editor and ``replylint check`` or the pre-commit hook answer each other's drafts without
    linting them again). Documents outside every folder are linted without a cache.
    """

    def __init__(self, roots: list[Path], *, cache: bool = True) -> None:
        self.roots = sorted((r.resolve() for r in roots), key=lambda r: -len(r.parts))
        self.cache = cache
        self._resolver = ConfigResolver()
        self._linters: dict[tuple[str, str | None], Linter] = {}

    def reload(self) -> None:
        """Forget every configuration (a configuration file changed)."""
        self.close()
        self._resolver = ConfigResolver()

    def close(self) -> None:
        for linter in self._linters.values():
            linter.close()
        self._linters.clear()

    def _cache_dir(self, path: str) -> str | None:
        if not self.cache:
            return None
        resolved = Path(path).resolve()
        for root in self.roots:
            if resolved.is_relative_to(root):
                return str(root / CACHE_DIR)
        return None

    def linter(self, config: Config, path: str) -> Linter:
        where = self._cache_dir(path)
        key = (config_key(config), where)
        if key not in self._linters:
            self._linters[key] = make_linter(
                lambda c: Linter(c, cache_dir=where, lazy=True), config, None
            )
        return self._linters[key]

    def warm(self, folder: Path) -> None:
        """Load the pipeline and compile the rules for documents under ``folder`` (errors are
        reported when a document is linted)."""
        probe = str(folder / "draft.txt")
        try:
            self.linter(self._resolver.for_path(probe), probe).nlp  # noqa: B018 (loads it)
        except Exception:  # reported, with its file, when a document is linted
            return

    def lint(self, path: str, text: str) -> Outcome:
        """Lint ``text`` as the contents of the file ``path``."""
        out = Outcome(path, text)
        if "\x00" in text[:8192]:
            out.error = "binary file (contains NUL bytes), not a text draft"
            return out
        if not text.strip():
            return out  # `check` says "empty file"; an editor's new file is not an error
        try:
            config = self._resolver.for_path(path)
            if config.is_excluded(path):
                out.excluded = True
                return out
            linter = self.linter(config, path)
        except (ConfigError, RuleBookError, ModelError) as exc:
            out.error = str(exc)
            return out
        out.options = ReadOptions(text_field=config.text_field)
        try:
            out.drafts = reader_for(path)(path, text, out.options)
        except SourceError as exc:
            out.error = str(exc)
            m = _AT.match(out.error)
            if m:
                out.error_at = (int(m.group(1)), int(m.group(2)))
            return out
        try:
            out.findings = lint_text(linter, path, text, out.drafts)
        except (ModelError, ConfigError, RuleBookError) as exc:  # the pipeline, a file's model
            out.error = str(exc)
            return out
        out.rules = linter.rulebook.rules
        index = out.lines
        out.spans = [
            (index.offset(f.line, f.column), index.offset(f.end_line, f.end_column))
            for _, f in out.findings
        ]
        return out


def suggestion_edit(out: Outcome, number: int, k: int) -> FileEdit | None:
    """The edit of the document that applies suggestion ``k`` of finding ``number``: the
    replacement written for its place in the file (JSON escapes, YAML indentation, HTML
    entities …) and checked by reading the edited text back, as ``replylint fix`` does. None
    when it cannot be applied safely (or is a template with slots)."""
    if (number, k) in out._edits:
        return out._edits[(number, k)]
    index, finding = out.findings[number]
    s = finding.suggestions[k]
    edit: FileEdit | None = None
    if index >= 0 and applicable(s):
        draft = out.drafts[index]
        span = file_span(draft, s.start, s.end)
        encoded = draft.encode(s.replacement, newline_of(out.text)) if draft.encode else None
        if not isinstance(span, str) and encoded is not None:
            candidate = PlannedEdit(*span, encoded, index, s.start, s.end, s.replacement, finding)
            _, kept, _ = apply_checked(out.path, out.text, out.drafts, [candidate], _reader(out))
            if kept:
                edit = FileEdit(span[0], span[1], encoded)
    out._edits[(number, k)] = edit
    return edit


def safe_fixes(out: Outcome) -> list[FileEdit]:
    """Every finding's first safe fix, not overlapping, checked together (one pass of
    ``replylint fix``): the edits of "fix all"."""
    if out._fix_all is None:
        fixable = [(i, f) for i, f in out.findings if i >= 0]
        edits, _, _ = plan_edits(out.path, out.text, out.drafts, fixable, unsafe=False)
        _, kept, _ = apply_checked(out.path, out.text, out.drafts, edits, _reader(out))
        out._fix_all = [FileEdit(e.start, e.end, e.text) for e in kept]
    return out._fix_all


def _reader(out: Outcome) -> Callable[[str], list[Draft]]:
    """Reads an edited text back as the document was read."""
    read = reader_for(out.path)
    return lambda text: read(out.path, text, out.options)


def applicable(s: Suggestion) -> bool:
    """Whether a suggestion can be applied as an edit: never a display-only one or one with a
    ``<slot>`` the writer must fill."""
    return s.applicability is not Applicability.DISPLAY_ONLY and not s.has_slots


@lru_cache(maxsize=256)
def _seed_quote(file: str, heading: str, topic: str) -> str | None:
    return seed_quote(Source(file=file, heading=heading), topic)


def _quote(rule: Rule) -> list[str]:
    """The rule's sources, each with a short quote from its seed article (as ``explain``)."""
    out = []
    for source in rule.source:
        where = f'seeds/{source.file}, "{source.heading}"'
        quote = _seed_quote(source.file, source.heading, f"{rule.summary} {rule.why}")
        out.append(f"> “{quote}”\n>\n> — {where}" if quote else f"Source: {where}")
    return out


def describe(out: Outcome, number: int) -> str:
    """Finding ``number`` as Markdown, for a hover: the rule, why it matters (quoting its
    source), the suggestions (what each replaces, and with what), how to turn it off."""
    index, finding = out.findings[number]
    rule = out.rules.get(finding.rule)
    head = f"**replylint: `{finding.rule}`**"
    if rule is not None:
        head += f" — {rule.name} ({finding.severity.value})"
    parts = [head, finding.message]
    if rule is not None:
        parts.append(f"**Why?** {rule.why.strip()}")
        parts.extend(_quote(rule))
    if finding.suggestions:
        lines = ["**Suggestions**"]
        draft = out.drafts[index].text if index >= 0 else ""
        for s in finding.suggestions:
            old = draft[s.start : s.end]
            change = f"{_inline(old)} → {_inline(s.replacement)}" if old else _inline(s.replacement)
            if not applicable(s):
                lines.append(f"- Template to fill in (not applied): {s.description}: {change}")
            elif s.applicability is Applicability.SAFE:
                lines.append(f"- Fix: {s.description}: {change}")
            else:
                lines.append(f"- Review before sending: {s.description}: {change}")
        parts.append("\n".join(lines))
    if rule is not None:
        styles = comment_styles(out.path)
        comment = (
            f"# replylint: disable-next-line={finding.rule}"
            if "hash" in styles
            else f"<!-- replylint: disable-next-line={finding.rule} -->"
        )
        parts.append(
            f"Turn it off here with `{comment}`, or everywhere with "
            f'`ignore = ["{finding.rule}"]` in `.replylint.toml`.'
        )
    return "\n\n".join(parts)


def _inline(text: str) -> str:
    """Text in a Markdown code span, on one line."""
    flat = " ".join(text.split()) or "(removes the text)"
    flat = textwrap.shorten(flat, 200, placeholder=" …")
    ticks = "``" if "`" in flat else "`"
    return f"{ticks} {flat} {ticks}" if ticks == "``" else f"`{flat}`"
