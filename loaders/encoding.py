"""Reading text files the way Chinese offices write them, and refusing to guess when the bytes do not say.

Detected per file: UTF-8 (with or without BOM), UTF-16 and UTF-32 with a BOM,
GBK/GB18030 (what Excel on mainland Windows writes) and Big5 (Taiwan, Hong
Kong). A file is decoded as one encoding or not at all:

* a file that is partly UTF-8 and partly something else (a GBK row pasted into
  a UTF-8 file) is refused, naming the lines that disagree;
* GBK and Big5 use the same byte ranges, so the choice rests on which reading
  gives common characters (GB2312 level 1 for GBK, Big5 level 1 for Big5) and
  on byte patterns only Big5 has; when a file is too short to tell, it is
  refused as ambiguous;
* anything else (Shift-JIS, Latin-1, binary data, UTF-16 without a BOM) is refused.

``encoding=`` overrides detection with any codec Python knows (``gbk``,
``big5``, ``utf-16-le`` …); the file must then decode without error.
"""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path

from . import limits
from .records import LoadError, LoadFailed, Origin

SUPPORTED = "UTF-8 (with or without BOM), UTF-16 with BOM, GBK/GB18030 or Big5"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Bytes looked at to tell GBK from Big5.
_SAMPLE = 1 << 20
#: Codecs used to decode once a family is chosen (the widest member of each family).
_CODEC = {"gbk": "gb18030", "gb2312": "gb18030", "gb18030": "gb18030"}


def _fail(origin: str, reason: str, line: int | None = None) -> LoadFailed:
    return LoadFailed([LoadError(Origin(origin, line, unit="line"), None, reason)])


def _line_of(data: bytes, pos: int) -> int:
    return data.count(b"\n", 0, pos) + 1


def _forced(data: bytes, origin: str, encoding: str) -> tuple[str, str]:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise _fail(origin, f"unknown encoding {encoding!r}") from None
    codec = _CODEC.get(name, name)
    if name in ("utf-8", "utf-8-sig") and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as e:
        bad = data[e.start:e.start + 4].hex(" ")
        raise _fail(origin, f"not valid {encoding} text (bytes {bad})", _line_of(data, e.start)) from None


def _lines(numbers: list[int]) -> str:
    """``[1, 2, 3, 7]`` → ``"1–3, 7"``, at most five ranges."""
    ranges: list[list[int]] = []
    for n in numbers:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1][1] = n
        else:
            ranges.append([n, n])
    text = ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in ranges[:5])
    return text + (" …" if len(ranges) > 5 else "")


