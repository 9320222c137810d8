"""Iterated tabu search for the pure grouping problem: weights and group sizes, no other rule.

The swap-and-move search of :mod:`.search` stops at the first local optimum. This phase
spends the time the caller gives the way the published methods for the maximally diverse
grouping problem do (iterated maxima search, Lai & Hao 2016; iterated tabu search,
Palubeckis et al. 2015; three-phase search, Yang et al. 2022): a tabu search climbs out of
the local optimum by the best swap (or move, where the sizes allow one) that does not undo
a recent one, even when it loses; when the search stalls, a strong perturbation of the best
grouping by random swaps starts it again elsewhere, stronger each time it found nothing
better. The best grouping found is kept.

Gains are incremental. ``G[i, g]`` is the sum of w(i, j) over the members j of group g, so
swapping i (in A) and j (in B) changes the objective by
``G[i, B] - G[i, A] + G[j, A] - G[j, B] - 2 w(i, j)``: every pair is scored at once in numpy,
O(n^2) per step, and a step updates ``G`` in O(n).

The phase knows none of the platform's rules (languages, countries, organisations, gender,
seniors, pins): only :func:`~peerlearn.matching.groups.group_by_weights`, whose instances
have none, uses it. Every grouping it returns has the sizes of the one it started from, or
sizes within ``[min_size, max_size]`` when moves are allowed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: A stalled tabu search is perturbed after this many steps without a new best, times n.
STALL_STEPS = 4.0
#: Tenure range, as fractions of n: a peer who moved stays put for a random number of
#: steps in this range (at least :data:`MIN_TENURE`).
TENURE = (0.03, 0.05)
MIN_TENURE = 3
#: Random swaps of a strong perturbation, per group (at least two); each perturbation
#: that finds no new best adds as many again, up to a quarter of the peers.
KICKS_PER_GROUP = 1.0
#: Iterations of the tabu search per peer when no time limit is given, capped by
#: :data:`DEFAULT_WORK` / n^2 so large instances stay within seconds.
DEFAULT_STEPS_PER_PEER = 20
DEFAULT_WORK = 2.0e9


@dataclass(frozen=True)
class Outcome:
    """The best grouping found, its objective (unordered pairs) and the work done."""

    assign: IntArray
    objective: float
    steps: int
    kicks: int


def time_up(deadline: float, clock: Callable[[], float] = time.perf_counter) -> Callable[[], bool]:
    """A stop test that says True once ``clock()`` passes ``deadline``.

    >>> stop = time_up(5.0, clock=iter([1.0, 6.0]).__next__)
    >>> stop(), stop()
    (False, True)
    """
    return lambda: clock() > deadline


def default_steps(n: int) -> int:
    """Steps of the tabu search when the caller gives no time: about 20 per peer, fewer on
    large instances, where each step costs O(n^2).

    >>> default_steps(240), default_steps(2000)
    (4800, 500)
    """
    return max(1, min(DEFAULT_STEPS_PER_PEER * n, int(DEFAULT_WORK // max(n * n, 1))))


def _gains(weights: FloatArray, assign: IntArray, k: int) -> FloatArray:
    onehot = np.zeros((assign.size, k))
    onehot[np.arange(assign.size), assign] = 1.0
    return np.asarray(weights @ onehot, dtype=np.float64)


def objective(weights: FloatArray, assign: IntArray, k: int) -> float:
    """Sum of w(i, j) over unordered pairs in the same group.

    >>> w = np.array([[0, 2, 1], [2, 0, 4], [1, 4, 0]], dtype=float)
    >>> objective(w, np.array([0, 1, 1]), 2)
    4.0
    """
    g = _gains(weights, assign, k)
    return float(g[np.arange(assign.size), assign].sum() / 2.0)


def iterated_tabu(
    weights: FloatArray,
    assign: IntArray,
    k: int,
    min_size: int,
    max_size: int,
    stop: Callable[[], bool],
    rng: np.random.Generator,
    max_steps: int | None = None,
) -> Outcome:
    """Improve ``assign`` (k groups, sizes within ``[min_size, max_size]``) until ``stop()``
    says so or ``max_steps`` steps are done; return the best grouping met.

    ``weights`` must be symmetric with a zero diagonal. ``stop`` is asked once per step, so
    a test can stop the search after a fixed number of steps; with the same ``rng`` state
    and the same stopping step the result is the same.

    >>> w = np.array([[0, 9, 1, 1], [9, 0, 1, 1], [1, 1, 0, 9], [1, 1, 9, 0]], dtype=float)
    >>> out = iterated_tabu(w, np.array([0, 1, 0, 1]), 2, 2, 2, lambda: False,
    ...                     np.random.default_rng(0), max_steps=10)
    >>> out.objective, bool(out.assign[0] == out.assign[1])
    (18.0, True)
    """
    n = assign.size
    a = assign.astype(np.int64).copy()
    if n < 3 or k < 2:
        return Outcome(a, objective(weights, a, k), 0, 0)
    rows = np.arange(n)
    size = np.bincount(a, minlength=k)
    moves = min_size < max_size
    g = _gains(weights, a, k)
    obj = float(g[rows, a].sum() / 2.0)
    best, best_obj = a.copy(), obj
    eps = 1e-9 * max(1.0, float(np.abs(weights).sum()))
    free_at = np.zeros(n, dtype=np.int64)  # step from which a peer may move again
    lo = max(MIN_TENURE, int(TENURE[0] * n))
    hi = max(lo + 1, int(TENURE[1] * n))
    stall_limit = max(50, int(STALL_STEPS * n))
    stall = failed = 0
    steps = kicks = 0
    d = np.empty((n, k))
    # Swap gains are scored in single precision (half the memory traffic); the gain of
    # the step taken is recomputed in double precision, so the objective stays exact.
    w2 = (-2.0 * weights).astype(np.float32)
    half = np.empty((n, n), dtype=np.float32)
    delta = np.empty((n, n), dtype=np.float32)
    while (max_steps is None or steps < max_steps) and not stop():
        steps += 1
        # d[i, h]: gain of i leaving its group for group h (minus infinity for its own).
        np.subtract(g, g[rows, a][:, None], out=d)
        d[rows, a] = -np.inf
        # delta[i, j] = d[i, a_j] + d[j, a_i] - 2 w(i, j): gain of swapping i and j. Built in
        # preallocated buffers from a row gather, the fastest access pattern numpy offers.
        np.take(d.T.astype(np.float32), a, axis=0, out=half)
        np.add(half, half.T, out=delta)
        delta += w2
        if moves:
            mv = d.copy()
            mv[(size[a] <= min_size), :] = -np.inf
            mv[:, size >= max_size] = -np.inf
        # Peers who moved recently stay put, unless the step gives a new best (aspiration).
        tabu = np.flatnonzero(free_at > steps)
        aspire = (-1, -np.inf, "swap")
        if tabu.size:
            sub = delta[tabu]
            f = int(np.argmax(sub))
            aspire = (int(tabu[f // n]) * n + f % n, float(sub.flat[f]), "swap")
            delta[tabu, :] = -np.inf
            delta[:, tabu] = -np.inf
            if moves:
                sub_mv = mv[tabu]
                f = int(np.argmax(sub_mv))
                if float(sub_mv.flat[f]) > aspire[1]:
                    aspire = (int(tabu[f // k]) * k + f % k, float(sub_mv.flat[f]), "move")
                mv[tabu, :] = -np.inf
        flat = int(np.argmax(delta))
        gain = float(delta.flat[flat])
        kind = "swap"
        if moves:
            mflat = int(np.argmax(mv))
            if float(mv.flat[mflat]) > gain:
                flat, gain, kind = mflat, float(mv.flat[mflat]), "move"
        if aspire[1] > gain and obj + aspire[1] > best_obj + eps:
            flat, gain, kind = aspire
        if gain == -np.inf:
            free_at[:] = 0  # everything tabu: let the next step choose freely
            continue
        if kind == "swap":
            i, j = divmod(flat, n)
            ga, gb = int(a[i]), int(a[j])
            gain = float(d[i, gb] + d[j, ga] - 2.0 * weights[i, j])
            diff = weights[:, j] - weights[:, i]
            g[:, ga] += diff
            g[:, gb] -= diff
            a[i], a[j] = gb, ga
            free_at[i] = steps + int(rng.integers(lo, hi))
            free_at[j] = steps + int(rng.integers(lo, hi))
        else:
            i, h = divmod(flat, k)
            ga = int(a[i])
            gain = float(d[i, h])
            g[:, ga] -= weights[:, i]
            g[:, h] += weights[:, i]
            size[ga] -= 1
            size[h] += 1
            a[i] = h
            free_at[i] = steps + int(rng.integers(lo, hi))
        obj += gain
        if obj > best_obj + eps:
            best, best_obj = a.copy(), obj
            stall = failed = 0
            continue
        stall += 1
        if stall >= stall_limit:
            # Each perturbation that led to no new best makes the next one stronger, up to
            # a quarter of the peers; then it starts again from the base strength.
            base = max(2, int(KICKS_PER_GROUP * k))
            swaps = base * (1 + failed % max(1, n // (4 * base)))
            failed += 1
            a = _kick(best, swaps, rng)
            size = np.bincount(a, minlength=k)
            g = _gains(weights, a, k)
            obj = float(g[rows, a].sum() / 2.0)
            free_at[:] = 0
            stall = 0
            kicks += 1
    return Outcome(best, objective(weights, best, k), steps, kicks)


def _kick(assign: IntArray, swaps: int, rng: np.random.Generator) -> IntArray:
    """``assign`` after ``swaps`` random swaps (those of peers in different groups change
    it; sizes are unchanged)."""
    a = assign.copy()
    n = a.size
    for _ in range(swaps):
        i, j = (int(x) for x in rng.integers(n, size=2))
        if a[i] != a[j]:
            a[i], a[j] = a[j], a[i]
    return a
