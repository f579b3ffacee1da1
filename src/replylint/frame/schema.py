"""The fixed, versioned schemas of the replies and findings tables (the README's "Helpdesk
archives" section, "schema_version" ``"1"``)."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from ..models import Category

SCHEMA_VERSION = "1"
DEFAULT_MAX_CHARS = 100_000  # a longer text is a bad row (a pasted log, not a reply)
CATEGORIES = tuple(c.value for c in Category)
_METADATA = {b"replylint.schema_version": SCHEMA_VERSION.encode()}

FINDING_FIELDS = [
    pa.field("rule", pa.string()),
    pa.field("severity", pa.string()),
    pa.field("category", pa.string()),
    pa.field("line", pa.int32()),
    pa.field("column", pa.int32()),
    pa.field("end_line", pa.int32()),
    pa.field("end_column", pa.int32()),
    pa.field("excerpt", pa.string()),
    pa.field("message", pa.string()),
    pa.field("suggestion", pa.string()),  # the first suggestion's replacement, or null
    pa.field("applicability", pa.string()),  # safe | unsafe | display-only, or null
]
FINDING_TYPE = pa.struct(FINDING_FIELDS)

REPLY_FIELDS = [
    pa.field("replylint_version", pa.string()),
    pa.field("config_hash", pa.string()),
    pa.field("schema_version", pa.string()),
    pa.field("channel", pa.string()),
    pa.field("language", pa.string()),
    pa.field("error", pa.string()),
    pa.field("n_info", pa.int32()),
    pa.field("n_warning", pa.int32()),
    pa.field("n_error", pa.int32()),
    pa.field("worst_severity", pa.string()),
    *(pa.field(f"n_{c}", pa.int32()) for c in CATEGORIES),
    pa.field("acknowledges_feelings", pa.bool_()),
    pa.field("apologizes", pa.bool_()),
    pa.field("paraphrases_issue", pa.bool_()),
    pa.field("explains", pa.bool_()),
    pa.field("offers_next_step", pa.bool_()),
    pa.field("gives_timeline", pa.bool_()),
    pa.field("checks_back", pa.bool_()),
    pa.field("takes_ownership", pa.bool_()),
    pa.field("greets", pa.bool_()),
    pa.field("signs_off", pa.bool_()),
    pa.field("apology_kind", pa.string()),
    pa.field("findings", pa.list_(FINDING_TYPE)),
]
REPLY_COLUMNS = tuple(f.name for f in REPLY_FIELDS)
FINDING_COLUMNS = tuple(f.name for f in FINDING_FIELDS)


def _key_fields(keys: pa.Schema | Sequence[pa.Field]) -> list[pa.Field]:
    fields = list(keys)
    for f in fields:
        if f.name in REPLY_COLUMNS or f.name in FINDING_COLUMNS:
            raise ValueError(
                f"key column {f.name!r} has the name of an output column; rename it first"
            )
    return fields


def REPLIES_SCHEMA(keys: pa.Schema | Sequence[pa.Field] = ()) -> pa.Schema:
    """The replies table's schema: the key columns (``keys``, their own types), then the
    fixed columns (the README's "Helpdesk archives")."""
    return pa.schema([*_key_fields(keys), *REPLY_FIELDS], metadata=_METADATA)


def FINDINGS_SCHEMA(keys: pa.Schema | Sequence[pa.Field] = ()) -> pa.Schema:
    """The findings table's schema: the reply's key columns, then one finding's columns."""
    return pa.schema([*_key_fields(keys), *FINDING_FIELDS], metadata=_METADATA)
