"""The domain: key account concepts as plain typed objects and pure functions.

Imports only the standard library; time and data are passed in, never read.
"""
