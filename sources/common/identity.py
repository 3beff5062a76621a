"""GB 11643 citizen ID numbers and GB 32100 unified social credit codes."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
ID_CHECK_CHARS = "10X98765432"  # indexed by (weighted sum mod 11)

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 omits I, O, S, V, Z
CREDIT_WEIGHTS = np.array(
    [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28], dtype=np.int64
)
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CHARSET)}

# Second character of a civil-affairs (first character 5) credit code.
SOCIAL_ORG_TYPE_CHAR = {"社会团体": "1", "民办非企业单位": "2", "基金会": "3"}


# --- GB 11643 ---------------------------------------------------------------------------------


def id_check_char(body17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if len(body17) != 17 or not body17.isdigit():
        raise ValueError(f"an ID body is 17 digits, got {body17!r}")
    total = sum(int(c) * int(w) for c, w in zip(body17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def is_valid_id_number(value: str | None) -> bool:
    """Length, digits, a real birth date and the check character.

    The address code is not checked against today's divisions: IDs keep the county of issue,
    so retired codes (a district's code before a change of divisions) stay valid.
    """
    if value is None or len(value) != 18:
        return False
    body, check = value[:17], value[17].upper()
    if not body.isdigit():
        return False
    try:
        date(int(body[6:10]), int(body[10:12]), int(body[12:14]))
    except ValueError:
        return False
    return id_check_char(body) == check


def id_check_chars(bodies: np.ndarray) -> np.ndarray:
    """Vectorised check characters for an array of 17-digit bodies."""
    if len(bodies) == 0:
        return np.array([], dtype="<U1")
    digits = np.asarray(bodies, dtype="S17").view(np.uint8).reshape(-1, 17).astype(np.int64) - 48
    sums = (digits * ID_WEIGHTS).sum(axis=1) % 11
    return np.array(list(ID_CHECK_CHARS))[sums]


def generate_id_numbers(
    rng: np.random.Generator,
    county_codes: np.ndarray,
    birth_dates: np.ndarray,
    male: np.ndarray,
) -> np.ndarray:
    """Valid ID numbers: county code, birth date, a sequence whose parity gives the sex."""
    n = len(county_codes)
    if n == 0:
        return np.array([], dtype="<U18")
    births = pd.DatetimeIndex(np.asarray(birth_dates, dtype="datetime64[D]")).strftime("%Y%m%d")
    seq = rng.integers(0, 500, size=n) * 2 + np.asarray(male, dtype=np.int64)  # odd = male
    seq_txt = np.char.zfill(seq.astype(str), 3)
    bodies = np.char.add(
        np.char.add(np.asarray(county_codes, dtype="<U6"), births.to_numpy(str)), seq_txt
    )
    return np.char.add(bodies, id_check_chars(bodies))


def corrupt_check_chars(rng: np.random.Generator, ids: np.ndarray) -> np.ndarray:
    """The same IDs with a wrong check character (always different from the right one)."""
    ids = np.asarray(ids, dtype="<U18")
    if len(ids) == 0:
        return ids
    chars = np.array(list(ID_CHECK_CHARS))
    lookup = {c: i for i, c in enumerate(ID_CHECK_CHARS)}
    right = np.array([lookup[s[17].upper()] for s in ids.tolist()], dtype=np.int64)
    wrong = chars[(right + rng.integers(1, 11, size=len(ids))) % 11]
    return np.char.add(ids.astype("<U17"), wrong)


# --- GB 32100 ---------------------------------------------------------------------------------


def credit_check_char(body17: str) -> str:
    """The check character for the first 17 characters of a credit code."""
    if len(body17) != 17 or any(c not in _CREDIT_VALUE for c in body17):
        raise ValueError(f"a credit-code body is 17 characters of the GB 32100 set, got {body17!r}")
    total = sum(_CREDIT_VALUE[c] * int(w) for c, w in zip(body17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(value: str | None) -> bool:
    """Charset and check character; the county part is not checked (retired district codes stay)."""
    if value is None or len(value) != 18:
        return False
    value = value.upper()
    if any(c not in _CREDIT_VALUE for c in value):
        return False
    return credit_check_char(value[:17]) == value[17]


def credit_check_chars(bodies: np.ndarray) -> np.ndarray:
    """Vectorised check characters for an array of 17-character bodies."""
    if len(bodies) == 0:
        return np.array([], dtype="<U1")
    lookup = np.full(128, -1, dtype=np.int64)
    for c, v in _CREDIT_VALUE.items():
        lookup[ord(c)] = v
    codes = np.asarray(bodies, dtype="S17").view(np.uint8).reshape(-1, 17)
    values = lookup[codes]
    if (values < 0).any():
        raise ValueError("credit-code bodies hold characters outside the GB 32100 set")
    sums = (values * CREDIT_WEIGHTS).sum(axis=1) % 31
    return np.array(list(CREDIT_CHARSET))[(31 - sums) % 31]


def generate_credit_codes(
    rng: np.random.Generator,
    prefixes: np.ndarray,
    county_codes: np.ndarray,
) -> np.ndarray:
    """Valid credit codes: 2-character prefix (e.g. ``51`` 社团), county code, 9-character body.

    Civil-affairs bodies take the registry's usual ``MJ`` + 7 characters; others are random.
    """
    n = len(county_codes)
    if n == 0:
        return np.array([], dtype="<U18")
    prefixes = np.asarray(prefixes, dtype="<U2")
    charset = np.array(list(CREDIT_CHARSET))
    tail = charset[rng.integers(0, 10, size=(n, 7))]  # digits keep them readable
    tail_txt = np.array(["".join(r) for r in tail.tolist()], dtype="<U7")
    head = np.where(
        np.char.startswith(prefixes, "5"),
        "MJ",
        np.array(["".join(r) for r in charset[rng.integers(0, 31, size=(n, 2))].tolist()]),
    )
    bodies = np.char.add(
        np.char.add(prefixes, np.asarray(county_codes, dtype="<U6")), np.char.add(head, tail_txt)
    )
    return np.char.add(bodies, credit_check_chars(bodies))


def distinct_id_numbers(rng: np.random.Generator, ids: np.ndarray, taken: set[str]) -> np.ndarray:
    """The same people's ID numbers, each clash (with ``taken`` or among themselves) re-drawn with
    a new sequence: county, birth date and sex stay as they were.

    Best effort: a county has 500 sequences per sex and birth date, which a province-sized
    simulation on six county codes can exhaust; clashes left after 50 draws stay.
    """
    ids = np.asarray(ids, dtype="<U18").copy()
    for _ in range(50):
        clash = clashing_ids(ids, taken)
        if not clash.any():
            break
        county = np.array([value[:6] for value in ids[clash]])
        birth = np.array(
            [f"{value[6:10]}-{value[10:12]}-{value[12:14]}" for value in ids[clash]],
            dtype="datetime64[D]",
        )
        male = np.array([int(value[16]) % 2 == 1 for value in ids[clash]])
        ids[clash] = generate_id_numbers(rng, county, birth, male)
    return ids


def clashing_ids(ids: np.ndarray, taken: set[str]) -> np.ndarray:
    """Which IDs are in ``taken`` or repeat an earlier one in ``ids`` (a plain set lookup: pandas'
    ``isin`` on Arrow strings is slow against a large set)."""
    seen: set[str] = set()
    clash = np.zeros(len(ids), dtype=bool)
    for i, value in enumerate(ids.tolist()):
        clash[i] = value in taken or value in seen
        seen.add(value)
    return clash
