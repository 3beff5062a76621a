from __future__ import annotations

import numpy as np
import pytest

from sources.common.identity import (
    corrupt_check_chars,
    credit_check_char,
    generate_credit_codes,
    generate_id_numbers,
    id_check_char,
    is_valid_credit_code,
    is_valid_id_number,
)


@pytest.mark.parametrize(
    "value",
    ["11010519491231002X", "11010519491231002x", "440524188001010014", "321284198001010017"],
)
def test_known_valid_id_numbers(value: str) -> None:
    assert is_valid_id_number(value)


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310021",  # wrong check digit
        "11010519491331002X",  # month 13
        "11010519491231002",  # too short
        "1101051949123100AX",
        None,
    ],
)
def test_invalid_id_numbers(value: str | None) -> None:
    assert not is_valid_id_number(value)


def test_id_check_char() -> None:
    assert id_check_char("11010519491231002") == "X"
    with pytest.raises(ValueError):
        id_check_char("1101051949123100")


def test_generated_ids_are_valid_and_carry_birth_and_sex() -> None:
    rng = np.random.default_rng(1)
    n = 2_000
    counties = np.array(["321202", "321284", "321281", "320102"])[rng.integers(0, 4, n)]
    births = np.datetime64("1930-01-01") + rng.integers(0, 30_000, n) * np.timedelta64(1, "D")
    male = rng.random(n) < 0.5
    ids = generate_id_numbers(rng, counties, births, male)
    assert all(is_valid_id_number(i) for i in ids)
    assert [i[:6] for i in ids] == counties.tolist()
    assert [i[6:14] for i in ids] == [str(b).replace("-", "") for b in births]
    assert ((np.array([int(i[16]) for i in ids]) % 2 == 1) == male).all()
    bad = corrupt_check_chars(rng, ids)
    assert not any(is_valid_id_number(i) for i in bad)
    assert [b[:17] for b in bad] == [i[:17] for i in ids]


def test_known_credit_codes() -> None:
    assert is_valid_credit_code("91350100M000100Y43")
    assert credit_check_char("91350100M000100Y4") == "3"
    assert not is_valid_credit_code("91350100M000100Y44")
    assert not is_valid_credit_code("91350100M000100I43")  # I is not in the GB 32100 set


def test_generated_social_org_codes() -> None:
    rng = np.random.default_rng(2)
    prefixes = np.array(["51", "52", "53"] * 100)
    counties = np.array(["321200", "321284", "321283"] * 100)
    codes = generate_credit_codes(rng, prefixes, counties)
    assert all(is_valid_credit_code(c) for c in codes)
    assert {c[:2] for c in codes} == {"51", "52", "53"}
    assert all(c[2:8] == county for c, county in zip(codes, counties, strict=True))
    assert all(c[8:10] == "MJ" for c in codes)
