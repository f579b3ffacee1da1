"""The pages of the HTTP app: the playground at ``/`` and the API docs at ``/docs`` (Swagger UI's
files from the ``fastapi-offline`` package, served from this machine: no CDN)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from .errors import ApiError

STATIC_DIR = Path(__file__).resolve().parent / "static"


def _docs_assets() -> Path | None:
    """Swagger UI's files, from the ``fastapi-offline`` package (the server extra)."""
    spec = importlib.util.find_spec("fastapi_offline")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


def add_pages(app: FastAPI) -> None:
    """The playground, the docs and their static files."""
    index_html = (STATIC_DIR / "index.html").read_bytes()
    docs_html = (STATIC_DIR / "docs.html").read_bytes()

    @app.get("/", include_in_schema=False)
    def playground() -> Response:
        return Response(
            index_html,
            media_type="text/html; charset=utf-8",
            headers={"Cache-Control": "no-cache"},
        )

    assets = _docs_assets()

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        if assets is None:
            raise ApiError(
                404, "the API docs need Swagger UI's files: pip install 'replylint[server]'"
            )
        return Response(
            docs_html, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"}
        )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    if assets is not None:
        app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")
