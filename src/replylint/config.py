"""Configuration: which rules run, how strict, which pipeline (a pydantic model)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .models import Severity


class Config(BaseModel):
    """Settings for a :class:`~replylint.Linter`; picklable, so workers can rebuild a linter."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    select: tuple[str, ...] = Field(
        default=("ALL",), description="rule ids to run (ALL = every rule)"
    )
    ignore: tuple[str, ...] = Field(default=(), description="rule ids not to run")
    model: str | None = Field(default=None, description="spaCy pipeline name or path")
    fail_on: Severity = Field(default=Severity.WARNING, description="exit 1 at or above this")
