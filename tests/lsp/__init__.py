"""The language server (``replylint lsp``)."""
