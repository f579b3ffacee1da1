"""Big CSV/TSV files read in chunks (sources/stream.py): the drafts, their file positions and
excerpts are exactly those of the whole-file reader whatever the chunk size, errors name the
same file line, and memory stays flat however big the file."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from replylint.offsets import LineIndex
from replylint.sources import Draft, ReadOptions, SourceError, load_path
from replylint.sources.stream import STREAM_MIN_BYTES, Chunk, load_chunks, streams

# from 1 byte (every multi-byte character, \r\n and "" split across blocks) to the whole file
CHUNK_SIZES = (1, 2, 3, 7, 16, 64, 100, 1000, 1 << 20)
BOM = b"\xef\xbb\xbf"

CSVS: dict[str, tuple[bytes, ReadOptions]] = {
    # \r\n and \n endings, "" escapes, a quoted line break, an empty line, empty cells
    "mixed.csv": (
        b'id,title,reply\r\n1,"Quoted, with comma","Line one\r\nline ""two"""\r\n'
        b'2,plain,plain reply\r\n\r\n3,,\n4,"",last\n',
        ReadOptions(),
    ),
    # a BOM, emoji and CJK (split across blocks), multi-line cells, no final line break
    "bom.csv": (
        BOM
        + (
            'title,customer,reply\n"Caf\u00e9 \u2615","Wo ist mein Paket? \u8c22\u8c22",'
            '"Hi \U0001f642 Sam,\n\nNope. \u6f22\u5b57 It\'s company policy.\n-- Jo"\n'
            'Emoji \U0001f4e6\U0001f4e6,,"\u00e9\u00e8\u00ea \U0001f600 no, that\'s not possible"'
        ).encode(),
        ReadOptions(),
    ),
    # blank lines before the header (a comma file: the delimiter is sniffed on the first line)
    "leading-blank.csv": (b"\n\r\n\nid,reply\r\n\r\n1,Hi there.\r\n", ReadOptions()),
    # rows shorter than the header (no text cell: skipped, but numbered), blank lines between
    "short-rows.csv": (
        b'id;reply;customer\n1\n2;Nope.\n\n\n3;"We can\'t do that.";angry\n4;;x\n'
        b'5;"Sorry ""about"" that";\n\n\n',
        ReadOptions(),
    ),
    "replies.tsv": (
        "name\tbody\tcustomer_message\nRefund\tNope, it's policy.\tCan I return it?\n"
        'Quoted\t"Tab\tinside\r\nand a break"\t"\u00fcber"\r\nNo title\tPlain \u00e9\t\n'.encode(),
        ReadOptions(),
    ),
    # chosen columns; HTML in a cell (tags left out), quoted customer lines, a suppression
    # comment, stray text after a closing quote, lone \r line endings
    "options.csv": (
        b'key,reply_text,customer_message\r"k1","<p>Hi Sam,</p><p>Nope. It&#39;s policy.</p>",'
        b'"Where is it?"\r'
        b'k2,"> Where is my parcel?\rOn Mon, Sam wrote:\r> hello\rIt is late.",\r'
        b'k3,"<!-- replylint: disable=bare-policy -->\rThat\'s our policy."stray,c\r'
        b'k4,"Short, \xc3\xa9 \xe2\x82\xac",\r',
        ReadOptions(text_field="reply_text", customer_field="customer_message"),
    ),
}


def _big_record() -> bytes:
    """A record far longer than the chunks (read in ever bigger blocks, not over and over)."""
    cell = ('Line with "" quotes, commas and \u00e9\r\n' * 400).encode()
    rows = b"".join(b'%d,"%s",t%d\n' % (i, cell, i) for i in range(3))
    return b"id,reply,title\n" + rows + b"9,tail,\n"


CSVS["big-record.csv"] = (_big_record(), ReadOptions())


