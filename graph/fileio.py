"""Writing files the way users expect: atomically, through symlinks, keeping the file's mode.

Every file chainkg writes (workspaces, exports) goes through :func:`atomic_write`:

- a symlink is written *through*: the file it points to is replaced, the link stays a link;
- an existing file keeps its permission bits (a shared 0664 workspace stays 0664); a new file
  gets ``0666 & ~umask``, like any other tool's output;
- only regular files are written: a device, FIFO or socket at the target is refused and left alone;
- the data goes to a hidden temporary file beside the target, is flushed to disk and renamed over
  it, so a crash leaves the old file or the new one. The writer holds an ``flock`` on its temporary
  file while it lives; :func:`remove_stale_temps` deletes only temporary files nobody holds (their
  writer died), so debris from a killed save disappears with the next command;
- errors name the user's path, never the temporary file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from chainkg.errors import GraphError


class FileError(GraphError, OSError):
    """A file that cannot be read or written as asked; the message names the user's path (also an OSError)."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def describe(mode: int) -> str:
    for test, what in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return "not a regular file"


def write_target(path: str | os.PathLike[str]) -> tuple[Path, int | None]:
    """The real file to replace for ``path`` (symlinks followed) and its permission bits (None if new).

    Refuses anything that is not a regular file, so ``-o /dev/full`` never replaces a device node.
    """
    user = Path(path)
    real = Path(os.path.realpath(user))
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return real, None
    except OSError as e:
        raise FileError(f"{user}: cannot write ({e.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise FileError(f"{user}: is {describe(st.st_mode)}; chainkg writes only regular files")
    return real, stat.S_IMODE(st.st_mode)


def check_regular_input(path: str | os.PathLike[str]) -> os.stat_result:
    """``stat`` of a file to read as a whole, refusing devices, FIFOs and folders (never an unbounded stream)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise FileError(f"{path}: no such workspace file") from None
    except OSError as e:
        raise FileError(f"{path}: cannot read ({e.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise FileError(f"{path}: is a folder, not a workspace file")
    if not stat.S_ISREG(st.st_mode):
        raise FileError(f"{path}: is {describe(st.st_mode)}, not a workspace file")
    return st


def temp_prefix(real: Path) -> str:
    return f".{real.name}."


def remove_stale_temps(path: str | os.PathLike[str]) -> list[Path]:
    """Delete the hidden ``.NAME.*.tmp`` files a killed writer left beside ``path``; returns what went.

    A live writer holds an ``flock`` on its temporary file, so only files whose writer is gone are
    removed (a non-blocking lock that succeeds proves it). Errors are ignored: this is housekeeping.
    """
    real = Path(os.path.realpath(path))
    removed: list[Path] = []
    try:
        candidates = [p for p in real.parent.iterdir()
                      if p.name.startswith(temp_prefix(real)) and p.name.endswith(".tmp")]
    except OSError:
        return removed
    for p in candidates:
        try:
            fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its writer is alive
            # Still the same file under that name (not replaced since we opened it)?
            if os.path.samestat(os.fstat(fd), os.lstat(p)):
                p.unlink()
                removed.append(p)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary file to write ``path``'s new content into; it replaces ``path`` when the block ends cleanly.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_write(p) as f:
    ...     _ = f.write(b"hello")
    >>> p.read_bytes()
    b'hello'
    """
    user = Path(path)
    real, mode = write_target(user)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(real), suffix=".tmp", dir=real.parent)
    except OSError as e:
        raise FileError(f"{user}: cannot write ({e.strerror})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # "alive": remove_stale_temps leaves it alone
        os.fchmod(fd, mode if mode is not None else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
            # Still a regular file (or nothing) at the target? Then swap it in.
            write_target(user)
            os.replace(tmp, real)
        _fsync_dir(real.parent)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise FileError(f"{user}: cannot write ({e.strerror or e})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` with :func:`atomic_write`."""
    with atomic_write(path) as f:
        f.write(data)


# ----------------------------------------------------------------- spreadsheet cells
#: Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with ``'`` (plain numbers stay as they are).

    >>> escape_formula('=HYPERLINK("http://x","click")')
    '\\'=HYPERLINK("http://x","click")'
    >>> escape_formula("-12.5"), escape_formula("云南")
    ('-12.5', '云南')
    """
    if value.startswith(FORMULA_LEAD) and not _is_number(value):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """Undo :func:`escape_formula` (for readers of chainkg's own exports)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_LEAD) and not _is_number(value[1:]):
        return value[1:]
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return value.strip() == value and value not in ("-inf", "+inf", "-nan", "+nan") and "inf" not in value.lower() \
        and "nan" not in value.lower()


def read_config(path: str | os.PathLike[str], what: str) -> str:
    """The text of a small settings file (weights, match rules): a regular file, bounded, in UTF-8 or GBK.

    Errors are one :class:`~chainkg.errors.InputError` naming the file, never a stream read forever.
    """
    from chainkg.errors import InputError
    from chainkg.loaders import LoadFailed
    from chainkg.loaders.encoding import read_text

    try:
        return read_text(Path(path))[0]
    except LoadFailed as e:
        raise InputError(f"{path}: cannot read {what}: {e.errors[0].reason}") from None
