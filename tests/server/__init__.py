"""The HTTP server (``replylint serve``)."""
