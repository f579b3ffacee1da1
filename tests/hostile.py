"""Hostile inputs, generated: families of files (one per format, plus the file system's special
files) x variants (empty, NUL byte, invalid UTF-8, UTF-16, BOM, truncated, deeply nested, NaN,
lone surrogate, huge, special file, symlink loop, unreadable).

Used by ``tests/sources/test_hostile_inputs.py`` (all cases in one or a few CLI runs) and by
``benchmarks/battery.py`` (each case in its own CLI run, with a timeout). A family is a function
that writes its cases under a folder and returns them; add one to :data:`FAMILIES`.

Each case says what the user must get for its file:

- ``lint``: linted, no error (a UTF-16 file, NaN among the values, a lone surrogate);
- ``error``: a one-line error naming the file (``replylint: error: PATH: …``), exit 2;
- ``skip``: found in a folder and skipped with a one-line warning (a FIFO, a socket, a device);
- ``either``: linted or a named error, as long as nothing crashes or hangs.
"""

from __future__ import annotations

import codecs
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Expect = Literal["lint", "error", "skip", "either", "fix"]  # fix: `fix` keeps every byte it must

REPLY = "Hi Dana,\n\nNope. It's our policy that we can't refund opened items.\n"
BIG = 2_400_000  # "huge" files and cells: past the default max-draft-chars (2,000,000)


@dataclass(frozen=True)
class Case:
    family: str
    variant: str
    path: Path  # the file (FIFO, link …) the case made
    expect: Expect
    named: bool = False  # given on the command line itself (else found by walking its folder)
    # for cases that need more than `replylint check`: the arguments before the paths
    # (the battery runs them as `replylint ARGS... PATH`; default: check)
    args: tuple[str, ...] = ()


Family = Callable[[Path], list[Case]]


def _writer(family: str, root: Path) -> Callable[..., Case]:
    folder = root / family
    folder.mkdir(parents=True, exist_ok=True)

    def case(
        variant: str, suffix: str, data: bytes | str, expect: Expect, *, named: bool = False
    ) -> Case:
        path = folder / f"{variant}{suffix}"
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="")
        else:
            path.write_bytes(data)
        return Case(family, variant, path, expect, named)

    return case


# one reply, in each format: what the "good" variants hold
def _doc(suffix: str, reply: str) -> str:
    if suffix == ".md":
        return f"# Refunds\n\n{reply}"
    if suffix == ".html":
        return f"<html><body><p>{reply}</p></body></html>\n"
    if suffix == ".eml":
        return f"From: a@example.com\nTo: b@example.com\nSubject: Re: refund\n\n{reply}"
    if suffix == ".json":
        body = reply.replace("\n", "\\n")
        return f'[{{"title": "refund", "body": "{body}"}}]\n'
    if suffix == ".yaml":
        indented = "".join(f"  {line}\n" for line in reply.splitlines())
        return f"refund: |\n{indented}"
    if suffix == ".csv":
        return 'title,body\nrefund,"' + reply.replace('"', '""') + '"\n'
    return reply


def _common(family: str, suffix: str, root: Path) -> list[Case]:
    """The variants every text format has."""
    case = _writer(family, root)
    good = _doc(suffix, REPLY)
    cases = [
        case("good", suffix, good, "lint"),
        case("empty", suffix, b"", "error"),
        case("blank", suffix, " \n\t\n", "error"),
        case("nul-byte", suffix, good.encode() + b"\x00", "error"),
        case("invalid-utf8", suffix, b"Hi \xff\xfe there " + good.encode(), "error"),
        case("truncated-utf8", suffix, good.encode() + "é".encode()[:1], "error"),
        case("utf8-bom", suffix, codecs.BOM_UTF8 + good.encode(), "lint"),
        case("utf16-bom", suffix, good.encode("utf-16"), "lint"),
        case("utf16-be-bom", suffix, codecs.BOM_UTF16_BE + good.encode("utf-16-be"), "lint"),
        case("utf16-no-bom", suffix, good.encode("utf-16-le"), "lint"),
        case("utf32-bom", suffix, good.encode("utf-32"), "lint"),
        case("utf16-odd-bytes", suffix, good.encode("utf-16") + b"!", "error"),
        case("latin1", suffix, good.replace("Dana", "Zoë").encode("latin-1"), "error"),
        case("control-chars", suffix, _doc(suffix, "Nope.\x1b[31m\x07\x0c\u202e ok\n"), "either"),
    ]
    return cases


