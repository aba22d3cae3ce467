"""Analytics: sales facts to per-client figures and classes, as table expressions.

Every function takes a Narwhals lazy frame and returns one, so the same code
runs on DuckDB and on Spark; :mod:`kam.analytics.engine` chooses the engine.
"""
