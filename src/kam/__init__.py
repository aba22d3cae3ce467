"""kam: key account management.

Classify clients A, B and C by size and potential from a firm's own sales
data, explain each class and each change of class. The pure rules live in
:mod:`kam.domain`; the use cases that read files and run an engine live in
:mod:`kam.services`; this module re-exports the public names of both.

Examples
--------
>>> import kam
>>> [c.abc_class.value for c in kam.classify({"a": 50, "b": 30, "c": 20}, kam.ParetoPolicy())]
['A', 'A', 'B']
"""

from __future__ import annotations

from kam.analytics.sources import ReadOptions, SalesColumns, SourceError
from kam.domain.classes import AbcClass
from kam.domain.computed_abc import ComputedAbc, compute_computed_abc
from kam.domain.concentration import compute_herfindahl_hirschman_index, compute_top_share
from kam.domain.migration import MigrationMatrix, Movement, compute_migration_matrix
from kam.domain.period import Period, parse_period
from kam.domain.policy import CountPolicy, Cutoffs, ParetoPolicy, ThresholdPolicy
from kam.domain.portfolio import Cuts, Labels, PortfolioPosition, place_client
from kam.domain.potential import LookupTable, compute_share_of_wallet
from kam.domain.ranking import ClassifiedClient, RankedClient, classify, rank_clients
from kam.domain.rfm import compute_rfm_score
from kam.domain.scoring import Weights, compute_rank_percentiles
from kam.domain.variability import XyzThresholds, classify_xyz
from kam.services.abc import AbcRequest, PolicySpec, classify_file, compare_file
from kam.services.portfolio import PortfolioRequest, place_portfolio
from kam.services.potential import PotentialRequest, classify_potential
from kam.services.rfm import RfmRequest, score_rfm_file
from kam.services.scoring import ScoreRequest, score_file
from kam.services.variability import XyzRequest, classify_xyz_file

__all__ = [
    "AbcClass",
    "AbcRequest",
    "ClassifiedClient",
    "ComputedAbc",
    "CountPolicy",
    "Cutoffs",
    "Cuts",
    "Labels",
    "LookupTable",
    "MigrationMatrix",
    "Movement",
    "ParetoPolicy",
    "Period",
    "PolicySpec",
    "PortfolioPosition",
    "PortfolioRequest",
    "PotentialRequest",
    "RankedClient",
    "ReadOptions",
    "RfmRequest",
    "SalesColumns",
    "ScoreRequest",
    "SourceError",
    "ThresholdPolicy",
    "Weights",
    "XyzRequest",
    "XyzThresholds",
    "classify",
    "classify_file",
    "classify_potential",
    "classify_xyz",
    "classify_xyz_file",
    "compare_file",
    "compute_computed_abc",
    "compute_herfindahl_hirschman_index",
    "compute_migration_matrix",
    "compute_rank_percentiles",
    "compute_rfm_score",
    "compute_share_of_wallet",
    "compute_top_share",
    "parse_period",
    "place_client",
    "place_portfolio",
    "rank_clients",
    "score_file",
    "score_rfm_file",
]
