"""Writing a fixed file: atomically, keeping its owner, group, mode and hard links, never over a
file that changed on disk since it was read, and cleaning up on SIGTERM, SIGHUP and SIGINT.

This module's size (about 200 lines) is the signal guard's and the write-through's: each
step is one of the guarantees above.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from .files import FileFix  # (the fixer imports this module)


class NotWrittenError(Exception):
    """A fixed file was not written (the message says why, for a one-line error)."""


class FileChangedError(NotWrittenError):
    """The file changed on disk after it was read: it is not overwritten."""


class ReadOnlyError(NotWrittenError):
    """The file is read-only for its owner: it is not rewritten."""


def write(fixed: FileFix) -> None:
    """Write ``fixed`` over its file (a symlink's target is written), keeping its owner, group
    and mode, and its hard links. Raises :class:`ReadOnlyError` when the file's owner has no
    write permission (whoever runs this: root may write anything, the user said otherwise),
    :class:`FileChangedError` when the file changed since it was read.

    The new content is written to a temporary file in the same folder first (fsynced, given
    the file's owner, group and mode). Then, for a file with one link whose owner and group
    the temporary file could take, it replaces the file atomically (``os.replace``). A file
    with other hard links (a rename would leave them pointing at the old text) or one whose
    owner this process cannot give away is written through its own inode from that complete
    copy, and the copy removed. SIGTERM, SIGHUP and SIGINT remove the temporary file and then
    take their course; during the replace or the copy through they wait for it to finish, so
    the file is never left half-written by them."""
    target = Path(os.path.realpath(fixed.path))
    if not os.stat(target).st_mode & stat.S_IWUSR:
        raise ReadOnlyError("read-only (its owner has no write permission); not rewritten")
    with replacing(fixed.path) as sink:
        sink.write(fixed.data())
        sink.commit(fixed.mtime_ns, len(fixed.raw), hashlib.sha256(fixed.raw).digest())


class Sink:
    """The temporary file :func:`replacing` gives: written in order, then :meth:`commit`-ted
    (or not: then it is removed and the file left as it is)."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.read_as: tuple[int, int, bytes] | None = None  # mtime, size, sha256 as read

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def commit(self, mtime_ns: int, size: int, digest: bytes) -> None:
        """Replace the file with what was written, if it still has the ``size`` bytes with the
        sha256 ``digest`` and the mtime it had when it was read."""
        self.read_as = (mtime_ns, size, digest)


@contextlib.contextmanager
def replacing(path: str) -> Iterator[Sink]:
    """A temporary file next to ``path``'s target (a symlink's), which replaces the file on
    leaving if :meth:`Sink.commit` was called (see :func:`write`); removed otherwise, on an
    exception, and on SIGTERM, SIGHUP or SIGINT, which the whole block is guarded against (so
    a big file can be written as it is fixed)."""
    target = Path(os.path.realpath(path))
    with _SignalGuard() as guard:
        tmp: str | None = None
        try:
            with guard.deferred():  # (a signal between its creation and `tmp` would lose it)
                fd, tmp = tempfile.mkstemp(
                    dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
                )
            with os.fdopen(fd, "wb") as fh:
                guard.check()
                sink = Sink(fh)
                yield sink
                if sink.read_as is None:
                    return  # (the finally removes it)
                st = os.stat(target)
                if not st.st_mode & stat.S_IWUSR:
                    raise ReadOnlyError(
                        "read-only (its owner has no write permission); not rewritten"
                    )
                fh.flush()
                same_owner = _give_owner(fh.fileno(), st)
                os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))  # after chown (it clears set-id)
                os.fsync(fh.fileno())
            if not _unchanged(target, *sink.read_as):
                raise FileChangedError("changed on disk since it was read; not overwritten")
            with guard.deferred():
                if st.st_nlink > 1 or not same_owner:
                    _write_through(tmp, target)
                    os.unlink(tmp)
                else:
                    os.replace(tmp, target)
                tmp = None
        finally:
            if tmp is not None:
                guard.defer = True  # (a second signal waits for the removal)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)


def _give_owner(fd: int, st: os.stat_result) -> bool:
    """Give the open file ``fd`` the owner and group of ``st``; whether it could."""
    try:
        os.fchown(fd, st.st_uid, st.st_gid)
    except PermissionError:
        return False
    return True


def _unchanged(target: Path, mtime_ns: int, size: int, digest: bytes) -> bool:
    """Whether ``target`` still holds the bytes the fix was made from: their ``size`` and
    sha256 ``digest``, and the mtime they were read with."""
    now = os.stat(target)
    if now.st_mtime_ns != mtime_ns or now.st_size != size:
        return False
    with open(target, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").digest() == digest


def _write_through(source: str, target: Path) -> None:
    """Copy the file ``source`` over ``target``'s own content (its inode, hence its links)."""
    with open(source, "rb") as src, open(target, "r+b") as dst:
        shutil.copyfileobj(src, dst, COPY_BLOCK)
        dst.truncate()
        dst.flush()
        os.fsync(dst.fileno())


COPY_BLOCK = 1 << 20
_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class _Interrupted(BaseException):
    """A signal arrived while a temporary file existed (raised by the guard's handler)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _SignalGuard:
    """While a temporary file may exist: SIGTERM, SIGHUP and SIGINT raise :class:`_Interrupted`
    (so ``finally`` removes the file), or wait while :meth:`deferred` runs; on leaving, the
    handlers are restored and a signal that came is sent again, to take its course (the
    process ends as it would have, with the status of that signal). Handlers can only be set
    in the main thread: elsewhere the guard does nothing."""

    def __init__(self) -> None:
        self.active = threading.current_thread() is threading.main_thread()
        self.defer = False
        self.pending: int | None = None
        self.previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: object) -> None:
        if self.defer:
            self.pending = signum
            return
        raise _Interrupted(signum)

    def __enter__(self) -> _SignalGuard:
        if self.active:
            for sig in _SIGNALS:
                self.previous[sig] = signal.signal(sig, self._handle)
        return self

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        self.defer = True
        try:
            yield
        finally:
            self.defer = False

    def check(self) -> None:
        """Raise :class:`_Interrupted` for a signal that waited."""
        if self.pending is not None:
            raise _Interrupted(self.pending)

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        if not self.active:
            return
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        signum = exc.signum if isinstance(exc, _Interrupted) else self.pending
        if signum is not None:
            # its own handler now: the default ends the process. raise_signal delivers it to this
            # (the main) thread at once; os.kill let another thread take it, and the handler run
            # only after the check below (SIGINT then ended as "not overwritten", not "Aborted!")
            signal.raise_signal(signum)
            if isinstance(exc, _Interrupted):  # still alive: ignored, or handled and returned
                raise NotWrittenError("interrupted; not overwritten") from None
