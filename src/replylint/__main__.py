"""``python -m replylint``: the command line (as ``python -m replylint.cli``)."""

from .cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
