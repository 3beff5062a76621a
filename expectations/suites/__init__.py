"""Great Expectations suites as code: the raw contracts read off the entity registries
(`raw.py`, one suite per source entity) and the published contract (`published.py`).

Every expectation carries ``meta={"severity": "blocking" | "warning"}``: a blocking failure stops
everything downstream of the checked asset; a warning is shown and counted.

No suite asks for a record version to be unique: exchanges and re-extracted windows send rows again.
Staging judges a repeated (key, version) once, in every versioned entity (rank_versions): identical
content is counted as redelivered, other content is quarantined as a conflicting redelivery.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

import great_expectations as gx

from expectations.suites.raw import raw_suites

SuiteFactory = Callable[[], gx.ExpectationSuite]

# (source, entity) -> the suite guarding that raw entity.
RAW_SUITES: dict[tuple[str, str], SuiteFactory] = raw_suites()


def fingerprint(suite: gx.ExpectationSuite) -> str:
    """What the suite asks, as a hash: a batch that passed one suite is judged again by another."""
    # Without the ids a data context gives expectations once it stores the suite.
    rules = [
        {
            key: value
            for key, value in expectation.configuration.to_json_dict().items()
            if key != "id"
        }
        for expectation in suite.expectations
    ]
    return hashlib.sha256(json.dumps(rules, sort_keys=True).encode()).hexdigest()
