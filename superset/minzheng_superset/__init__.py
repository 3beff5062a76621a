"""Minzheng Warehouse serving layer on Apache Superset (bootstrap, semantic layer, assets)."""
