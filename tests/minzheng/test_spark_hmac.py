"""The Spark person_key function: DuckDB's HMAC, and null for every form of a missing value."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

from minzheng.spark_engine import make_hmac


def test_hmac_matches_duckdb_plugin_and_keeps_missing_values_missing() -> None:
    hmac_sha256 = make_hmac(b"test-key")
    out = hmac_sha256(pd.Series(["320123199001011234", None, np.nan, pd.NA], dtype=object))
    expected = hmac.new(b"test-key", b"320123199001011234", hashlib.sha256).hexdigest()
    assert out.iloc[0] == expected
    assert out.iloc[1:].isna().all()
    assert hmac_sha256(pd.Series([np.nan, np.nan])).isna().all()
