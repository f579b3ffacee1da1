"""The tagger and parser, one sentence at a time, on demand, at most once.

- :class:`ParseMemo` (one per compiled rule book, so per process): parses sentence Docs,
  answering a sentence met before from a bounded memo, or from the :class:`SharedParses` of a
  run's worker processes, and sending the new ones through :func:`analysis.analyse`.
- :class:`SentenceParses` (one per draft): the draft's sentences parsed so far. Asked for one
  that is not, it parses it at once, or, while the engine collects a batch's requests
  (:func:`collecting`), records it and raises :class:`NeedParse`: the engine parses every
  requested sentence of the batch in one go and asks again.

A sentence's analysis depends on its words alone, so it is the same whichever asks first and
whether or not the other sentences are parsed.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .. import analysis
from .hits import NeedParse

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from ..analysis import SharedParses

PARSE_BATCH = 256  # sentences per nlp.pipe batch
PARSE_MEMO = 4096  # parsed sentences remembered per process

Request = tuple["SentenceParses", int]  # a draft's parses, a sentence index


class ParseMemo:
    """Parses sentence Docs (from :meth:`SentenceParses.sentence_doc`) with the pipeline's
    statistical components, remembering what it parsed."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.memo: OrderedDict[Any, Doc] = OrderedDict()
        self.shared: SharedParses | None = None  # set in a run's worker processes

    def parse(self, docs: list[Doc], *, memo: bool = True) -> list[Doc]:
        """The sentences tagged and parsed, in order.

        A sentence met before (replies share macro text, greetings, sign-offs) is answered
        from the bounded memo: a copy of its earlier analysis, placed where this one is. In a
        run's worker processes, one that another worker parsed is read from their
        :class:`SharedParses`. ``memo=False``: every one through spaCy's own ``nlp.pipe``, the
        reference the tests compare with."""
        if not memo:
            return [_lean(d) for d in self.nlp.pipe(docs, batch_size=PARSE_BATCH)]
        out: list[Doc | None] = [None] * len(docs)
        todo: dict[Any, list[int]] = {}
        remembered = self.memo
        for i, doc in enumerate(docs):
            key = doc.user_data["words"]
            known = remembered.get(key)
            if known is not None:
                remembered.move_to_end(key)
                out[i] = _placed(known, doc)
            else:
                todo.setdefault(key, []).append(i)
        shared = self.shared
        found: dict[Any, Doc] = {}
        if shared is not None:
            for key, where in todo.items():
                read = shared.get(key, self.nlp.vocab)
                if read is not None:
                    read.user_data.update(docs[where[0]].user_data)
                    found[key] = read
        new = [key for key in todo if key not in found]
        firsts = [docs[todo[key][0]] for key in new]
        analysed = analysis.analyse(self.nlp, firsts, PARSE_BATCH) if firsts else iter(())
        for key, parsed in zip(new, analysed, strict=True):
            found[key] = _lean(parsed)
            if shared is not None:
                shared.put(key, found[key])
        for key, where in todo.items():
            remembered[key] = parsed = found[key]
            out[where[0]] = parsed
            for i in where[1:]:
                out[i] = _placed(parsed, docs[i])
        while len(remembered) > PARSE_MEMO:
            remembered.popitem(last=False)
        return [d for d in out if d is not None]

    def remembered(self, key: Any, base: int) -> Doc | None:
        """The analysis of a sentence met before (its :meth:`SentenceParses.key`), placed at
        ``base``, as :meth:`parse` answers it, without making the sentence's Doc; else None."""
        known = self.memo.get(key)
        if known is None:
            return None
        self.memo.move_to_end(key)
        return _placed_at(known, base)


def _lean(parsed: Doc) -> Doc:
    """``parsed`` without the tok2vec output (96 floats a token, over half a remembered
    sentence's bytes): the tagger and parser have used it, and no rule reads it."""
    import numpy  # imported with spaCy already; not at module level: spaCy loads lazily

    parsed.tensor = numpy.zeros((0,), dtype="float32")  # what an untagged Doc holds
    return parsed


def _placed(parsed: Doc, doc: Doc) -> Doc:
    """A copy of ``parsed`` (the analysis of ``doc``'s words) placed where ``doc`` is."""
    return _placed_at(parsed, doc.user_data["base"])


