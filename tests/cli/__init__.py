"""The command line: ``replylint check`` and what must stay spaCy-free."""
