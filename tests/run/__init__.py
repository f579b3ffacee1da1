"""A run from paths to reports: configuration, streaming, worker processes."""
