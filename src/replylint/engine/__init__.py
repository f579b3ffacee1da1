"""The engine: the rule book compiled into matchers, run over drafts in batches.

A draft's way through it: :func:`~.batch.lint_batched` (batch.py) takes drafts from a reader,
asks the cache, and hands the misses to an :class:`Engine` (or to worker processes running one). The
engine masks each draft (placeholders.py), tokenizes it and splits it into sentences
(nlp.py), builds a :class:`DocContext` (context.py) over the rule book compiled for the
pipeline (compiled.py), parses up front the sentences a pattern on the parse can match
(parse.py), then evaluates each selected rule by its kind (kinds/); what a check or rewrite
asks to have parsed is parsed for the whole batch in one go and the draft evaluated again.
Then its empathy profile is read off the same hits (moves.py).
The findings, relative to the draft's text, are placed in the draft's file by :func:`place`
(place.py), the one place a finding gets its line and column.

Import from the modules themselves (``replylint.engine.batch`` …): this package imports
nothing, so a check or builder importing the engine's types (hits.py, context.py) never
loads the batch layer, which imports the checks and builders.
"""
