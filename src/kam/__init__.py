"""kam: key account management.

Classify clients A, B and C by size and potential from a firm's own sales
data, explain each class and each change of class.
"""

from __future__ import annotations

from kam.domain.classes import AbcClass
from kam.domain.concentration import compute_herfindahl_hirschman_index, compute_top_share
from kam.domain.migration import MigrationMatrix, Movement, compute_migration_matrix
from kam.domain.period import Period, parse_period
from kam.domain.policy import CountPolicy, Cutoffs, ParetoPolicy, ThresholdPolicy
from kam.domain.ranking import ClassifiedClient, RankedClient, classify, rank_clients

__all__ = [
    "AbcClass",
    "ClassifiedClient",
    "CountPolicy",
    "Cutoffs",
    "MigrationMatrix",
    "Movement",
    "ParetoPolicy",
    "Period",
    "RankedClient",
    "ThresholdPolicy",
    "classify",
    "compute_herfindahl_hirschman_index",
    "compute_migration_matrix",
    "compute_top_share",
    "parse_period",
    "rank_clients",
]
