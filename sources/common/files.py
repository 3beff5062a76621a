"""Reading source files defensively: encodings, headers, schema drift."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd


class SchemaDriftError(ValueError):
    """A source file's columns differ from the contract; the file is not landed."""

    def __init__(self, path: Path | str, missing: Sequence[str], unexpected: Sequence[str]):
        self.path = Path(path)
        self.missing = list(missing)
        self.unexpected = list(unexpected)
        parts = []
        if self.missing:
            parts.append(f"missing columns {self.missing}")
        if self.unexpected:
            parts.append(f"unexpected columns {self.unexpected}")
        super().__init__(f"schema drift in {self.path.name}: " + "; ".join(parts))


def check_columns(path: Path | str, got: Sequence[str], expected: Sequence[str]) -> None:
    """Raise SchemaDriftError unless ``got`` holds exactly the ``expected`` columns."""
    got_set = set(got)
    missing = [c for c in expected if c not in got_set]
    unexpected = [c for c in got if c not in set(expected)]
    if missing or unexpected or len(got) != len(got_set):
        duplicated = sorted({c for c in got if list(got).count(c) > 1})
        raise SchemaDriftError(path, missing, unexpected + duplicated)


def decode_text(data: bytes, encodings: Sequence[str] = ("utf-8-sig", "gb18030")) -> str:
    """Decode with the first encoding that fits; GB18030 is a superset of GBK."""
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("unknown", data[:1], 0, 1, f"none of {list(encodings)} fits")


def read_text_csv(path: Path, expected: Sequence[str]) -> pd.DataFrame:
    """A CSV as all-text columns (empty cell = null), checked against the contract columns."""
    text = decode_text(Path(path).read_bytes())
    frame = pd.read_csv(
        io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False, encoding=None
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    check_columns(path, list(frame.columns), expected)
    frame = frame[list(expected)].astype(object)
    return frame.where(frame != "", None)
