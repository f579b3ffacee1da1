"""``replylint serve`` (the HTTP API and playground) and ``replylint lsp`` (the language server)."""

from __future__ import annotations

import click

from .app import main
from .common import fail, ids


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port."
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Let browser apps on ORIGIN call the API (repeatable; default: none).",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=1_048_576,
    show_default=True,
    metavar="BYTES",
    help="Largest request body accepted (larger ones get 413).",
)
@click.option(
    "--max-draft-chars",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    metavar="N",
    help="Longest draft (or customer's message) linted; longer ones get 413.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Time budget of a request; a worker still linting it then is killed and replaced.",
)
@click.option(
    "--read-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Time a client has to send a request's headers, and again its body.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Worker processes for drafts up to 2,000 characters.",
)
@click.option(
    "--heavy-workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes (at a lower CPU priority) for longer drafts.",
)
@click.option(
    "--model", default=None, metavar="NAME", help="spaCy pipeline to use (package name or path)."
)
def serve(
    host: str,
    port: int,
    cors_origins: tuple[str, ...],
    max_body: int,
    max_draft_chars: int,
    timeout: float,
    read_timeout: float,
    workers: int,
    heavy_workers: int,
    model: str | None,
) -> None:
    """Serve the HTTP API (/v1, docs at /docs) and the playground page (/).

    Needs the server extra: pip install 'replylint[server]'.
    """
    import importlib.util
    import logging

    missing = [m for m in ("fastapi", "uvicorn") if importlib.util.find_spec(m) is None]
    if missing:
        fail(f"`replylint serve` needs {' and '.join(missing)}: pip install 'replylint[server]'")
    from functools import partial

    from ..api import Linter, own_process

    own_process()  # the command line owns this process: see own_process
    from ..server import create_app
    from ..server.http import run

    server_log = logging.getLogger("replylint.server")  # uvicorn sets up only its own loggers
    if not server_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(message)s"))
        server_log.addHandler(handler)
        server_log.setLevel(logging.INFO)
        server_log.propagate = False
    factory = partial(Linter, model=model) if model else Linter
    app = create_app(
        factory,
        cors_origins=ids(cors_origins),
        max_body_bytes=max_body,
        max_draft_chars=max_draft_chars,
        timeout=timeout,
        read_timeout=read_timeout,
        workers=workers,
        heavy_workers=heavy_workers,
    )
    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"replylint: playground at http://{shown}:{port}/, API docs at /docs "
        "(the pipeline loads in the background: GET /v1/ready)",
        err=True,
    )
    run(app, host, port, read_timeout=read_timeout)


@main.command()
def lsp() -> None:
    """Run the language server on standard input and output (for editors).

    Needs the lsp extra: pip install 'replylint[lsp]'.
    """
    import importlib.util

    if importlib.util.find_spec("pygls") is None:
        fail("`replylint lsp` needs pygls: pip install 'replylint[lsp]'")
    from ..lsp import main as serve_lsp

    serve_lsp()
