"""The rule book and its rules: loading, every example, the labelled corpus, real replies,
explain, docs."""
