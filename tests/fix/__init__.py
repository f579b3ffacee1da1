"""``replylint fix`` and ``check --diff``: round trips, safety, big CSVs in chunks."""