def text_family(root: Path) -> list[Case]:
    case = _writer("txt", root)
    return [
        *_common("txt", ".txt", root),
        case("deep-quotes", ".txt", ">" * 10_000 + " Nope.\nHi, nope.\n", "lint"),
        case("huge", ".txt", ("Nope, we can't. " * 64 + "\n") * (BIG // 1024), "error"),
        case("one-huge-line", ".txt", "Nope " * (BIG // 5), "error"),
        case("unknown-suffix", ".weird", REPLY, "lint", named=True),
    ]


def markdown_family(root: Path) -> list[Case]:
    case = _writer("md", root)
    return [
        *_common("md", ".md", root),
        case("deep-quotes", ".md", ">" * 10_000 + " Nope.\n\nHi, nope.\n", "lint"),
        case("deep-list", ".md", "".join("  " * i + "- Nope.\n" for i in range(500)), "either"),
        case("unclosed-fence", ".md", "Nope.\n```\nsome code", "lint"),
        case("huge", ".md", "Nope, we can't.\n\n" * (BIG // 17), "error"),
    ]


def html_family(root: Path) -> list[Case]:
    case = _writer("html", root)
    return [
        *_common("html", ".html", root),
        case("deep", ".html", "<div>" * 10_000 + "Nope." + "</div>" * 10_000, "lint"),
        case("unclosed", ".html", "<div>" * 10_000 + "Nope.", "error"),
        case("truncated", ".html", "<html><body><p>Nope, we can", "either"),
        case("entities", ".html", "<p>&#xD800; &#0; &#x110000; Nope.</p>", "lint"),
        case("huge", ".html", "<p>" + "Nope, we can't. " * (BIG // 16) + "</p>", "error"),
    ]


def email_family(root: Path) -> list[Case]:
    case = _writer("eml", root)
    head = "From: a@example.com\nTo: b@example.com\nSubject: s\nMIME-Version: 1.0\n"
    n = 2_000
    nested = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(n)
    )
    nested += "Content-Type: text/plain\n\nNope.\n" + "".join(f"--b{i}--\n" for i in range(n))
    return [
        *_common("eml", ".eml", root),
        case("truncated-header", ".eml", "From: a@example.com\nTo: b@exa", "either"),
        case("deep-multipart", ".eml", head + nested, "either"),
        case("bad-base64", ".eml", head + "Content-Transfer-Encoding: base64\n\n!!!=\n", "either"),
        case(
            "bad-charset",
            ".eml",
            head + 'Content-Type: text/plain; charset="x-nope"\n\nNope.\n',
            "either",
        ),
        case("huge-body", ".eml", head + "\n" + "Nope, we can't.\n" * (BIG // 16), "error"),
    ]


def json_family(root: Path) -> list[Case]:
    case = _writer("json", root)
    good = '{"title": "b", "body": "Nope. It\'s our policy."}'
    return [
        *_common("json", ".json", root),
        case("truncated", ".json", '[{"title": "a", "body": "Nope', "error"),
        case("deep", ".json", "[" * 10_000, "error"),
        case("deep-closed", ".json", "[" * 5_000 + "]" * 5_000, "error"),
        case("nan", ".json", f'[{{"title": "a", "body": NaN}}, {good}]', "lint"),
        case("infinity", ".json", f'[{{"title": "a", "body": -Infinity}}, {good}]', "lint"),
        case("only-nan", ".json", "NaN", "error"),
        case("surrogate", ".json", '[{"title": "a", "body": "\\ud800 Nope."}]', "lint"),
        case("low-surrogate", ".json", '{"a": "Nope \\udc00\\ud83d"}', "lint"),
        case("huge-string", ".json", '[{"body": "' + "Nope. " * (BIG // 6) + '"}]', "error"),
        case("empty-list", ".json", "[]", "either"),
        case("big-number", ".json", '[{"title": 1' + "0" * 5000 + ', "body": "Nope."}]', "lint"),
    ]


def yaml_family(root: Path) -> list[Case]:
    case = _writer("yaml", root)
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        laughs.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return [
        *_common("yaml", ".yaml", root),
        case("truncated", ".yaml", 'refund: "Nope, we', "error"),
        case("deep", ".yaml", "[" * 10_000, "error"),
        case("deep-block", ".yaml", "".join("  " * i + "a:\n" for i in range(300)), "error"),
        case("recursive-alias", ".yaml", "a: &a [*a]\n", "error"),
        case("recursive-map", ".yaml", "a: &a {b: *a}\n", "error"),
        case("billion-laughs", ".yaml", "\n".join(laughs) + "\n", "error"),
        case("nan", ".yaml", "a: .nan\nb: Nope, it's our policy.\n", "lint"),
        case("surrogate", ".yaml", 'a: "\\ud800 Nope."\nb: "\\U0000DC00 no"\n', "lint"),
        case("python-tag", ".yaml", "a: !!python/object/apply:os.system ['true']\n", "error"),
        case("huge-scalar", ".yaml", "a: |\n" + "  Nope, we can't.\n" * (BIG // 18), "error"),
    ]


def csv_family(root: Path) -> list[Case]:
    case = _writer("csv", root)
    huge_cell = "Nope. Sorry about that. " * (BIG // 24)
    return [
        *_common("csv", ".csv", root),
        case("truncated", ".csv", 'title,body\nx,"Nope, we', "error"),
        case("huge-cell", ".csv", f'title,body\nx,"{huge_cell}"\ny,Nope.\n', "error"),
        case("many-quotes", ".csv", 'title,body\nx,"' + '"' * 2_000 + '"\n', "either"),
        case(
            "wide",
            ".csv",
            "title,"
            + ",".join(f"c{i}" for i in range(50_000))
            + ",body\n"
            + "x,"
            + "," * 50_000
            + "Nope.\n",
            "lint",
        ),
        case("no-header-text", ".csv", "a,b\n1,2\n", "error"),
    ]


def fs_family(root: Path) -> list[Case]:
    """Special files: FIFOs, sockets, devices, symbolic links that loop or lead nowhere, a folder
    named like a file (chmod 000 does not stop root, so "unreadable" is these)."""
    folder = root / "fs"
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(variant: str, path: Path, expect: Expect, named: bool = False) -> None:
        cases.append(Case("fs", variant, path, expect, named))

    os.mkfifo(folder / "fifo.txt")
    add("fifo-in-folder", folder / "fifo.txt", "skip")
    named_fifo = root / "fs-named" / "fifo-named.txt"
    named_fifo.parent.mkdir(exist_ok=True)
    os.mkfifo(named_fifo)
    add("fifo-named", named_fifo, "error", named=True)
    sock = folder / "socket.md"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(sock))
    finally:
        s.close()
    add("socket-in-folder", sock, "skip")
    (folder / "zero.txt").symlink_to("/dev/zero")
    add("device-link-in-folder", folder / "zero.txt", "skip")
    add("dev-zero-named", Path("/dev/zero"), "error", named=True)
    add("dev-null-named", Path("/dev/null"), "error", named=True)
    (folder / "loop.txt").symlink_to("loop.txt")
    add("symlink-loop-in-folder", folder / "loop.txt", "error")
    (folder / "ping.json").symlink_to("pong.json")
    (folder / "pong.json").symlink_to("ping.json")
    add("symlink-cycle-in-folder", folder / "ping.json", "error")
    (folder / "dangling.yaml").symlink_to("nowhere.yaml")
    add("dangling-symlink-in-folder", folder / "dangling.yaml", "error")
    (folder / "up").symlink_to("..")  # a folder link back up: not followed, no loop
    named_loop = root / "fs-named" / "loop-named.txt"
    named_loop.symlink_to(named_loop.name)
    add("symlink-loop-named", named_loop, "error", named=True)
    dir_file = root / "fs-named" / "folder.txt"
    dir_file.mkdir()
    add("folder-named-like-a-file", dir_file, "error", named=True)
    add("missing-named", root / "fs-named" / "missing.txt", "error", named=True)
    return cases


FAMILIES: list[Family] = [
    text_family,
    markdown_family,
    html_family,
    email_family,
    json_family,
    yaml_family,
    csv_family,
    fs_family,
]


def build(root: Path, families: list[Family] | None = None) -> list[Case]:
    """Every case of ``families`` (default: all) written under ``root``."""
    return [c for family in families or FAMILIES for c in family(root)]
