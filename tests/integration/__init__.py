"""Everything outside the package that uses it: pre-commit, the GitHub Action,
``replylint init``, the README, the shipped examples, the browser playground."""
