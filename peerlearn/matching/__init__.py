"""Find and match the right peers: pairs, learning groups and problem-focused teams.

A pure library (no Django): the platform turns its records into :class:`Peer` values, calls
one of the solvers and stores the :class:`MatchResult`. Every result can be verified with the
checkers, independently of the solver that produced it.

    >>> from peerlearn.matching import Peer, GroupRules, match_groups, check_groups
    >>> from peerlearn.matching import TfidfEncoder
    >>> peers = [Peer(str(i), country="KE", languages=("en",), challenge="revenue")
    ...          for i in range(4)]
    >>> res = match_groups(peers, GroupRules(min_size=2, max_size=2), encoder=TfidfEncoder())
    >>> check_groups(peers, res.member_lists(), GroupRules(min_size=2, max_size=2))
    []
"""

from peerlearn.matching.cache import MemoryCache, SqliteCache
from peerlearn.matching.checks import check_groups, check_pairs, check_team
from peerlearn.matching.encoders import (
    CachedEncoder,
    EmbeddingCache,
    Encoder,
    MiniLMEncoder,
    MPNetEncoder,
    TfidfEncoder,
    default_encoder,
    text_key,
)
from peerlearn.matching.features import Profiles, build_profiles, profiles_from_vectors
from peerlearn.matching.groups import group_by_weights, match_groups
from peerlearn.matching.messages import Message
from peerlearn.matching.multilingual import MultilingualEncoder
from peerlearn.matching.pairs import match_pairs
from peerlearn.matching.team import match_team, relevance
from peerlearn.matching.types import (
    Contribution,
    Diagnosis,
    Explanation,
    Group,
    GroupRules,
    MatchResult,
    PairRules,
    Peer,
    ScoreWeights,
    TeamRules,
    Unmatched,
    Violation,
)

__all__ = [
    "CachedEncoder",
    "Contribution",
    "Diagnosis",
    "EmbeddingCache",
    "Encoder",
    "Explanation",
    "Group",
    "GroupRules",
    "MPNetEncoder",
    "MatchResult",
    "MemoryCache",
    "Message",
    "MiniLMEncoder",
    "MultilingualEncoder",
    "PairRules",
    "Peer",
    "Profiles",
    "ScoreWeights",
    "SqliteCache",
    "TeamRules",
    "TfidfEncoder",
    "Unmatched",
    "Violation",
    "build_profiles",
    "check_groups",
    "check_pairs",
    "check_team",
    "default_encoder",
    "group_by_weights",
    "match_groups",
    "match_pairs",
    "match_team",
    "profiles_from_vectors",
    "relevance",
    "text_key",
]
