"""Reading text files the way Chinese offices write them: UTF-8, UTF-8 with BOM, or GBK."""

from __future__ import annotations

from pathlib import Path

import charset_normalizer

from .records import LoadError, LoadFailed, Origin


def decode(data: bytes, origin: str) -> tuple[str, str]:
    """Decode ``data`` and say which encoding it was in.

    UTF-8 (with or without BOM) is tried first because valid UTF-8 is almost
    never valid by accident; then GB18030 (a superset of GBK and GB2312, what
    Excel on Chinese Windows writes); charset-normalizer names anything else.

    >>> decode("企业".encode("gbk"), "x.csv")
    ('企业', 'gbk')
    >>> decode(b"\\xef\\xbb\\xbfid", "x.csv")
    ('id', 'utf-8-sig')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        return text, "gbk"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        err = LoadError(Origin(origin), None, "cannot tell the text encoding (use UTF-8, UTF-8 with BOM or GBK)")
        raise LoadFailed([err])
    return str(best), best.encoding


def read_text(path: Path) -> tuple[str, str]:
    return decode(path.read_bytes(), str(path))
