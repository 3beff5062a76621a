"""Plausible Chinese personal names, drawn in bulk."""

from __future__ import annotations

import numpy as np

# Common surnames in Jiangsu, roughly by frequency.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
_SURNAME_WEIGHTS = 1.0 / np.arange(1, len(_SURNAMES) + 1) ** 0.9

_MALE_CHARS = "伟强磊军勇杰涛斌明超辉刚华建国平亮鹏飞浩宇俊峰波海林东文志成龙春晨阳家兵荣新庆祥德宏"
_FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪梅琳慧颖倩玉兰红凤英萍秀云霞洁琴丹晶月桂珍莉娅华佳欣怡"


def random_names(rng: np.random.Generator, male: np.ndarray) -> np.ndarray:
    """One name per element of ``male``: a surname and one or two given characters."""
    male = np.asarray(male, dtype=bool)
    n = len(male)
    if n == 0:
        return np.array([], dtype="<U4")
    surnames = np.array(list(_SURNAMES))
    p = _SURNAME_WEIGHTS / _SURNAME_WEIGHTS.sum()
    sur = surnames[rng.choice(len(surnames), size=n, p=p)]
    m_chars, f_chars = np.array(list(_MALE_CHARS)), np.array(list(_FEMALE_CHARS))
    first = np.where(
        male, m_chars[rng.integers(0, len(m_chars), n)], f_chars[rng.integers(0, len(f_chars), n)]
    )
    second = np.where(
        male, m_chars[rng.integers(0, len(m_chars), n)], f_chars[rng.integers(0, len(f_chars), n)]
    )
    second = np.where(rng.random(n) < 0.7, second, "")
    return np.char.add(np.char.add(sur, first), second)


def random_mobiles(rng: np.random.Generator, n: int) -> np.ndarray:
    """11-digit mainland mobile numbers."""
    if n == 0:
        return np.array([], dtype="<U11")
    prefixes = np.array(
        [
            "133",
            "135",
            "136",
            "137",
            "138",
            "139",
            "150",
            "151",
            "152",
            "157",
            "158",
            "159",
            "177",
            "180",
            "181",
            "182",
            "187",
            "188",
            "189",
            "199",
        ]
    )
    head = prefixes[rng.integers(0, len(prefixes), n)]
    tail = np.char.zfill(rng.integers(0, 100_000_000, n).astype(str), 8)
    return np.char.add(head, tail)
