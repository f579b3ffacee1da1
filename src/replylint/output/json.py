"""The versioned JSON output: ``Report.model_dump()`` (schema version in ``version``)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..models import Report, Rule


def format_json(
    report: Report,
    *,
    color: bool = False,
    sources: dict[str, str] | None = None,
    rules: Mapping[str, Rule] | None = None,
) -> str:
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
