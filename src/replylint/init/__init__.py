"""``replylint init``: set a repository of replies up for replylint and its pre-commit hook.

It surveys the repository (which draft formats are there, which channels the drafts are for,
which files are not replies), then writes:

* the configuration: a commented ``[tool.replylint]`` table appended to ``pyproject.toml`` when
  there is one (every byte already there is kept), else a ``.replylint.toml``. Only keys the
  configuration accepts are set, and the text is validated as a configuration before it is
  written; what has no key (formats, channels, which are picked per draft) is written as
  comments.
* the pre-commit hook: a ``.pre-commit-config.yaml``, or an entry appended to the existing one.
  The hook is pinned to the release tag of the installed version (``v<version>``); when
  replylint runs from a git checkout of itself, to that checkout's commit (the tag may not
  exist yet, and the commit is the code that is running). ``--repo``/``--rev`` choose another.

Nothing is overwritten without ``force``; every file is written atomically (a temporary file in
the same folder, then a rename, keeping the mode), in its own line endings.
"""

from __future__ import annotations

from pathlib import Path

from ..config import ConfigError
from .config import REPO_URL, write_config
from .files import Action, InitError
from .precommit import hook_entry, pin, write_pre_commit
from .survey import Survey, survey

__all__ = ["Action", "InitError", "Survey", "init", "pin", "survey"]


def init(
    root: Path, *, force: bool = False, repo: str | None = None, rev: str | None = None
) -> tuple[Survey, list[Action], list[str]]:
    """Survey ``root`` and write its configuration and pre-commit hook; the survey, what was
    done with each file and the errors (one line each; the file is left as it was)."""
    found = survey(root)
    pinned, why = (rev, "pinned with --rev") if rev else pin()
    actions: list[Action] = []
    errors: list[str] = []
    try:
        actions.append(write_config(root, found, force=force))
    except (InitError, ConfigError, OSError) as exc:
        errors.append(str(exc) if not isinstance(exc, OSError) else f"{exc.filename}: {exc}")
    entry = hook_entry(repo or REPO_URL, pinned, found, why)
    try:
        actions.append(write_pre_commit(root, entry, force=force))
    except (InitError, OSError) as exc:
        errors.append(str(exc) if not isinstance(exc, OSError) else f"{exc.filename}: {exc}")
    return found, actions, errors
