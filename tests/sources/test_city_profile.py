"""The simulator's calibration comes from the city profile and refuses one that does not fit."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sources.common import profiles, regions
from sources.elderly_care.params import ElderlyProfile


def _copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "simulation"
    shutil.copytree(profiles.SIMULATION, folder)
    monkeypatch.setattr(profiles, "SIMULATION", folder)
    return folder


def test_every_district_of_the_seed_has_its_calibration() -> None:
    assert list(profiles.PROFILES) == list(regions.COUNTIES)
    shares = sum(profile.population_share for profile in profiles.PROFILES.values())
    assert shares == pytest.approx(1.0)


def _without_the_first_district(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.iloc[1:]


def _with_another_citys_district(frame: pd.DataFrame) -> pd.DataFrame:
    frame.loc[0, "region_code"] = "110101"
    return frame


def _without_a_column(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["visit_rate"])


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_without_the_first_district, r"elderly_care\.csv: rows for .* expected one for each"),
        (_with_another_citys_district, "110101"),
        (_without_a_column, "no column visit_rate"),
    ],
)
def test_a_calibration_that_does_not_fit_the_seeds_is_refused_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Any, message: str
) -> None:
    folder = _copy(tmp_path, monkeypatch)
    frame = pd.read_csv(folder / "elderly_care.csv", dtype=str, keep_default_na=False)
    damage(frame).to_csv(folder / "elderly_care.csv", index=False)
    with pytest.raises(ValueError, match=message):
        profiles.district_table("elderly_care.csv", ElderlyProfile)


def test_retired_codes_follow_the_code_changes_seed() -> None:
    """Rows of the district that took over a retired code, dated before the change, carry the
    retired code at the given share; later rows and other districts never do."""
    (retired, current, year), *_ = regions.code_changes()
    rng = np.random.default_rng(7)
    n = 4000
    codes = pd.Series([current] * n + [regions.COUNTIES[0]] * n).to_numpy(object)
    dated = pd.Series(
        [f"{year - 5}-06-01"] * (n // 2) + [f"{year + 3}-06-01"] * (n // 2) + ["1990-01-01"] * n
    ).to_numpy("datetime64[D]")
    carried = regions.with_retired_codes(rng, codes, dated, 0.5)
    before, after = carried[: n // 2], carried[n // 2 : n]
    assert 0.4 < (before == retired).mean() < 0.6
    assert set(after) == {current}
    if regions.COUNTIES[0] != current:
        assert set(carried[n:]) == {regions.COUNTIES[0]}
