"""Readable reasons for every group, pair and team.

What a facilitator reviews before confirming: the shared working language, stages, the
spread of countries and organisations, the concepts the members' texts share (top TF-IDF
terms present in at least two members' texts), and, member by member, whose challenge their
experience answers and whose experience answers theirs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import cached_property
from pickle import PicklingError

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from peerlearn.matching.composition import common_languages
from peerlearn.matching.features import Profiles
from peerlearn.matching.messages import Message, message
from peerlearn.matching.types import Contribution, Explanation, Peer

logger = logging.getLogger(__name__)

_WORD = re.compile(r"\w+", re.UNICODE)

#: A single word is named only if found in at most this share of the pool's written texts
#: (a word of a fifth of them, "taxpayers" in a pool of revenue officers, names nothing)…
RARE_SHARE = 0.05
#: … or in at most this many (a small pool counts for little).
RARE_TEXTS = 3


@dataclass(frozen=True)
class Concepts:
    """TF-IDF term weights of each peer's challenge and experience, fitted on the pool.

    Terms are content words and phrases of the texts: no function word (English, French,
    Spanish, Russian) or filler (:mod:`peerlearn.matching.stopwords`), no number, no word
    shorter than three letters, no word found in more than half of a pool's texts (from four
    texts on); a two-word term is a phrase of a text only where those two words stand
    together in it, and outranks single words of similar weight.

    A term is *named* (:meth:`shared`, :meth:`between`) only if it means something on its
    own: a phrase both texts contain whose words are not fragments ("performance
    contracts", not "based audit"; :func:`~peerlearn.matching.stopwords.phrase_concept`),
    or a single word that is specific — found in few of the pool's texts (at most
    :data:`RARE_SHARE` of them, or :data:`RARE_TEXTS`) and neither general ("line",
    "country", "documents") nor a fragment ("based", "outside", "share"; :func:`~peerlearn.
    matching.stopwords.lone_concept`). Texts that share nothing specific share no named
    concept, and the explanation says so in other words.

    Every lookup reads the compressed rows directly (cost in the row's terms, not in the
    vocabulary), and :meth:`shared_many` and :meth:`between_many` serve many groups or
    pairs with a few sparse products, so explaining 100,000 peers takes seconds.

    >>> conc = Concepts.fit_texts(
    ...     ["Cascading performance contracts to front-line staff.",
    ...      "Taxpayers based outside the capital and the management of ghost workers."],
    ...     ["Performance contracts signed by every director; a confidential reporting line.",
    ...      "We removed ghost workers from the payroll; taxpayers based outside pay online."])
    >>> conc.between(0, 0), conc.between(1, 1)
    (('performance contracts',), ('ghost workers', 'taxpayers'))
    >>> conc.between(0, 1), conc.between(1, 0)
    ((), ())
    """

    terms: NDArray[np.str_]
    challenge: sparse.csr_matrix
    experience: sparse.csr_matrix
    phrase: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: The terms that may be named by how many texts hold them: every phrase, and the
    #: words found in few of the pool's texts.
    rare: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @classmethod
    def fit(cls, peers: Sequence[Peer]) -> Concepts:
        return cls.fit_texts([p.challenge for p in peers], [p.experience for p in peers])

    @classmethod
    def fit_texts(cls, challenges: Sequence[str], experiences: Sequence[str]) -> Concepts:
        """The concepts of peers given by their challenges and experiences (in one order)."""
        from peerlearn.matching.encoders import fit_tfidf
        from peerlearn.matching.stopwords import CONCEPT_TOKEN, concept_stop_words

        texts = [*challenges, *experiences]
        written = sum(1 for t in texts if t.strip())
        try:
            matrix, terms = fit_tfidf(
                texts,
                # Empty texts count for nothing: at most half of the written ones.
                max_df=max(2, written // 2) if written >= 4 else None,
                ngram_range=(1, 2),
                stop_words=sorted(concept_stop_words()),
                token_pattern=CONCEPT_TOKEN,
                side_by_side=True,
            )
        except ValueError:  # no usable word at all
            matrix = sparse.csr_matrix((len(texts), 0))
            terms = np.zeros(0, dtype=str)
        n = len(challenges)
        phrase = np.char.find(terms, " ") >= 0 if terms.size else np.zeros(0, dtype=bool)
        found_in = np.bincount(matrix.indices, minlength=terms.size)
        rare = phrase | (found_in <= max(RARE_TEXTS, RARE_SHARE * written))
        return cls(
            terms, sparse.csr_matrix(matrix[:n]), sparse.csr_matrix(matrix[n:]), phrase, rare
        )

    def shared(self, rows: Sequence[int], limit: int = 5) -> tuple[str, ...]:
        """Terms found in the texts of at least two of ``rows``, strongest first."""
        return self.shared_many([rows], limit)[0]

    def shared_many(self, groups: Sequence[Sequence[int]], limit: int = 5) -> list[tuple[str, ...]]:
        """:meth:`shared` for each of ``groups``, with two sparse products for them all."""
        out: list[tuple[str, ...]] = [() for _ in groups]
        todo = [g for g, rows in enumerate(groups) if len(rows) >= 2]
        if not self.terms.size or not todo:
            return out
        # Membership of each group's rows, in the order given: the products add a group's
        # rows in that order, as a sum over the group's own rows would.
        cols = np.concatenate([np.asarray(groups[g], dtype=np.int64) for g in todo])
        lengths = np.array([len(groups[g]) for g in todo], dtype=np.int64)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        member = sparse.csr_matrix(
            (np.ones(cols.size), cols, indptr), shape=(len(todo), self.challenge.shape[0])
        )
        both = (self.challenge + self.experience).tocsr()
        present = member @ (both > 0).astype(np.float64)
        weight = member @ both
        present.sort_indices()
        weight.sort_indices()
        # Terms in two or more of a group's texts, each with its summed weight (found by
        # (group, term) in the weights' entries, which hold every present entry).
        two = present.data >= 2
        rows = np.repeat(np.arange(len(todo)), np.diff(present.indptr))[two]
        cands = present.indices[two]
        width = np.int64(self.terms.size)
        w_keys = np.repeat(np.arange(len(todo)), np.diff(weight.indptr)) * width + weight.indices
        at = np.searchsorted(w_keys, rows * width + cands)
        best = self._best_rows(rows, cands, weight.data[at], len(todo), limit)
        for pos, g in enumerate(todo):
            out[g] = best[pos]
        return out

    def between(self, seeker: int, provider: int, limit: int = 3) -> tuple[str, ...]:
        """Terms of ``seeker``'s challenge that also appear in ``provider``'s experience."""
        return self.between_many([(seeker, provider)], limit)[0]

    def between_many(
        self, pairs: Sequence[tuple[int, int]], limit: int = 3, chunk: int = 20_000
    ) -> list[tuple[str, ...]]:
        """:meth:`between` for each (seeker, provider) of ``pairs``, a chunk at a time."""
        out: list[tuple[str, ...]] = []
        if not self.terms.size:
            return [() for _ in pairs]
        for start in range(0, len(pairs), chunk):
            part = np.asarray(pairs[start : start + chunk], dtype=np.int64).reshape(-1, 2)
            both = self.challenge[part[:, 0]].multiply(self.experience[part[:, 1]]).tocsr()
            both.sort_indices()
            rows = np.repeat(np.arange(part.shape[0]), np.diff(both.indptr))
            keep = both.data > 0
            out.extend(
                self._best_rows(
                    rows[keep], both.indices[keep], both.data[keep], part.shape[0], limit
                )
            )
        return out

    def _best_rows(
        self,
        rows: NDArray[np.int64],
        candidates: NDArray[np.int32],
        weight: NDArray[np.float64],
        count: int,
        limit: int,
    ) -> list[tuple[str, ...]]:
        """The ``limit`` strongest terms worth naming of each of rows 0..count-1, where
        entry e is a candidate of row ``rows[e]`` (ascending; a row's candidates in
        ascending term numbers) of weight ``weight[e]``. One sort ranks every row's
        candidates, and only each row's strongest few are then read."""
        out: list[tuple[str, ...]] = [() for _ in range(count)]
        # Only phrases and rare words may be named: the others are not ranked at all.
        named = self.rare[candidates]
        rows, candidates, weight = rows[named], candidates[named], weight[named]
        if not candidates.size:
            return out
        # A phrase names a concept better than either of its words: it counts double.
        ranked = weight * np.where(self.phrase[candidates], 2.0, 1.0)
        order = np.lexsort((-ranked, rows))  # by row, strongest first, ties by term number
        rows, candidates = rows[order], candidates[order]
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        ends = np.r_[starts[1:], rows.size]
        terms, phrase = self._lists
        ranked_terms = candidates.tolist()
        for r, lo, hi in zip(rows[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
            out[r] = self._pick(ranked_terms[lo:hi], terms, phrase, limit)
        return out

    @cached_property
    def _lists(self) -> tuple[list[str], list[bool]]:
        """The terms and which are phrases, as Python lists (read term by term)."""
        return self.terms.tolist(), self.phrase.tolist()

    @cached_property
    def _meaningful(self) -> dict[int, bool]:
        """Whether each term looked at so far means something on its own (see the class's
        documentation), decided once per term when first a candidate."""
        return {}

    def _pick(
        self, order: list[int], terms: list[str], phrase: list[bool], limit: int
    ) -> tuple[str, ...]:
        """The first ``limit`` terms of ``order`` (strongest first) worth naming."""
        from peerlearn.matching.stopwords import lone_concept, phrase_concept

        meaningful = self._meaningful
        out: list[str] = []
        for t in order:
            term = terms[t]
            ok = meaningful.get(t)
            if ok is None:
                ok = meaningful[t] = phrase_concept(term) if phrase[t] else lone_concept(term)
            if not ok:
                continue  # a fragment ("based audit") or a general word ("line")
            # A bigram makes its own words redundant, and vice versa.
            if any(term in kept or kept in term for kept in out):
                continue
            out.append(term)
            if len(out) >= limit:
                break
        return tuple(out)


def concepts_beside(
    peers: Sequence[Peer], enabled: bool = True, beside: Executor | None = None
) -> Callable[[], Concepts | None]:
    """A function giving the pool's :class:`Concepts` (None when not ``enabled``). Given a
    ``beside`` process (:func:`peerlearn.matching.beside.second_process`), they are fitted
    there while this one encodes and groups (tokenising every text of 100,000 peers takes
    several seconds, and grouping does not need them); otherwise when first asked for.
    The result is the same either way; a process that fails is replaced by fitting here."""
    if not enabled:
        return lambda: None
    if beside is None:
        return lambda: Concepts.fit(peers)
    challenges = [p.challenge for p in peers]
    experiences = [p.experience for p in peers]
    future: Future[Concepts] | None = None
    try:
        future = beside.submit(Concepts.fit_texts, challenges, experiences)
    except (BrokenProcessPool, OSError, RuntimeError) as exc:
        logger.warning("concepts fitted in this process: the second one failed (%s)", exc)

    def result() -> Concepts:
        if future is not None:
            try:
                return future.result()
            except (BrokenProcessPool, OSError, PicklingError, RuntimeError) as exc:
                logger.warning("concepts fitted in this process: the second one failed (%s)", exc)
        return Concepts.fit_texts(challenges, experiences)

    return result


def snippet(text: str, words: int = 10) -> str:
    """The first few words of a text, for quoting it in a reason."""
    tokens = text.split()
    short = " ".join(tokens[:words])
    return short + ("…" if len(tokens) > words else "")


def _context(members: Sequence[Peer]) -> list[Message]:
    reasons = []
    langs = sorted(common_languages(members))
    if langs:
        reasons.append(message("reason.shared_language", languages=langs))
    else:
        reasons.append(message("reason.no_shared_language"))
    stages = sorted({p.reform_stage for p in members})
    if len(stages) == 1:
        reasons.append(message("reason.same_stage", stage=stages[0]))
    else:
        reasons.append(message("reason.stage_range", low=stages[0], high=stages[-1]))
    countries = sorted({p.country for p in members if p.country})
    if countries:
        reasons.append(message("reason.countries", count=len(countries), countries=countries))
    orgs = {p.organisation for p in members if p.organisation}
    if orgs:
        reasons.append(message("reason.organisations", count=len(orgs)))
    seniors = sum(p.is_senior for p in members)
    if seniors:
        reasons.append(message("reason.seniors", count=seniors))
    themes = sorted({p.theme for p in members if p.theme})
    if len(themes) == 1:
        reasons.append(message("reason.common_theme", theme=themes[0]))
    return reasons


def explain_group(
    peers: Sequence[Peer], members: NDArray[np.int64], prof: Profiles, concepts: object | None
) -> Explanation:
    """Why these peers belong together, and what each brings and seeks."""
    return explain_groups(peers, [members], prof, concepts)[0]


def explain_groups(
    peers: Sequence[Peer],
    groups: Sequence[NDArray[np.int64]],
    prof: Profiles,
    concepts: object | None,
) -> list[Explanation]:
    """:func:`explain_group` for each of ``groups``; the concepts of every group and every
    member are looked up together (see :meth:`Concepts.between_many`)."""
    conc = concepts if isinstance(concepts, Concepts) else None
    members = [[int(i) for i in g.tolist()] for g in groups]
    # Each member's partner in the group: whose challenge their experience answers best
    # (``helps``), and whose experience answers theirs (``learns``).
    partners: list[list[tuple[int, int]]] = []
    pairs: list[tuple[int, int]] = []
    for idx in members:
        answers = prof.experience[idx] @ prof.challenge[idx].T  # [a, b]: a's experience, b's need
        np.fill_diagonal(answers, -np.inf)
        if len(idx) > 1:
            helps, learns = np.argmax(answers, axis=1), np.argmax(answers, axis=0)
            rows = [
                (idx[h], idx[lr]) for h, lr in zip(helps.tolist(), learns.tolist(), strict=True)
            ]
        else:
            rows = [(idx[0], idx[0])]
        partners.append(rows)
        for i, (seeker, provider) in zip(idx, rows, strict=True):
            if peers[i].experience:
                pairs.append((seeker, i))
            if peers[i].challenge:
                pairs.append((i, provider))
    found = iter(conc.between_many(pairs) if conc is not None else [() for _ in pairs])
    shared_terms = conc.shared_many(members) if conc is not None else [() for _ in members]
    out = []
    for idx, rows, shared in zip(members, partners, shared_terms, strict=True):
        contributions = []
        for i, (seeker, provider) in zip(idx, rows, strict=True):
            if peers[i].experience:
                terms = next(found)
                brings = (
                    message("brings.answers_on", peer=peers[seeker].id, concepts=terms)
                    if terms
                    else message(
                        "brings.answers_quote",
                        peer=peers[seeker].id,
                        challenge=snippet(peers[seeker].challenge),
                    )
                )
            else:
                brings = message("brings.perspective")
            if peers[i].challenge:
                terms = next(found)
                seeks = (
                    message("seeks.learns_on", peer=peers[provider].id, concepts=terms)
                    if terms
                    else message(
                        "seeks.learns_quote",
                        peer=peers[provider].id,
                        challenge=snippet(peers[i].challenge),
                    )
                )
            else:
                seeks = message("seeks.no_challenge")
            contributions.append(Contribution(peers[i].id, brings, seeks))
        group = [peers[i] for i in idx]
        reasons = _context(group)
        summary = (
            message(
                "summary.group_common_ground",
                count=len(group),
                reasons=reasons[:3],
                concepts=shared,
            )
            if shared
            else message("summary.group", count=len(group), reasons=reasons[:3])
        )
        out.append(Explanation(summary, tuple(reasons), shared, tuple(contributions)))
    return out


def explain_pair(
    peers: Sequence[Peer], seeker: int, provider: int, terms: tuple[str, ...]
) -> Explanation:
    """Which challenge of the seeker the provider's experience answers, and the context;
    ``terms`` are the concepts they share (:meth:`Concepts.between_many`)."""
    s, p = peers[seeker], peers[provider]
    reasons = []
    langs = sorted(set(s.languages) & set(p.languages))
    if langs:
        reasons.append(message("reason.shared_language", languages=langs))
    if s.reform_stage == p.reform_stage:
        reasons.append(message("reason.both_at_stage", stage=s.reform_stage))
    elif p.reform_stage > s.reform_stage:
        reasons.append(
            message(
                "reason.further_along",
                provider=p.id,
                seeker=s.id,
                provider_stage=p.reform_stage,
                seeker_stage=s.reform_stage,
            )
        )
    if s.country and s.country == p.country:
        reasons.append(message("reason.same_country", country=s.country))
    elif s.country and p.country:
        reasons.append(
            message("reason.countries_pair", seeker_country=s.country, provider_country=p.country)
        )
    if s.theme and s.theme == p.theme:
        reasons.append(message("reason.common_theme", theme=s.theme))
    reasons.insert(
        0,
        message(
            "reason.experience_answers",
            provider=p.id,
            seeker=s.id,
            experience=snippet(p.experience),
            challenge=snippet(s.challenge),
        ),
    )
    summary = (
        message("summary.pair_on", provider=p.id, seeker=s.id, concepts=terms)
        if terms
        else message("summary.pair", provider=p.id, seeker=s.id)
    )
    contributions = (
        Contribution(s.id, message("brings.own_context"), message("seeks.learns_from", peer=p.id)),
        Contribution(
            p.id,
            message("brings.experience", experience=snippet(p.experience, 16)),
            message("seeks.insight", peer=s.id),
        ),
    )
    return Explanation(summary, tuple(reasons), terms, contributions)


def explain_team(
    peers: Sequence[Peer],
    members: Sequence[int],
    problem: str,
    relevance: NDArray[np.float32],
    problem_terms: set[str],
) -> Explanation:
    """How each member's experience or situation bears on the named problem."""
    group = [peers[i] for i in members]
    reasons = _context(group)
    contributions = []
    for pos, i in enumerate(members):
        words = {
            w.casefold() for w in _WORD.findall(peers[i].experience + " " + peers[i].challenge)
        }
        overlap = sorted(problem_terms & words)[:4]
        score = round(float(relevance[pos]), 6)
        experience = snippet(peers[i].experience)
        brings = (
            message("brings.team_mentions", experience=experience, relevance=score, terms=overlap)
            if overlap
            else message("brings.team", experience=experience, relevance=score)
        )
        contributions.append(
            Contribution(
                peers[i].id,
                brings,
                message("seeks.works_on", challenge=snippet(peers[i].challenge)),
            )
        )
    orgs = sorted({p.organisation for p in group if p.organisation})
    summary = message(
        "summary.team", size=len(group), problem=snippet(problem, 14), organisations=len(orgs)
    )
    return Explanation(
        summary, tuple(reasons), tuple(sorted(problem_terms)[:5]), tuple(contributions)
    )
