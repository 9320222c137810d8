"""Readable reasons for every group, pair and team.

What a facilitator reviews before confirming: the shared working language, stages, the
spread of countries and organisations, the concepts the members' texts share (top TF-IDF
terms present in at least two members' texts), and, member by member, whose challenge their
experience answers and whose experience answers theirs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from peerlearn.matching.composition import common_languages
from peerlearn.matching.features import Profiles
from peerlearn.matching.messages import Message, message
from peerlearn.matching.types import Contribution, Explanation, Peer

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Concepts:
    """TF-IDF term weights of each peer's challenge and experience, fitted on the pool.

    Terms are content words and phrases of the texts: no function word (English, French and
    others) or filler (:mod:`peerlearn.matching.stopwords`), no number, no word shorter
    than three letters, no word found in more than half of a pool's texts (from four texts
    on); a two-word term is kept only where those two words stand together in a text, and
    outranks single words of similar weight.
    """

    terms: NDArray[np.str_]
    challenge: sparse.csr_matrix
    experience: sparse.csr_matrix
    text: str = ""  # every text of the pool, lower case, to check that a phrase occurs

    @classmethod
    def fit(cls, peers: Sequence[Peer]) -> Concepts:
        from sklearn.feature_extraction.text import TfidfVectorizer

        from peerlearn.matching.stopwords import CONCEPT_TOKEN, concept_stop_words

        texts = [p.challenge for p in peers] + [p.experience for p in peers]
        written = sum(1 for t in texts if t.strip())
        vectorizer = TfidfVectorizer(
            ngram_range=(1, 2),
            sublinear_tf=True,
            stop_words=sorted(concept_stop_words()),
            token_pattern=CONCEPT_TOKEN,
            # Empty texts count for nothing: at most half of the written ones.
            max_df=max(2, written // 2) if written >= 4 else 1.0,
        )
        try:
            matrix = sparse.csr_matrix(vectorizer.fit_transform(texts))
            terms = np.asarray(vectorizer.get_feature_names_out(), dtype=str)
        except ValueError:  # no usable word at all
            matrix = sparse.csr_matrix((len(texts), 0))
            terms = np.zeros(0, dtype=str)
        n = len(peers)
        text = "\n".join(" ".join(_WORD.findall(t.casefold())) for t in texts)
        return cls(terms, sparse.csr_matrix(matrix[:n]), sparse.csr_matrix(matrix[n:]), text)

    def shared(self, rows: Sequence[int], limit: int = 5) -> tuple[str, ...]:
        """Terms found in the texts of at least two of ``rows``, strongest first."""
        if not self.terms.size or len(rows) < 2:
            return ()
        sub = self.challenge[list(rows)] + self.experience[list(rows)]
        present = np.asarray((sub > 0).sum(axis=0)).ravel()
        weight = np.asarray(sub.sum(axis=0)).ravel()
        candidates = np.flatnonzero(present >= 2)
        return self._best(candidates, weight, limit)

    def between(self, seeker: int, provider: int, limit: int = 3) -> tuple[str, ...]:
        """Terms of ``seeker``'s challenge that also appear in ``provider``'s experience."""
        if not self.terms.size:
            return ()
        ch = self.challenge[seeker]
        ex = self.experience[provider]
        both = ch.multiply(ex)
        weight = np.asarray(both.todense()).ravel()
        return self._best(np.flatnonzero(weight > 0), weight, limit)

    def _best(
        self, candidates: NDArray[np.int64], weight: NDArray[np.float64], limit: int
    ) -> tuple[str, ...]:
        # A phrase names a concept better than either of its words: it counts double.
        phrase = np.char.count(self.terms[candidates].astype(str), " ") > 0
        ranked = weight[candidates] * np.where(phrase, 2.0, 1.0)
        order = candidates[np.argsort(-ranked, kind="stable")]
        out: list[str] = []
        for t in order:
            term = str(self.terms[t])
            if " " in term and self.text and term not in self.text:
                continue  # two words that never stand together (a stop word was between)
            # A bigram makes its own words redundant, and vice versa.
            if any(term in kept or kept in term for kept in out):
                continue
            out.append(term)
            if len(out) >= limit:
                break
        return tuple(out)


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
    conc = concepts if isinstance(concepts, Concepts) else None
    idx = [int(i) for i in members.tolist()]
    group = [peers[i] for i in idx]
    answers = prof.experience[idx] @ prof.challenge[idx].T  # [a, b]: a's experience, b's need
    np.fill_diagonal(answers, -np.inf)
    contributions = []
    for pos, i in enumerate(idx):
        helps = int(np.argmax(answers[pos])) if len(idx) > 1 else pos
        learns = int(np.argmax(answers[:, pos])) if len(idx) > 1 else pos
        if peers[i].experience:
            seeker = idx[helps]
            terms = conc.between(seeker, i) if conc is not None else ()
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
            provider = idx[learns]
            terms = conc.between(i, provider) if conc is not None else ()
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
    shared = conc.shared(idx) if conc is not None else ()
    reasons = _context(group)
    summary = (
        message(
            "summary.group_common_ground", count=len(group), reasons=reasons[:3], concepts=shared
        )
        if shared
        else message("summary.group", count=len(group), reasons=reasons[:3])
    )
    return Explanation(summary, tuple(reasons), shared, tuple(contributions))


def explain_pair(
    peers: Sequence[Peer], seeker: int, provider: int, score: float, concepts: Concepts | None
) -> Explanation:
    """Which challenge of the seeker the provider's experience answers, and the context."""
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
    if s.country and p.country:
        reasons.append(
            message("reason.countries_pair", seeker_country=s.country, provider_country=p.country)
        )
    if s.theme and s.theme == p.theme:
        reasons.append(message("reason.common_theme", theme=s.theme))
    terms = concepts.between(seeker, provider) if concepts is not None else ()
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
