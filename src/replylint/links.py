"""Where replylint's pages live: the repository, and each rule's reference page.

A leaf module (it imports only the version) shared by the docs generator and the SARIF writer.
"""

from __future__ import annotations

from .__about__ import __version__

# The repository (pyproject.toml's [project.urls] Repository; a test keeps them equal).
REPOSITORY = "https://github.com/replylint/replylint"
RAW = "https://raw.githubusercontent.com/replylint/replylint"
RULE_DOCS = "docs/rules"


def rule_docs_url(rule_id: str) -> str:
    """A rule's reference page, in the repository at this version's tag (SARIF ``helpUri``)."""
    return f"{REPOSITORY}/blob/v{__version__}/{RULE_DOCS}/{rule_id}.md"
