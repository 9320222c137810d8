"""Type II learning groups: everyone learns and contributes, groups of 10-12 by default.

Pipeline (see docs/matching.md), one module per stage:

- :mod:`.pool` codes the pool once (organisations, countries, genders, pinned units);
- :mod:`.compartments` splits it into compartments that must stay apart (a working
  language; a reform stage with ``same_stage``), checks each against the counting
  conditions every feasible grouping must meet, and says which rule fails and what
  relaxation works;
- :mod:`.blocking` bisects each compartment recursively along the similarity order of the
  peers' embeddings into blocks of about a dozen groups that still meet those conditions;
- :mod:`.search` assigns a block's peers onto constraint-typed slots with linear-sum
  assignment and improves by swaps and moves under the constraints; :mod:`.solve` runs it
  over the blocks and repairs what stays broken;
- :mod:`.bound` bounds the optimum;
- :mod:`.relaxations` checks, on the final groups, whether each diagnosis's relaxation
  alone would place the left-out peers it is about;
- :mod:`.match` holds the entry points, :func:`match_groups` and :func:`group_by_weights`.
  Small instances are also solved exactly (MILP, :mod:`peerlearn.matching.exact`) to prove
  optimality. :func:`group_by_weights` (weights and sizes, no other rule) follows its
  local search with the iterated tabu search of :mod:`.tabu`, for as long as it is given.
"""

from peerlearn.matching.groups.blocking import (
    BLOCK_GROUPS,
    CENTRE_LEAF,
    DIM_SPLIT,
    TREE_BRANCH,
    TREE_LEAF,
)
from peerlearn.matching.groups.bound import BOUND_CLUSTERS, EXACT_BOUND_LIMIT
from peerlearn.matching.groups.match import (
    BIN_LIMIT,
    EXACT_LIMIT,
    EXACT_SECONDS,
    TABU_STARTS,
    group_by_weights,
    match_groups,
)
from peerlearn.matching.groups.pool import IntArray
from peerlearn.matching.groups.relaxations import RELAXATION_CHECKS, RELAXATION_READS
from peerlearn.matching.groups.solve import RETRY_LIMIT

__all__ = [
    "BIN_LIMIT",
    "BLOCK_GROUPS",
    "BOUND_CLUSTERS",
    "CENTRE_LEAF",
    "DIM_SPLIT",
    "EXACT_BOUND_LIMIT",
    "EXACT_LIMIT",
    "EXACT_SECONDS",
    "RELAXATION_CHECKS",
    "RELAXATION_READS",
    "RETRY_LIMIT",
    "TABU_STARTS",
    "TREE_BRANCH",
    "TREE_LEAF",
    "IntArray",
    "group_by_weights",
    "match_groups",
]