def _key(d: Draft) -> tuple[Any, ...]:
    """Everything a draft gives the linter, with positions read back in the file."""
    start, end = d.offsets.span_to_original(0, len(d.text))
    return (
        d.text,
        d.title,
        d.customer,
        d.meta,
        d.path,
        d.locate(0, len(d.text)),
        [d.locate(i, i + 1) for i in range(0, len(d.text), max(1, len(d.text) // 200))],
        [d.locate(i, i) for i in range(0, len(d.text) + 1, max(1, len(d.text) // 50))],
        d.lines.text[start:end],
        d.encode('a "fix", here\nand there', "\r\n") if d.encode is not None else None,
    )


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize("name", sorted(CSVS))
def test_chunks_give_the_drafts_of_the_whole_file(tmp_path: Path, name: str) -> None:
    data, options = CSVS[name]
    path = _write(tmp_path, name, data)
    whole = load_path(path, options)
    expected = [_key(d) for d in whole.drafts]
    assert expected  # (each file has drafts)
    file_lines = LineIndex(whole.text)
    for size in CHUNK_SIZES:
        chunks = list(load_chunks(path, options, chunk_bytes=size))
        assert [_key(d) for c in chunks for d in c.drafts] == expected, size
        # the chunks are the file text, cut at line starts, each knowing its first line
        assert "".join(c.text for c in chunks) == whole.text, size
        start = 0
        for c in chunks:
            assert isinstance(c, Chunk) and c.text
            assert c.lines.text is c.text and all(d.lines is c.lines for d in c.drafts)
            assert start in file_lines.starts
            assert c.lines.first_line == file_lines.position(start)[0]
            assert c.offset == start
            assert c.comments == whole.comments == ("html",)
            start += len(c.text)


def test_chunks_are_about_chunk_bytes_and_never_split_a_record(tmp_path: Path) -> None:
    rows = "".join(f'{i},"Reply {i},\r\nsecond line \u00e9",t{i}\r\n' for i in range(2000))
    path = _write(tmp_path, "rows.csv", ("id,reply,title\r\n" + rows).encode())
    chunks = list(load_chunks(path, chunk_bytes=4096))
    assert 10 < len(chunks) < 30
    assert all(len(c.text.encode()) < 2 * 4096 for c in chunks)
    titles = [d.title for c in chunks for d in c.drafts]
    assert titles == [f"t{i}" for i in range(2000)]
    for c in chunks[1:]:
        assert re.match(r"\d+,\"Reply \d+,\r\n", c.text)  # a record's first line
        assert c.text.endswith("\r\n")
        line, column, *_ = c.drafts[0].locate(0, 1)
        assert (line, column) == (c.lines.first_line, len(c.text.split(",")[0]) + 3)


def test_row_numbers_continue_across_chunks(tmp_path: Path) -> None:
    rows = "".join(f"Reply number {i}.\n" if i % 3 else "\n" for i in range(1, 300))
    path = _write(tmp_path, "untitled.csv", ("text\n" + rows).encode())
    whole = [d.title for d in load_path(path).drafts]
    assert whole[:2] == ["row 1", "row 2"]
    for size in (16, 100, 1000):
        assert [d.title for c in load_chunks(path, chunk_bytes=size) for d in c.drafts] == whole


def test_header_only_file_is_one_chunk_without_drafts(tmp_path: Path) -> None:
    path = _write(tmp_path, "empty-table.csv", b"id,reply\r\n\r\n")
    assert load_path(path).drafts == []
    for size in (1, 1000):
        (chunk,) = load_chunks(path, chunk_bytes=size)
        assert chunk.text == "id,reply\r\n\r\n" and chunk.drafts == []


# --------------------------------------------------------------------------------------------
# errors: the whole-file reader's message, at the same file line, when the chunk is reached
# --------------------------------------------------------------------------------------------

ERRORS: dict[str, tuple[bytes, ReadOptions, str]] = {
    "empty.csv": (b"", ReadOptions(), "empty file, nothing to lint"),
    "blank.csv": (b"  \r\n\n\t\n" * 50, ReadOptions(), "empty file, nothing to lint"),
    "binary.csv": (
        b"id,reply\n1,ok\n" + b"x" * 8000 + b"\x00\n",
        ReadOptions(),
        "binary file (contains NUL bytes), not a text draft",
    ),
    "bad-utf8.csv": (
        b"id,reply\n" + b'1,"fine \xc3\xa9"\n' * 40 + b"2,caf\xe9 au lait\n3,ok\n",
        ReadOptions(),
        "line 42, column 6: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
    ),
    "bad-utf8-in-cell.csv": (
        b'id,reply\n1,"multi\nline \xe2\x82\xac\n\xe2\x82 \xe2\x82\xac"\n',
        ReadOptions(),
        "line 4, column 1: not valid UTF-8 (byte 0xe2); save the file as UTF-8",
    ),
    "truncated-utf8.csv": (
        b"id,reply\n1,ends in half a character \xf0\x9f\x99",
        ReadOptions(),
        "line 2, column 28: not valid UTF-8 (byte 0xf0); save the file as UTF-8",
    ),
    "unclosed.csv": (
        b"id,reply\n" + b'1,"fine\nreply"\n' * 30 + b'2,"never closed\n3,more\n4,x\n',
        ReadOptions(),
        "line 62, column 3: invalid CSV: a quoted field is never closed",
    ),
    "bom-unclosed.csv": (  # (columns of line 1 do not count the BOM, in either reader)
        BOM + b'id,"reply\n1,x\n',
        ReadOptions(),
        "line 1, column 4: invalid CSV: a quoted field is never closed",
    ),
    "no-text.csv": (
        b"id,subject,body_markdown\n1,Refund,Nope.\n",
        ReadOptions(),
        "no text column: expected a text column (text, body, reply, …; choose it with "
        "--text-field); found columns: id, subject, body_markdown",
    ),
    "no-such-field.csv": (
        b"id,reply\n1,Nope.\n",
        ReadOptions(text_field="answer"),
        "no text column: expected a column named 'answer'; found columns: id, reply",
    ),
    "no-customer.csv": (
        b"id,reply\n1,Nope.\n",
        ReadOptions(customer_field="ticket"),
        "no customer column: expected a column named 'ticket'; found columns: id, reply",
    ),
    "blank-header.csv": (
        b"   \n\n" + b" " * 5000 + b"\nreply\nNope.\n",
        ReadOptions(),
        "no text column: expected a text column (text, body, reply, …; choose it with "
        "--text-field); found columns: ",
    ),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_match_the_whole_file_reader(tmp_path: Path, name: str) -> None:
    data, options, message = ERRORS[name]
    path = _write(tmp_path, name, data)
    with pytest.raises(SourceError) as whole:
        load_path(path, options)
    assert str(whole.value) == message
    for size in CHUNK_SIZES:
        with pytest.raises(SourceError) as chunked:
            list(load_chunks(path, options, chunk_bytes=size))
        assert str(chunked.value) == message, size


def test_an_error_in_a_later_chunk_comes_after_the_chunks_before(tmp_path: Path) -> None:
    good = b"".join(b'%d,"Reply %d"\n' % (i, i) for i in range(1000))
    path = _write(tmp_path, "late.csv", b"id,reply\n" + good + b'1000,"never closed\n1001,x\n')
    chunks = load_chunks(path, chunk_bytes=1024)
    titles: list[str | None] = []
    with pytest.raises(SourceError, match=r"^line 1002, column 6: invalid CSV: a quoted field"):
        for chunk in chunks:
            titles.extend(d.title for d in chunk.drafts)
    assert len(titles) > 900
    assert titles == [str(i) for i in range(len(titles))]  # (the id column titles them)


def test_invalid_utf8_after_a_bom_is_reported_where_it_is(tmp_path: Path) -> None:
    # decode() reports this 3 bytes early (utf-8-sig's error offsets leave the BOM out); the
    # chunked reader gives the true place, the BOM not counted in columns (as in findings)
    path = _write(tmp_path, "bom-bad.csv", BOM + b"id,reply\n1,caf\xe9\n")
    for size in (1, 5, 1000):
        with pytest.raises(SourceError) as chunked:
            list(load_chunks(path, chunk_bytes=size))
        assert str(chunked.value) == (
            "line 2, column 6: not valid UTF-8 (byte 0xe9); save the file as UTF-8"
        )


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="is a directory"):
        list(load_chunks(str(tmp_path)))
    with pytest.raises(SourceError, match="No such file"):
        list(load_chunks(str(tmp_path / "missing.csv")))


# --------------------------------------------------------------------------------------------
# which files stream, and memory
# --------------------------------------------------------------------------------------------


def test_streams_big_csv_and_tsv_files_only(tmp_path: Path) -> None:
    def sized(name: str, size: int) -> str:
        path = tmp_path / name
        with path.open("wb") as f:
            f.truncate(size)  # (sparse: nothing is written)
        return str(path)

    assert streams(sized("big.csv", STREAM_MIN_BYTES))
    assert streams(sized("big.TSV", STREAM_MIN_BYTES + 1))
    assert not streams(sized("small.csv", STREAM_MIN_BYTES - 1))
    assert not streams(sized("big.json", STREAM_MIN_BYTES))
    assert not streams(sized("big.txt", STREAM_MIN_BYTES))
    assert not streams(str(tmp_path / "missing.csv"))
    (tmp_path / "dir.csv").mkdir()
    assert not streams(str(tmp_path / "dir.csv"))
    assert not streams("-")


@pytest.mark.slow  # big files, traced memory
def test_memory_stays_flat(tmp_path: Path) -> None:
    """A 40 MB export is read with a small, steady peak (tracemalloc counts every object)."""
    customer = "Where is my parcel? I ordered it two weeks ago, nothing has come, ça va ?\r\n"
    template = (
        '{n},Late parcel {n},"' + customer * 30 + '","Hi {n}, I\'m sorry the parcel is late.\r\n'
        'It\'s on its way and should reach you by Friday. ""Best"", Jo {e}"\r\n'
    )
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("id,title,customer,reply\r\n")
        n = 0
        while f.tell() < 40_000_000:
            f.write(
                "".join(template.format(n=n + k, e="\U0001f642" * (k % 7 == 0)) for k in range(500))
            )
            n += 500
    size = path.stat().st_size

    drafts = chunks = 0
    tracemalloc.start()
    try:
        it = load_chunks(str(path))  # chunks of the default size
        early = 0
        while (chunk := next(it, None)) is not None:
            drafts += len(chunk.drafts)
            chunks += 1
            del chunk  # (keep only counts)
            if chunks == 4:
                early = tracemalloc.get_traced_memory()[1]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert drafts == n and 120 < chunks < 200
    print(f"{size / 1e6:.0f} MB file, {drafts} drafts, {chunks} chunks: peak {peak / 1e6:.1f} MB")
    assert size > 40_000_000 and peak < 4_000_000, peak
    assert peak < early * 1.2, (early, peak)  # no growth after the first few chunks
