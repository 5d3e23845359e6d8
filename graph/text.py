"""Text normalisation for name lookup: Traditional and Simplified Chinese find the same node."""

from __future__ import annotations

import functools
import unicodedata


@functools.cache
def _t2s():
    import opencc  # loaded on the first name lookup, not at start-up

    return opencc.OpenCC("t2s")


# Quote and dash variants that appear in the same names across sources.
_FOLD = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "—": "-", "–": "-", "－": "-", "·": "·"})


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The key names are matched by: Simplified, width-folded, case-folded, no spaces.

    >>> name_key("雲南裕能 新能源電池") == name_key("云南裕能新能源电池")
    True
    >>> name_key("ＡＢＣ 科技")
    'abc科技'
    """
    s = unicodedata.normalize("NFKC", text).translate(_FOLD)
    s = _t2s().convert(s)
    return "".join(s.split()).casefold()


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese (other text unchanged).

    >>> to_simplified("宇澤半導體")
    '宇泽半导体'
    """
    return _t2s().convert(text)


def name_keys(texts: list[str]) -> list[str]:
    """``[name_key(t) for t in texts]``, converted in one batch (one OpenCC call instead of one per name).

    Lines are joined with a newline, which normalisation, OpenCC phrases and case folding never cross;
    names holding a newline themselves fall back to one call each.

    >>> name_keys(["雲南 裕能", "ＡＢＣ"]) == [name_key("雲南 裕能"), name_key("ＡＢＣ")]
    True
    """
    if any("\n" in t for t in texts):
        return [name_key(t) for t in texts]
    joined = unicodedata.normalize("NFKC", "\n".join(texts)).translate(_FOLD)
    lines = _t2s().convert(joined).casefold().split("\n")
    if len(lines) != len(texts):  # pragma: no cover - defensive
        return [name_key(t) for t in texts]
    return ["".join(s.split()) for s in lines]


#: Head words of Chinese industrial terms that name the same kind of thing: a 涂布机 is 涂布设备 or 涂布装备,
#: 正极材料 is written 正极料. A term ending in the left word is also written with each right word.
_HEAD_VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("装备", ("设备",)),
    ("设备", ("装备",)),
    ("机械", ("设备", "装备")),
    ("机", ("设备", "装备")),
    ("材料", ("料",)),
)


@functools.lru_cache(maxsize=65536)
def term_variants(term: str) -> tuple[str, ...]:
    """The term and its spellings with an equivalent head word (装备/设备/机, 材料/料; stem ≥ 2 characters) and,
    for four Chinese characters, with the two halves joined by 与/及/和.

    >>> term_variants("涂布机")
    ('涂布机', '涂布设备', '涂布装备')
    >>> term_variants("手机"), term_variants("隔膜")
    (('手机',), ('隔膜',))
    >>> term_variants("封装测试")
    ('封装测试', '封装与测试', '封装及测试', '封装和测试')
    >>> term_variants("正极材料")
    ('正极材料', '正极料', '正极与材料', '正极及材料', '正极和材料')
    """
    out = [term]
    for head, others in _HEAD_VARIANTS:
        stem = term[: -len(head)]
        if term.endswith(head) and len(stem) >= 2:
            out += [stem + o for o in others]
            break
    if len(term) == 4 and all("\u4e00" <= ch <= "\u9fff" for ch in term):
        # Two two-character words (封装测试) are often written joined: 封装与测试, 封装及测试, 封装和测试.
        out += [term[:2] + j + term[2:] for j in _JOINERS]
    return tuple(out)


_JOINERS = ("与", "及", "和")
