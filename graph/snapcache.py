"""A verified local snapshot cache of SQLite workspaces: a command opens a 100k-firm graph in about a second.

Only this tool writes the cache, only in the user's own cache folder (``$XDG_CACHE_HOME/chainkg``, else
``~/.cache/chainkg``, mode 0700), and every entry is authenticated before it is read:

- an entry is ``MAGIC | BLAKE2b-MAC(32) | header length | header JSON | payload``; the MAC is keyed with
  a random secret kept in the cache folder (``key``, mode 0600), so a file that this tool did not write
  (or that was truncated or changed) is ignored and rebuilt, never decoded;
- the header holds the workspace's real path, size, mtime, inode, SQLite change counter and the commit
  generation stored inside the workspace; the entry is used only if all of them match the file now;
- the payload is ``marshal`` data of the graph's dicts (data only: marshal cannot build class instances
  or run code on load), never the exchange format; a workspace a colleague mails is read from its rows.

``CHAINKG_NO_CACHE=1`` turns the cache off; deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import json
import marshal
import os
import stat
import struct
from pathlib import Path
from typing import Any

from .fileio import atomic_write, remove_stale_temps
from .kg import KnowledgeGraph

MAGIC = b"CHAINKG-SNAPSHOT-1\n"
_MAC_LEN = 32


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "chainkg"


def _secret(folder: Path) -> bytes | None:
    """The cache's MAC key (created on first use); None if the folder is not safely ours."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = os.lstat(folder)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
        key_path = folder / "key"
        try:
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(32))
        fd = os.open(key_path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as f:
            kst = os.fstat(f.fileno())
            if kst.st_uid != os.getuid() or kst.st_mode & 0o077:
                return None
            key = f.read(64)
        return key if len(key) == 32 else None
    except OSError:
        return None


def _entry(folder: Path, path: str) -> Path:
    return folder / (hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()[:40] + ".snap")


def _mac(secret: bytes, data: bytes | memoryview) -> bytes:
    return hashlib.blake2b(data, key=secret, digest_size=_MAC_LEN).digest()


def get(key: dict[str, Any], *, freeze: bool = False) -> KnowledgeGraph | None:
    """The cached graph for ``key`` if an authentic, current entry exists; else None."""
    folder = cache_dir()
    secret = _secret(folder)
    if secret is None:
        return None
    try:
        with open(_entry(folder, key["path"]), "rb") as f:
            blob = f.read()
    except OSError:
        return None
    view = memoryview(blob)
    head = len(MAGIC)
    if bytes(view[:head]) != MAGIC or len(blob) < head + _MAC_LEN + 4:
        return None
    mac = bytes(view[head:head + _MAC_LEN])
    body = view[head + _MAC_LEN:]
    if not hmac.compare_digest(mac, _mac(secret, body)):
        return None
    (hlen,) = struct.unpack(">I", body[:4])
    try:
        header = json.loads(bytes(body[4:4 + hlen]))
    except ValueError:
        return None
    if header != key:
        return None
    enabled = gc.isenabled()
    gc.disable()  # millions of new containers: the collector would rescan them again and again
    try:
        meta, node, succ, pred = marshal.loads(body[4 + hlen:])
        if freeze:
            gc.freeze()
    except (ValueError, EOFError, TypeError):
        return None
    finally:
        if enabled:
            gc.enable()
    from .store import _graph

    return _graph(meta, node, succ, pred)


def put(key: dict[str, Any], kg: KnowledgeGraph) -> None:
    """Store ``kg`` as the entry for ``key`` (best effort: a cache that cannot be written is skipped)."""
    folder = cache_dir()
    secret = _secret(folder)
    if secret is None:
        return
    g = kg.g
    try:
        payload = marshal.dumps((kg.meta, g._node, g._succ, g._pred), 4)
    except ValueError:  # a value marshal cannot hold: no cache for this graph
        return
    header = json.dumps(key, sort_keys=False).encode()
    body = struct.pack(">I", len(header)) + header + payload
    entry = _entry(folder, key["path"])
    with contextlib.suppress(OSError, Exception):
        remove_stale_temps(entry)
        with atomic_write(entry) as f:
            f.write(MAGIC)
            f.write(_mac(secret, body))
            f.write(body)
