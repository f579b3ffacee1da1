"""A clause of the customer's an apology or a paraphrase can take ("I'm sorry <clause>."):
cut from their sentence, checked to be clean standard English about what went wrong for them
(see :func:`clean_clause`). The gate's word lists are the lexicon's (rules/_lexicon.yaml)."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from ..lexicon import load_lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token


def symbol(token: Token) -> bool:
    """An emoji or other symbol (no letters or digits)."""
    return not any(c.isalnum() for c in token.text) and not token.is_space


def introduces(tokens: list[Token]) -> bool:
    """Whether the clause introduces the customer ("My name is Dana Reyes", "I'm Mark"): a
    name, no trouble."""
    subject = next((t for t in tokens if t.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None:
        return False
    if subject.lemma_.lower() == "name":
        return True
    head = subject.head
    return (
        subject.lower_ == "i"
        and head.lemma_ == "be"
        and any(c.dep_ == "attr" and c.pos_ == "PROPN" for c in head.children)
    )


def verbless_conjunct(tokens: list[Token]) -> bool:
    """Whether a verb's coordinated conjunct is a noun phrase with no verb of its own ("the
    package shipped 11 days ago and still no idea where it is"): a note, not a clause."""
    return any(
        t.dep_ == "conj" and t.pos_ in {"NOUN", "PROPN", "PRON"} and t.head.pos_ in {"VERB", "AUX"}
        for t in tokens
    )


# what a customer cries after their trouble ("I'm lost, help!")
_PLEAS = {"help", "please", "pls", "plz", "thanks", "thank", "asap", "urgent", "urgently"}
_UNCLEAN = re.compile(r"^(?:@\w+|#\w+|https?://\S*|www\.\S*|\S+\.(?:com|net|org|io)\S*)$", re.I)
_WANTS = {"want", "need", "like", "expect", "demand", "require", "wish", "hope"}
_NOT_A_SUBJECT = {
    "please",
    "pls",
    "plz",
    "why",
    "what",
    "how",
    "where",
    "when",
    "who",
    "can",
    "could",
    "would",
    "will",
    "do",
    "does",
    "did",
    "is",
    "are",
}


def clean_clause(tokens: list[Token]) -> list[Token] | None:
    """``tokens`` (a main clause) as a clause an apology can take ("I'm sorry <clause>."): a
    subject and a finite verb, no question, request, @handle, link, hashtag, emoji,
    profanity or shouting, cut before a second clause spliced on with a comma; else None."""
    gate_words = load_lexicon().gate  # the gate's word lists

    if not tokens:
        return None
    # a sentence the splitter left joined to the next ("… at the door. all smashed"): the first
    for k, t in enumerate(tokens[:-1]):
        if t.text in {".", "!", "?"}:
            tokens = tokens[:k]
            break
    if not tokens:
        return None
    # a comma splice ("I can't log in, it says my password is wrong"): the first clause
    for k, t in enumerate(tokens):
        # (a hyphen inside a word, "dial-in", splices nothing: only a dash with a space before)
        dash = t.text == "-" and bool(tokens[k - 1].whitespace_)
        if (t.text in {",", ";", "—"} or dash) and k >= 3:
            rest = tokens[k + 1 :]
            if any(r.dep_ in {"nsubj", "nsubjpass", "expl"} for r in rest) or (
                rest and rest[0].lower_ in {"and", "but", "so"}
            ):
                tokens = tokens[:k]
                break
    # "I'm lost, help!": a cry for help or a plea after the comma is no part of the trouble
    for k, t in enumerate(tokens):
        if t.text == "," and k >= 2 and k + 1 < len(tokens) and tokens[k + 1].lower_ in _PLEAS:
            tokens = tokens[:k]
            break
    # "I lost my card and before I could block it, …" (the comma cut above) or a run-on "…
    # and someone's been using it and …": the first clause alone; a clause left hanging on
    # "and before", or a third one joined on, is no part of one clean clause (blind review 18k)
    joins = [k for k, t in enumerate(tokens) if k >= 3 and t.lower_ in {"and", "but", "so"}]
    for k in joins:
        rest = tokens[k + 1 :]
        hanging = bool(rest) and rest[0].pos_ == "SCONJ"
        if hanging or (len(joins) > 1 and any(r.dep_ in _SUBJECTS for r in rest)):
            tokens = tokens[:k]
            break
    # "stuck on 5.00 but I can still play online": a "but" that opens a clause of its own takes
    # the problem back, and is no part of it
    for k, t in enumerate(tokens):
        if k >= 3 and t.lower_ in {"but", "although", "though"}:
            rest = tokens[k + 1 :]
            if any(r.dep_ in {"nsubj", "nsubjpass", "expl"} for r in rest):
                tokens = tokens[:k]
                break
    # "… and I want one payment back": a request joined on is not part of what went wrong
    for k, t in enumerate(tokens):
        if k >= 3 and t.lower_ in {"and", "but", "so"}:
            lemmas = [r.lemma_.lower() for r in tokens[k + 1 : k + 5]]
            if any(w in _WANTS for w in lemmas):
                tokens = tokens[:k]
                break
    # "it's been months and people do share devices": an argument joined on is no part of
    # what went wrong; an argument, a rebuttal or a demand of its own is none at all ("I
    # shouldn't have to pay …", "it was not a full flight": flipped, a concession or nonsense)
    for k, t in enumerate(tokens):
        if k >= 3 and t.lower_ in {"and", "but", "so"}:
            rest = tokens[k + 1 :]
            if any(r.dep_ in {"nsubj", "nsubjpass", "expl"} for r in rest) and _argues(rest):
                tokens = tokens[:k]
                break
    if _argues(tokens):
        return None
    words = [t for t in tokens if not t.is_punct]
    if not 3 <= len(words) <= 25:
        return None
    first = tokens[0]
    if first.lower_ in _NOT_A_SUBJECT or first.lower_ in gate_words.interjections:
        return None
    for t in tokens:
        low = t.lower_
        if _UNCLEAN.match(t.text) or (symbol(t) and not t.is_punct):
            return None
        if low in gate_words.profanity or low in {"please", "pls", "plz", "?"}:
            return None
        if len(t.text) >= 4 and t.text.isupper() and t.is_alpha:
            return None  # shouting
        if low in gate_words.interjections - {"no", "so", "well", "ok", "okay", "yes", "please"}:
            return None
    if not _standard(tokens) or _loose(tokens):
        return None
    # a subject before the first verb, and a finite verb
    subject = next((t for t in tokens if t.dep_ in {"nsubj", "nsubjpass", "expl"}), None)
    # (not a participle describing a noun: "my printed photo book is missing …")
    verb = next(
        (t for t in tokens if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"amod", "compound"}),
        None,
    )
    if subject is None or verb is None or subject.i > verb.i:
        return None
    lo, hi = tokens[0].i, tokens[-1].i
    if any(t.dep_ in _SUBJECTS and not lo <= t.head.i <= hi for t in tokens):
        return None  # a subject whose verb was cut away ("The only option I have it to …")
    if tokens[0].i > subject.left_edge.i:
        return None  # the clause starts inside its subject
    if any(t.tag_ == "VB" and t.dep_ == "ROOT" for t in tokens) and subject.i > tokens[0].i + 3:
        return None  # an imperative
    if not _undergoes(tokens, subject):
        return None
    return tokens


