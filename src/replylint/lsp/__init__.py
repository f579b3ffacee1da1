"""``replylint lsp``: a language server for editors (VS Code, Neovim, Helix, Zed …).

Needs the ``lsp`` extra (``pip install 'replylint[lsp]'``: pygls). Importing this package
imports pygls but not spaCy; the pipeline loads in the background once the client is
connected. See :mod:`replylint.lsp.server`.
"""

from __future__ import annotations

from .server import DEBOUNCE, ReplylintServer, create_server, main

__all__ = ["DEBOUNCE", "ReplylintServer", "create_server", "main"]
