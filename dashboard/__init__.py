"""Shared core of the SEND demand and capacity dashboard: loading, validation, queries, measures, charts."""
