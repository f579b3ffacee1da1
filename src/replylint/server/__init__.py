"""replylint's HTTP API and playground page (``replylint serve``).

Needs the ``server`` extra (``pip install 'replylint[server]'``: FastAPI and uvicorn). Importing
this package imports FastAPI but not spaCy; the pipeline is loaded when the app starts.
"""

from __future__ import annotations

from .app import DEFAULT_MAX_BATCH, DEFAULT_MAX_BODY, create_app

__all__ = ["DEFAULT_MAX_BATCH", "DEFAULT_MAX_BODY", "create_app"]
