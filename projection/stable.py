"""Leslie matrix of the cohort-component kernel, its dominant eigenvalue, intrinsic growth rate and stable
age distribution (female-dominant; optionally the two-sex block matrix with males driven by female births).

The matrix reproduces :func:`projection.core.project` with ASFR fertility exactly (closed population):
``P_female(t+5) = L · P_female(t)``. With 5-year survival ratios ``S(a)`` (``S[n-2]`` and ``S[n-1]`` both into
the open group), annual age-specific fertility rates ``f(a)`` (births of both sexes per woman),
``srb`` boys per girl at birth and ``bs`` the share of female births alive aged 0–4 at the end of the step
(``5L0 / (5·l0)``):

* sub-diagonal ``L[a+1, a] = S(a)`` for a ≤ n-2, and ``L[n-1, n-1] = S(n-1)`` (the open group stays);
* first row ``L[0, a] = 5 · bs/(1+srb) · (f(a) + f(a+1)·S(a)) / 2`` — a woman aged a at t is exposed for half
  the step to f(a) and, if she survives, for half to the rate of the next group (Preston, Heuveline &
  Guillot 2001, eq. 6.5 / Box 6.1; Rodríguez, Pop 502 "Population Projections"); for the open group the
  next group is itself (``f(n-1)·S(n-1)``), which is what the kernel does.

The dominant eigenvalue ``λ`` of a primitive non-negative matrix is real and positive (Perron–Frobenius);
``r = ln(λ) / 5`` is the intrinsic annual growth rate and the matching eigenvector, scaled to sum 1, the
stable age distribution.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from projection.core import FEMALE, STEP_YEARS


def leslie_matrix(survival: np.ndarray, asfr: np.ndarray, *, srb: float | np.ndarray = 1.05,
                  birth_survival: float | np.ndarray = 1.0, male_survival: np.ndarray | None = None,
                  male_birth_survival: float | np.ndarray | None = None) -> np.ndarray:
    """Female-dominant Leslie matrix (see module doc), vectorised over leading axes.

    Inputs: ``survival`` female 5-year survival ratios ``[..., n]``; ``asfr`` annual births per woman
        ``[..., n]``; ``srb`` boys per girl; ``birth_survival`` female ``5L0/(5·l0)``. With ``male_survival``
        ``[..., n]`` the two-sex matrix is returned: ``[..., 2n, 2n]`` with the female block top-left, the male
        births row (female row × srb × male_birth_survival / birth_survival) bottom-left and the male
        survival block bottom-right; order of the state vector: females then males (the order used by
        Preston et al.; note :func:`projection.core.project` keeps males first on its sex axis).
    Output: ``[..., n, n]`` (female) or ``[..., 2n, 2n]`` (two-sex), dimensionless.
    """
    S = np.asarray(survival, dtype=float)
    f = np.asarray(asfr, dtype=float)
    S, f = np.broadcast_arrays(S, f)
    n = S.shape[-1]
    srb = np.asarray(srb, dtype=float)[..., None]
    bs = np.asarray(birth_survival, dtype=float)[..., None]
    nxt = np.concatenate([f[..., 1:], f[..., -1:]], axis=-1)  # the open group's "next" rate is its own
    row = STEP_YEARS * bs / (1.0 + srb) * 0.5 * (f + nxt * S)
    L = np.zeros(S.shape[:-1] + (n, n))
    idx = np.arange(n - 1)
    L[..., idx + 1, idx] = S[..., :-1]
    L[..., n - 1, n - 1] = S[..., -1]
    L[..., 0, :] += row
    if male_survival is None:
        return L
    Sm = np.broadcast_to(np.asarray(male_survival, dtype=float), S.shape)
    bsm = bs if male_birth_survival is None else np.asarray(male_birth_survival, dtype=float)[..., None]
    out = np.zeros(S.shape[:-1] + (2 * n, 2 * n))
    out[..., :n, :n] = L
    out[..., n, :n] = row * srb * bsm / bs
    out[..., n + idx + 1, n + idx] = Sm[..., :-1]
    out[..., 2 * n - 1, 2 * n - 1] = Sm[..., -1]
    return out


@dataclass(frozen=True)
class StableResult:
    """Dominant eigen-solution of Leslie matrices ``[...]``: lam (growth factor per 5-year step), r (intrinsic
    annual growth rate, ``ln(lam)/5``), stable (age distribution ``[..., m]``, sums to 1), nrr (net reproduction
    rate, daughters per woman — female block only)."""

    lam: np.ndarray
    r: np.ndarray
    stable: np.ndarray
    nrr: np.ndarray


def stable_population(leslie: np.ndarray, n_female: int | None = None) -> StableResult:
    """Dominant eigenvalue, intrinsic growth rate and stable distribution of ``leslie`` ``[..., m, m]``.

    The eigenvalue of largest real part is taken (for a primitive Leslie matrix it is the Perron root, real
    and positive). The NRR comes from the female block (the top-left ``n_female`` rows and columns; default
    all ``m`` — pass ``n`` for a two-sex matrix): ``NRR = Σ_a L[0, a]·ℓ(a)`` with ``ℓ(a)`` the product of the
    sub-diagonal up to a and, for the open group, the geometric tail ``1/(1 − S(n-1))``.
    Output: :class:`StableResult`.
    """
    L = np.asarray(leslie, dtype=float)
    vals, vecs = np.linalg.eig(L)
    i = np.argmax(vals.real, axis=-1)
    lam = np.take_along_axis(vals.real, i[..., None], axis=-1)[..., 0]
    vec = np.take_along_axis(vecs.real, i[..., None, None], axis=-1)[..., 0]
    stable = vec / vec.sum(axis=-1, keepdims=True)
    n = L.shape[-1] if n_female is None else int(n_female)
    F = L[..., :n, :n]
    surv = np.concatenate([np.ones(F.shape[:-2] + (1,)),
                           np.cumprod(F[..., np.arange(1, n), np.arange(n - 1)], axis=-1)], axis=-1)
    stay = F[..., n - 1, n - 1]
    surv[..., -1] = surv[..., -1] / np.maximum(1.0 - stay, 1e-12)
    nrr = (F[..., 0, :] * surv).sum(axis=-1)
    return StableResult(lam=lam, r=np.log(lam) / STEP_YEARS, stable=stable, nrr=nrr)


def female_leslie_from_model(survival: np.ndarray, asfr: np.ndarray, srb=1.05, birth_survival=1.0) -> np.ndarray:
    """Female Leslie matrix from the kernel's sex-major arrays: ``survival`` ``[..., 2, n]`` (the female row is
    used), ``asfr`` ``[..., n]``; ``birth_survival`` scalar or ``[..., 2]``. Output ``[..., n, n]``."""
    S = np.asarray(survival, dtype=float)[..., FEMALE, :]
    bs = np.asarray(birth_survival, dtype=float)
    bs = bs[..., FEMALE] if bs.ndim and bs.shape[-1] == 2 else bs
    return leslie_matrix(S, asfr, srb=srb, birth_survival=bs)
