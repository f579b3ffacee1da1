"""The helpdesk export shapes of JSON and YAML collections, and how their replies become drafts.

A collection's :mod:`.tree` is recognised as one of:

- Zendesk macros: ``{"macros": [{"title", "actions": [{"field": "comment_value_html" |
  "comment_value", "value"}]}]}``, a single ``{"macro": {...}}``, or a list of macros;
- Gorgias macros: ``name`` and ``actions[].arguments.body_html | body_text``;
- Freshdesk canned responses (``title``, ``content_html``, else ``content``), Help Scout saved
  replies (``name``, ``text``), Front message templates (``name``, ``body``), Intercom macros
  (``name``, ``body`` else ``body_text``), and any list of objects with a text field, chosen
  with ``--text-field`` (titled by ``title``, ``name`` or ``id``), bare or wrapped in a
  list response (``data``, ``_results``, ``_embedded`` …);
- a ``{title: text}`` mapping (groups of them nest: ``{group: {title: text}}``).

HTML-valued text goes through the HTML reader, with its offsets composed back into the file
(:func:`to_drafts`, which the CSV reader uses too).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..offsets import LineIndex
from . import encode
from .base import Draft, ReadOptions, SourceError
from .html import looks_like_html, reply_of
from .mapping import Mapped
from .tree import Arr, Node, Obj, Other, Str, kind

TEXT_FIELDS = (
    "content_html", "body_html", "body", "text", "content", "body_text", "reply", "message",
    "response", "template", "chatText",
)  # fmt: skip
TITLE_FIELDS = ("title", "name", "raw_title", "subject", "id", "key")
CUSTOMER_FIELDS = ("customer", "customer_message", "customer message")
WRAPPERS = (
    "macros", "data", "_results", "results", "canned_responses", "saved_replies", "templates",
    "message_templates", "replies", "items", "responses", "records",
)  # fmt: skip
ZENDESK_FIELDS = ("comment_value_html", "comment_value")
GORGIAS_FIELDS = ("body_html", "body_text")
SHAPES = (
    'Zendesk macros ({"macros": [...]} or {"macro": {...}}), Gorgias macros, Freshdesk canned '
    "responses, Help Scout saved replies, Front message templates, Intercom macros, a "
    "{title: text} mapping, or a list of objects with a text field (choose it with --text-field)"
)


@dataclass
class Item:
    title: str | None
    text: Mapped
    customer: str | None = None
    encode: encode.Encoder | None = None


def _scalar_text(node: Node | None) -> str | None:
    if isinstance(node, Str):
        return node.value
    if isinstance(node, Other) and node.value is not None:
        return str(node.value)
    return None


def _text_of(node: Node | None) -> Str | None:
    """A string, or the last string of a list (Zendesk's ``["channel:all", "text"]``)."""
    if isinstance(node, Str):
        return node
    if isinstance(node, Arr):
        strings = [v for v in node.items if isinstance(v, Str)]
        return strings[-1] if strings else None
    return None


def _records(root: Node, options: ReadOptions) -> list[Node] | None:
    if isinstance(root, Arr):
        return root.items
    if not isinstance(root, Obj):
        return None
    macro = root.get("macro")
    if isinstance(macro, Obj):
        return [macro]
    if _is_record(root, options):
        return [root]
    for key in WRAPPERS:
        found = root.get(key)
        if isinstance(found, Arr):
            return found.items
    embedded = root.get("_embedded")
    if isinstance(embedded, Obj):
        for _, value in embedded.pairs:
            if isinstance(value, Arr):
                return value.items
    return None


def _is_record(obj: Obj, options: ReadOptions) -> bool:
    if options.text_field is not None:
        return obj.get(options.text_field) is not None
    if isinstance(obj.get("actions"), Arr):
        return True
    return any(isinstance(obj.get(f), Str) for f in TEXT_FIELDS)


def _record_texts(obj: Obj, options: ReadOptions) -> list[Str]:
    if options.text_field is not None:
        found = _text_of(obj.get(options.text_field))
        return [found] if found is not None else []
    actions = obj.get("actions")
    if isinstance(actions, Arr):
        by_field: dict[str, Str] = {}
        for action in actions.items:
            if not isinstance(action, Obj):
                continue
            name = _scalar_text(action.get("field"))
            if name in ZENDESK_FIELDS:
                value = _text_of(action.get("value"))
                if value is not None:
                    by_field.setdefault(name, value)
            arguments = action.get("arguments")
            if isinstance(arguments, Obj):
                for f in GORGIAS_FIELDS:
                    value = arguments.get_str(f)
                    if value is not None and value.value.strip():
                        by_field.setdefault(f, value)
                        break
        for f in (*ZENDESK_FIELDS, *GORGIAS_FIELDS):
            if f in by_field:
                return [by_field[f]]
        return []
    for f in TEXT_FIELDS:
        value = obj.get_str(f)
        if value is not None and value.value.strip():
            return [value]
    return []


def _string_map(node: Obj, prefix: str = "") -> list[tuple[str, Str]] | None:
    """``{title: text}`` (or ``{group: {title: text}}``) pairs, or None for another shape."""
    out: list[tuple[str, Str]] = []
    for key, value in node.pairs:
        title = f"{prefix}{key}"
        if isinstance(value, Str):
            out.append((title, value))
        elif isinstance(value, Obj):
            inner = _string_map(value, f"{title} / ")
            if inner is None:
                return None
            out.extend(inner)
        elif not (isinstance(value, Other) and value.value is None):
            return None
    return out


def items(root: Node, options: ReadOptions) -> list[Item]:
    """The replies of a JSON or YAML collection, or a SourceError naming the accepted shapes."""
    if not isinstance(root, Obj | Arr):
        raise SourceError(
            "expected a collection of replies (a list, or a mapping of title: text), "
            f"found {kind(root)}"
        )
    records = _records(root, options)
    if records is None:
        assert isinstance(root, Obj)
        pairs = _string_map(root)
        if pairs is None or not pairs:
            keys = ", ".join(k for k, _ in root.pairs[:8]) or "none"
            raise SourceError(f"unknown export shape (top-level keys: {keys}); expected {SHAPES}")
        return [Item(title, s.mapped(), encode=s.encode) for title, s in pairs]
    out: list[Item] = []
    fields: dict[str, None] = {}
    for n, record in enumerate(records, 1):
        if isinstance(record, Str):
            out.append(Item(f"item {n}", record.mapped(), encode=record.encode))
            continue
        if not isinstance(record, Obj):
            continue
        fields.update(dict.fromkeys(k for k, _ in record.pairs))
        title = next(
            (t for t in (_scalar_text(record.get(f)) for f in TITLE_FIELDS) if t), f"item {n}"
        )
        customer = None
        for f in (options.customer_field,) if options.customer_field else CUSTOMER_FIELDS:
            customer = _scalar_text(record.get(f)) or customer
        for text in _record_texts(record, options):
            out.append(Item(title, text.mapped(), customer, text.encode))
    if records and not out and "actions" not in fields:  # (macros that only set fields: fine)
        if not fields:
            raise SourceError(
                f"unknown export shape (a list of neither objects nor texts); expected {SHAPES}"
            )
        found = ", ".join(list(fields)[:12])
        if options.text_field is not None:
            raise SourceError(
                f"no object has the text field {options.text_field!r} (fields found: {found})"
            )
        raise SourceError(f"no reply text found (fields found: {found}); expected {SHAPES}")
    return out


def to_drafts(
    name: str, found: list[Item], index: LineIndex, *, yaml_comments: bool
) -> list[Draft]:
    drafts: list[Draft] = []
    for item in found:
        html = looks_like_html(item.text.text)
        text, encoder, quoted = reply_of(
            item.text, item.encode, html=html, directives=yaml_comments
        )
        if not text.text.strip():
            continue
        customer = item.customer or quoted
        drafts.append(
            Draft.from_mapped(
                text, index, path=name, title=item.title, customer=customer, encode=encoder
            )
        )
    return drafts