# a run of punctuation ("..........", "!!", "?!") or an ellipsis in the customer's sentence
_RUN = re.compile(r"[.!?,]\s*[.!?,]|…")
# digits in a word that reads as one: "3rd", "10am", "4G", "50GB", "2x"
_NUMBER_WORD = re.compile(
    r"\d+(?:st|nd|rd|th|am|pm|s|k|g|gb|mb|tb|p|x|hrs?|mins?|kg|km|mph|ml)?", re.IGNORECASE
)
_VOWEL = re.compile(r"[aeiouy]", re.IGNORECASE)
_SUBJECTS = {"nsubj", "nsubjpass", "expl"}
_CLAUSE_DEPS = {"conj", "xcomp", "relcl", "advcl", "acl", "pcomp", "csubj", "amod"}


def _standard(tokens: list[Token]) -> bool:
    """Whether ``tokens`` (a customer's clause) are clean, standard English that the writer can
    say back as they are (blind review 18d): no run of punctuation in its sentence, no
    text-speak ("u", "2nite", "cant", "rufkm"), no username ("MikeyB2231", "kel_77"), no
    word without a vowel ("smh"), no judgement or generalisation ("made the mistake", "always
    broken"), no question inside it ("… can u get it back"), no verb missing its auxiliary
    ("the app still not working", "my account gotten hacked") and no run-on (a finite verb
    with no subject, "… to my street won't give the address …", or more than three subjects)."""
    words = load_lexicon().perspective
    if _RUN.search(tokens[0].sent.text):
        return False
    subjects = 0
    for t in tokens:
        text, low = t.text, t.lower_.replace("’", "'")
        if low in words.slang or low in words.judgements or "_" in text:
            return False
        mixed = any(c.isdigit() for c in text) and any(c.isalpha() for c in text)
        if mixed and not _NUMBER_WORD.fullmatch(text):
            return False
        if t.is_alpha and text.islower() and len(text) >= 2 and not _VOWEL.search(text):
            return False
        if t.dep_ in {"nsubj", "nsubjpass", "expl"}:
            subjects += 1
            head = t.head
            if any(c.dep_ in {"aux", "auxpass"} and c.i < t.i for c in head.children):
                return False  # "can u get it back": a question
        if t.pos_ in {"VERB", "AUX"} and t.dep_ not in {"aux", "auxpass"}:
            children = list(t.children)
            has_subject = any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in children)
            has_aux = any(c.dep_ in {"aux", "auxpass"} for c in children)
            main = t.dep_ in {"ROOT", "conj", "ccomp"}  # ("with the screen cracked": fine)
            if t.tag_ in {"VBG", "VBN"} and main and has_subject and not has_aux:
                return False  # "the app still not working"
            finite = t.tag_ in {"VBD", "VBZ", "VBP"} or any(c.tag_ == "MD" for c in children)
            if finite and not has_subject and t.dep_ not in _CLAUSE_DEPS:
                return False  # a run-on: a clause spliced on without its subject
    return subjects <= 3