#: A line with a non-ASCII character and no undecodable byte (as surrogate escapes): a UTF-8 line.
_UTF8_LINE = re.compile("^[^\n\udc80-\udcff]*[^\x00-\x7f\udc80-\udcff][^\n\udc80-\udcff]*$", re.M)
_BAD_BYTE = re.compile("[\udc80-\udcff]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _mixed(data: bytes, origin: str) -> LoadFailed | None:
    """A file that is not UTF-8 as a whole but has UTF-8 lines: mixed encodings."""
    text = data.decode("utf-8", "surrogateescape")
    if not _UTF8_LINE.search(text):  # the common case (a GBK or Big5 file), found without a loop in Python
        return None
    good: list[int] = []
    bad: list[int] = []
    for i, line in enumerate(text.split("\n"), start=1):
        if line.isascii():
            continue
        (bad if _BAD_BYTE.search(line) else good).append(i)
    if not good or not bad:
        return None

    def lines(numbers: list[int]) -> str:
        return f"line {numbers[0]} is" if len(numbers) == 1 else f"lines {_lines(numbers)} are"

    return _fail(origin, f"mixed text encodings: {lines(good)} UTF-8 but {lines(bad)} not (GBK?); "
                         "save the whole file in one encoding", bad[0])


def _gb_or_big5(data: bytes) -> tuple[float, float, int]:
    """Evidence for GBK (positive) or Big5 (negative), the share of GB2312 characters, and the number of pairs.

    Big5 puts its most common characters at lead bytes A4–AF (kana, Greek and
    empty rows in GB2312) and uses trail bytes 40–7E (never in GB2312); GB2312's
    common characters at lead C9–D7 are rare ones in Big5.
    """
    score = 0.0
    gb2312 = pairs = 0
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b < 0x80 or i + 1 >= n:
            i += 1
            continue
        t = data[i + 1]
        if 0x30 <= t <= 0x39:  # a GB18030 four-byte sequence: never Big5
            score += 5
            i += 4
            continue
        pairs += 1
        i += 2
        if 0xA1 <= b <= 0xF7 and t >= 0xA1:
            gb2312 += 1
        if b < 0xA1:  # GBK extension: not Big5
            score += 3
        elif t < 0xA1 or 0xA4 <= b <= 0xAF:
            score -= 3
        elif 0xC7 <= b <= 0xF7:
            score += 2
        elif 0xB0 <= b <= 0xC6:
            score += 0.5
        elif 0xF8 <= b <= 0xF9:
            score -= 2
    return score, (gb2312 / pairs if pairs else 1.0), pairs


def decode(data: bytes, origin: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` (the contents of file ``origin``) and say which encoding it was in.

    Raises :class:`LoadFailed` (one error naming the file) when the bytes are not
    text in one supported encoding, or when they could be read more than one way.

    >>> decode("企业".encode("gbk"), "x.csv")
    ('企业', 'gbk')
    >>> decode("臺灣企業".encode("big5"), "x.csv")
    ('臺灣企業', 'big5')
    >>> decode(b"\\xef\\xbb\\xbfid", "x.csv")
    ('id', 'utf-8-sig')
    >>> decode(b"\\xff\\xfei\\x00d\\x00", "x.csv")
    ('id', 'utf-16')
    >>> try:
    ...     decode("名称".encode() + b"\\n" + "企业".encode("gbk"), "x.csv")
    ... except LoadFailed as e:
    ...     print(e.errors[0])
    x.csv, line 2: mixed text encodings: line 1 is UTF-8 but line 2 is not (GBK?); save the whole file in one encoding
    """
    if encoding:
        return _forced(data, origin, encoding)
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as e:
                raise _fail(origin, f"starts with a {name.upper()} byte-order mark but is not valid {name.upper()} "
                                    f"(bytes {data[e.start:e.start + 4].hex(' ')})", _line_of(data, e.start)) from None
    if b"\x00" in data:
        raise _fail(origin, f"contains NUL bytes: not a text file, or UTF-16 without a byte-order mark "
                            f"(save as {SUPPORTED})", _line_of(data, data.index(b"\x00")))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        first_bad = e.start
    mixed = _mixed(data, origin)
    if mixed is not None:
        raise mixed
    try:
        gb: str | None = data.decode("gb18030")
    except UnicodeDecodeError as e:
        gb = None
        first_bad = max(first_bad, e.start)  # point at the bytes no supported encoding reads
    big5: str | None = None
    for codec in ("big5", "cp950"):
        try:
            big5 = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _PRIVATE_USE.search(big5):  # user-defined area: not standard Big5 text
            big5 = None
        break
    score, gb2312_share, _pairs = _gb_or_big5(data[:_SAMPLE])  # a byte loop: a sample is plenty
    line = _line_of(data, first_bad)
    not_text = f"not text in {SUPPORTED} (bytes {data[first_bad:first_bad + 4].hex(' ')}); give the encoding"
    if gb is not None and (big5 is None or score >= 1.5):
        if gb2312_share < 0.5:  # mostly rare GBK-only characters: Shift-JIS, Latin-1 or binary read as GBK
            raise _fail(origin, not_text, line)
        return gb, "gbk"
    if big5 is not None and (gb is None or score <= -1.5):
        return big5, "big5"
    if gb is not None and big5 is not None:
        raise _fail(origin, "cannot tell whether the text is GBK or Big5 (too little Chinese text to be sure); "
                            "give the encoding", line)
    raise _fail(origin, not_text, line)


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing what is not a regular file or is larger than ``limits.MAX_FILE_BYTES``.

    The read itself is bounded too, so a file that grows (or lies about its size) cannot exhaust memory.
    """
    origin = str(path)
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise _fail(origin, "not a regular file (a device, pipe or socket cannot be loaded)")
    cap = limits.MAX_FILE_BYTES
    if st.st_size > cap:
        raise _fail(origin, f"file is {limits.size(st.st_size)}, larger than the limit of {limits.size(cap)}")
    with open(path, "rb") as f:
        data = f.read(cap + 1)
    if len(data) > cap:
        raise _fail(origin, f"file is larger than the limit of {limits.size(cap)}")
    return data


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """The text of ``path`` and its encoding (see :func:`decode`); bounded by ``limits.MAX_FILE_BYTES``."""
    return decode(read_bytes(path), str(path), encoding)
