"""A run: paths in, each file's findings out, in one path for every command.

- :mod:`.plan`: discovery, once per run, and each file's configuration (:func:`plan_run`).
- :mod:`.files`: reading and linting, streamed file by file (a big CSV/TSV in chunks).
- :mod:`.finish`: the one finish step (configure, suppress, sort) every path ends with:
  ``check``, ``fix``, ``check --diff``, the language server, the library and the HTTP server.
- :mod:`.session`: one Linter per configuration, and the run over a plan.

Then a writer (:mod:`replylint.output`) or the fixer (:mod:`replylint.fix`) takes the results.
This package imports neither spaCy nor the engine: its modules are imported one by one.
"""
