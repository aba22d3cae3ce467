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

import importlib
from typing import TYPE_CHECKING, Any

#: Where each public name lives; imported on first use, so that ``import kam`` stays cheap.
_MODULE_OF: dict[str, str] = {
    "AbcClass": "kam.domain.classes",
    "AbcRequest": "kam.services.abc",
    "ClassifiedClient": "kam.domain.ranking",
    "ComputedAbc": "kam.domain.computed_abc",
    "CountPolicy": "kam.domain.policy",
    "Cutoffs": "kam.domain.policy",
    "Cuts": "kam.domain.portfolio",
    "Labels": "kam.domain.portfolio",
    "LookupTable": "kam.domain.potential",
    "MigrationMatrix": "kam.domain.migration",
    "Movement": "kam.domain.migration",
    "ParetoPolicy": "kam.domain.policy",
    "Period": "kam.domain.period",
    "PolicySpec": "kam.services.abc",
    "PortfolioPosition": "kam.domain.portfolio",
    "PortfolioRequest": "kam.services.portfolio",
    "PotentialRequest": "kam.services.potential",
    "RankedClient": "kam.domain.ranking",
    "ReadOptions": "kam.analytics.sources",
    "RfmRequest": "kam.services.rfm",
    "SalesColumns": "kam.analytics.sources",
    "ScoreRequest": "kam.services.scoring",
    "SourceError": "kam.analytics.sources",
    "ThresholdPolicy": "kam.domain.policy",
    "Weights": "kam.domain.scoring",
    "XyzRequest": "kam.services.variability",
    "XyzThresholds": "kam.domain.variability",
    "classify": "kam.domain.ranking",
    "classify_file": "kam.services.abc",
    "classify_potential": "kam.services.potential",
    "classify_xyz": "kam.domain.variability",
    "classify_xyz_file": "kam.services.variability",
    "compare_file": "kam.services.abc",
    "compute_computed_abc": "kam.domain.computed_abc",
    "compute_herfindahl_hirschman_index": "kam.domain.concentration",
    "compute_migration_matrix": "kam.domain.migration",
    "compute_rank_percentiles": "kam.domain.scoring",
    "compute_rfm_score": "kam.domain.rfm",
    "compute_share_of_wallet": "kam.domain.potential",
    "compute_top_share": "kam.domain.concentration",
    "parse_period": "kam.domain.period",
    "place_client": "kam.domain.portfolio",
    "place_portfolio": "kam.services.portfolio",
    "rank_clients": "kam.domain.ranking",
    "score_file": "kam.services.scoring",
    "score_rfm_file": "kam.services.rfm",
}

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name in _MODULE_OF:
        value = getattr(importlib.import_module(_MODULE_OF[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kam' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULE_OF])


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
