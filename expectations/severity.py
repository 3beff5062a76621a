"""Severity of an expectation, kept in its ``meta``."""

BLOCKING = {"severity": "blocking"}
WARNING = {"severity": "warning"}