def _placed_at(parsed: Doc, base: int) -> Doc:
    """A copy of ``parsed`` placed at offset ``base`` of a draft.

    Its ``user_data`` (the sentence's words, as tuples, and its place) is copied shallowly:
    ``Doc.copy`` deep-copies it, word by word, which cost more than the rest of the copy."""
    data = parsed.user_data
    parsed.user_data = {}
    try:
        copy = parsed.copy()
    finally:
        parsed.user_data = data
    copy.user_data = {**data, "base": base}
    return copy


class SentenceParses:
    """One draft's sentences, tagged and parsed when asked for (see the module's docstring)."""

    def __init__(self, memo: ParseMemo, doc: Doc, sents: list[Span]) -> None:
        self.memo = memo
        self.doc = doc
        self.sents = sents
        self.done: dict[int, Doc] = {}
        self.requests: list[Request] | None = None  # set while the engine collects them
        self._columns: tuple[list[str], list[bool]] | None = None  # each token's text, space

    def __contains__(self, index: int) -> bool:
        return index in self.done

    def sentence_doc(self, index: int) -> Doc:
        """Sentence ``index`` as a Doc of its own, ready for the tagger and parser."""
        from spacy.tokens import Doc  # spaCy loads lazily (replylint --version never does)

        sent = self.sents[index]
        starts: list[bool | int | None] = [True]
        starts += [False] * (len(sent) - 1)
        key = self.key(index)  # what its analysis depends on
        words, spaces = key
        doc = Doc(self.doc.vocab, words=list(words), spaces=list(spaces), sent_starts=starts)
        doc.user_data["base"] = sent.start_char
        doc.user_data["words"] = key
        return doc

    def key(self, index: int) -> tuple[tuple[str, ...], tuple[bool, ...]]:
        """Sentence ``index``'s words and whether a space follows each: what its analysis
        depends on (the key of :class:`ParseMemo`)."""
        if self._columns is None:
            from spacy.attrs import ORTH, SPACY  # spaCy loads lazily

            strings = self.doc.vocab.strings
            orths, spaces = (
                self.doc.to_array([ORTH, SPACY]).T.tolist() if len(self.doc) else ([], [])
            )
            self._columns = ([strings[o] for o in orths], [bool(s) for s in spaces])
        texts, spaces = self._columns
        sent = self.sents[index]
        return tuple(texts[sent.start : sent.end]), tuple(spaces[sent.start : sent.end])

    def base(self, index: int) -> int:
        """Where sentence ``index`` starts in the draft's text."""
        return int(self.sents[index].start_char)

    def set(self, index: int, doc: Doc) -> None:
        self.done[index] = doc

    def get(self, index: int) -> Doc:
        """Sentence ``index``, tagged and parsed (parsing it now if nobody has yet, or, while
        the engine collects requests, recording it and raising :class:`NeedParse`)."""
        if index not in self.done:
            if self.requests is not None:
                self.requests.append((self, index))
                raise NeedParse
            (self.done[index],) = self.memo.parse([self.sentence_doc(index)])
        return self.done[index]

    def need(self, indices: Iterable[int]) -> None:
        """Have sentences ``indices`` parsed: while the engine collects requests, record every
        one not parsed yet and raise :class:`NeedParse` once (asking for them one at a time
        took a round of the batch each: quadratic in a long draft)."""
        missing = list(dict.fromkeys(i for i in indices if i not in self.done))
        if not missing:
            return
        if self.requests is not None:
            self.requests.extend((self, i) for i in missing)
            raise NeedParse
        docs = self.memo.parse([self.sentence_doc(i) for i in missing])
        self.done.update(zip(missing, docs, strict=True))


@contextlib.contextmanager
def collecting(parses: Iterable[SentenceParses], requests: list[Request]) -> Iterator[None]:
    """While in the block, sentences asked of ``parses`` and not parsed yet are added to
    ``requests`` (and :class:`NeedParse` raised) instead of being parsed one by one."""
    held = list(parses)
    for p in held:
        p.requests = requests
    try:
        yield
    finally:
        for p in held:
            p.requests = None
