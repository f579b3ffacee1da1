"""The survey: which draft formats a repository has, which channels its drafts are for, and
which files are not replies (read as ``replylint check`` reads them, without linting)."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..sources import FORMATS, SourceError, discover, load_bytes
from ..sources.markdown import SAVED_REPLIES_NAMES

SURVEY_BYTES = 1 << 20  # larger files are counted, not read
# files a repository of replies often has that are not replies
NOT_REPLIES = re.compile(
    r"(?i)^(readme|changelog|changes|history|contributing|license|licence|copying|authors|"
    r"code_of_conduct|security|notice)(\.[a-z]+)?$|^requirements[\w.-]*\.txt$|"
    r"^(package|package-lock|composer|tsconfig|jsconfig|renovate|\.?eslintrc|manifest)\.json$|"
    r"^(mkdocs|docker-compose|compose|environment|codecov|netlify|vercel|_config)\.ya?ml$"
)
HANDLE = re.compile(r"\A\s*(?:@\w{1,30}[ ,:]*)+\S")
# read errors meaning "not a collection of replies" (rather than "a broken one")
NOT_A_COLLECTION = ("unknown export shape", "expected a collection of replies", "no reply text")


@dataclass
class Survey:
    """What is in the repository, as far as replylint is concerned."""

    formats: Counter[str] = field(default_factory=Counter)  # suffix -> files
    email: list[str] = field(default_factory=list)  # .eml files
    social: list[str] = field(default_factory=list)  # files with a draft opening with @handles
    macro: list[tuple[str, int]] = field(default_factory=list)  # exports: (file, replies)
    not_replies: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file, error)

    @property
    def drafts(self) -> int:
        return sum(self.formats.values())


def survey(root: Path) -> Survey:
    """Read every file replylint would lint under ``root`` (without linting it)."""
    out = Survey()
    for path, error in discover([str(root)]):
        rel = Path(path).relative_to(root).as_posix()
        if error is not None:
            out.unreadable.append((rel, error))
            continue
        name = os.path.basename(path)
        if NOT_REPLIES.match(name):
            out.not_replies.append((rel, "not a reply"))
            continue
        suffix = Path(name).suffix.lower()
        try:
            size = os.stat(path).st_size
            data = Path(path).read_bytes() if size <= SURVEY_BYTES else None
        except OSError as exc:
            out.unreadable.append((rel, exc.strerror or str(exc)))
            continue
        kind = FORMATS[suffix][1]
        collection = kind in ("read_json", "read_yaml", "read_csv")
        if data is None:  # a big file: an archive or an export
            out.formats[suffix] += 1
            if collection:
                out.macro.append((rel, -1))
            continue
        try:
            drafts = load_bytes(path, data).drafts
        except SourceError as exc:
            message = str(exc)
            if collection and suffix != ".csv" and message.startswith(NOT_A_COLLECTION):
                out.not_replies.append((rel, f"not a collection of replies ({message})"))
            else:
                out.formats[suffix] += 1
                out.unreadable.append((rel, message))
            continue
        out.formats[suffix] += 1
        if suffix == ".eml":
            out.email.append(rel)
        if collection or name.lower() in SAVED_REPLIES_NAMES:
            out.macro.append((rel, len(drafts)))
        if any(HANDLE.match(d.text) for d in drafts):
            out.social.append(rel)
    return out
