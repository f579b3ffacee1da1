"""The library API: ``Linter``, ``check``, ``check_many`` and the public surface."""