def _loose(tokens: list[Token]) -> bool:
    """Whether the clause is the customer's loose talk rather than a fact the writer can be
    sorry for (blind review 18m): a hedge ("might be older already", "for you believe over a
    week"), an aside ("for example, …"), a pointer with nothing to point at in the reply
    ("that is not working"), a report of what something says ("our system states that …"), or
    a verb left without its object at the end ("crashing the moment you open")."""
    words = {t.lower_ for t in tokens}
    if not words.isdisjoint(_HEDGES):
        return True
    subject = next((t for t in tokens if t.dep_ in _SUBJECTS), None)
    if subject is not None and subject.lower_ in {"that", "this", "these", "those"}:
        return True
    for a, b in itertools.pairwise(tokens):
        if a.lemma_.lower() in _REPORTING and b.lower_ == "that":
            return True
    if tokens[0].pos_ == "ADP":
        return True  # "for unknown reason EVNotify does not connect" (blind review 18n)
    last = next((t for t in reversed(tokens) if not t.is_punct), None)
    if last is not None and last.pos_ == "AUX":
        return True  # "the error message is": cut before its complement (blind review 18n)
    return (
        last is not None
        and last.pos_ == "VERB"
        and last.lemma_.lower() in _TAKES_OBJECT
        and not any(c.dep_ in {"dobj", "prt", "prep", "xcomp", "ccomp"} for c in last.children)
    )


_HEDGES = frozenset(
    {"might", "maybe", "perhaps", "probably", "possibly", "believe", "think", "guess", "suppose"}
    | {"apparently", "seems", "seem", "seemed", "appears", "example", "e.g.", "eg", "i.e.", "ie"}
    | {"etc", "etc."}
)
_REPORTING = frozenset({"state", "say", "tell", "show", "claim", "read", "write"})
_TAKES_OBJECT = frozenset(
    {"open", "use", "install", "click", "press", "load", "get", "put", "take", "make", "start"}
    | {"run", "launch", "enter", "type", "select", "choose", "tap", "add", "set"}
)


_OUGHT = {"should", "ought", "must", "shall"}
_POINTING = {"it", "this", "that", "there", "which"}


def _argues(tokens: list[Token]) -> bool:
    """Whether the clause argues rather than reports a fault: a modal of duty ("shouldn't have
    to pay", "you must change"), an emphatic "do" ("people do share devices"), or a negated
    "to be" of a pointing subject ("it was not a full flight", "that isn't fair")."""
    for t in tokens:
        if t.tag_ == "MD" and t.lower_.replace("’", "'") in _OUGHT:
            return True
        if (
            t.lemma_.lower() == "do"
            and t.dep_ == "aux"
            and not any(c.dep_ == "neg" for c in t.head.children)
        ):
            return True
        if (
            t.lemma_ == "be"
            and t.dep_ not in {"aux", "auxpass"}
            and any(c.dep_ == "neg" for c in t.children)
            and any(c.dep_ == "nsubj" and c.lower_ in _POINTING for c in t.children)
        ):
            return True
    return False


# what a customer who is the subject suffers rather than does ("I lost …", "I've been waiting …")
_SUFFERS = {"lose", "miss", "wait", "struggle", "suffer"}
_STATES = {"stuck", "locked", "unable", "stranded", "trapped", "lost", "out", "sick", "ill", "left"}
_NEGATIONS = {"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor"}


def _undergoes(tokens: list[Token], subject: Token) -> bool:
    """Whether the clause says what went wrong for the customer, so that an apology can take
    it: not an accusation of the company ("you closed my account": flipped, an admission
    of what nobody has checked), and where the customer is the subject, something that
    happened to them (a passive, a negation, a state such as "I'm stuck", a loss), not what
    they did or have ("I was reporting the outage", "I only have the cable you sent")."""
    low = subject.lower_
    if low == "you":
        return False
    if low not in {"i", "we"}:
        return True
    head = subject.head
    if head.lemma_.lower() in _SUFFERS:
        return True
    if head.lemma_.lower() == "have" and any(c.dep_ == "xcomp" for c in head.children):
        return True  # "I had to cancel": what they were made to do
    if head.tag_ == "VBG":
        return False  # what they were doing, said or not ("I wasn't asking to test it")
    # the customer's own verb negated ("I can't log in", "I got no email"), not a clause inside
    # it ("I only have the cable I was provided")
    own = [t for t in tokens if t.head is head or (t.dep_ == "det" and t.head.head is head)]
    if any(t.lower_ in _NEGATIONS or t.dep_ == "neg" for t in own):
        return True
    if subject.dep_ == "nsubjpass" or any(t.dep_ == "auxpass" and t.head is head for t in own):
        return True
    # "I'm stuck", "I am locked out": a state of trouble predicated of the customer (not "I
    # would be happy to pay …")
    return head.lemma_ == "be" and any(
        c.dep_ in {"acomp", "attr"} and c.lower_ in _STATES for c in head.children
    )
