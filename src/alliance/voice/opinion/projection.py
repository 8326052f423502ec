"""Two-component PCA of the vote matrix and Polis's sparsity-aware participant projection.

What it estimates: the two directions along which participants' (mean-imputed) votes vary
most, and each participant's position on them. This is descriptive geometry, not a test: there
is no null hypothesis and no p-value.

Steps, as in Polis (``math/src/polismath/math/pca.clj``; ``shared/research/polis-method.md``
§1 steps 2 and 4–7):

1. columns of moderated-out statements are set to 0 (a pass) for *every* participant, so their
   mean is 0 and they count as "voted" in step 4;
2. every missing cell is replaced by its column mean over the cast votes;
3. the two leading principal axes of the centred matrix (all participants, clustered or not);
4. ``proj(p) = sqrt(n_statements / max(1, n_voted(p))) · Σ_voted (x_pj − μ_j) c_j``: the
   square-root factor pushes people who voted on few statements away from the centre.

Polis finds the axes by 100 power iterations from a random start; we solve the same eigenproblem
to convergence (block subspace iteration with a Rayleigh–Ritz step, falling back to a dense
eigensolver), so our axes equal Polis's up to sign. Axis signs are arbitrary in PCA; we make the
largest-magnitude loading of each axis positive so results are reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.voice.opinion.vote_matrix import VoteMatrix

N_COMPONENTS = 2


@dataclass(frozen=True)
class Projection:
    """PCA of the vote matrix.

    Attributes
    ----------
    center
        Column means μ (after moderated-out zeroing), one per statement.
    components
        ``(2, n_statements)`` unit principal axes.
    explained_variance
        Variance along each axis (eigenvalues of the covariance, ``n − 1`` denominator).
    participant_xy
        ``(n_participants, 2)`` sparsity-scaled participant coordinates.
    statement_xy
        ``(n_statements, 2)``: where a participant who agreed with only that statement would sit.
    """

    participant_ids: NDArray[np.generic]
    statement_ids: NDArray[np.generic]
    center: NDArray[np.float64]
    components: NDArray[np.float64]
    explained_variance: NDArray[np.float64]
    participant_xy: NDArray[np.float64]
    statement_xy: NDArray[np.float64]

    @property
    def statement_extremity(self) -> NDArray[np.float64]:
        """Polis ``comment-extremity``: distance of each statement's point from the origin."""
        return np.asarray(np.hypot(self.statement_xy[:, 0], self.statement_xy[:, 1]))

    def to_frame(self) -> pd.DataFrame:
        """Participant coordinates ``x``, ``y`` indexed by participant id."""
        return pd.DataFrame(
            self.participant_xy,
            index=pd.Index(self.participant_ids, name="participant_id"),
            columns=pd.Index(["x", "y"]),
        )

    def statements_frame(self) -> pd.DataFrame:
        """Per statement: mean, loadings ``pc1``/``pc2``, projection ``x``/``y``, extremity."""
        return pd.DataFrame(
            {
                "mean": self.center,
                "pc1": self.components[0],
                "pc2": self.components[1],
                "x": self.statement_xy[:, 0],
                "y": self.statement_xy[:, 1],
                "extremity": self.statement_extremity,
            },
            index=pd.Index(self.statement_ids, name="statement_id"),
        )


def _leading_eigenvectors(
    centred: NDArray[np.float64], *, seed: int, tol: float = 1e-10, max_iter: int = 300
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Top-2 eigenpairs of ``centred.T @ centred`` without forming the full decomposition.

    Block subspace iteration on a few extra vectors converges at rate λ_{b+1}/λ_2, which is fast
    for vote matrices; if it has not converged we fall back to ``numpy.linalg.eigh``.
    """
    n_cols = centred.shape[1]
    block = min(n_cols, N_COMPONENTS + 6)
    if n_cols <= 64 or block >= n_cols:
        gram = centred.T @ centred
        values, vectors = np.linalg.eigh(gram)
        top = np.argsort(values)[::-1][:N_COMPONENTS]
        return values[top], vectors[:, top].T
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(rng.standard_normal((n_cols, block)))
    for _ in range(max_iter):
        image = centred.T @ (centred @ basis)
        # Rayleigh–Ritz: the best approximation to the eigenpairs within span(basis).
        values, rotation = np.linalg.eigh(basis.T @ image)
        top = np.argsort(values)[::-1]
        values, rotation = values[top], rotation[:, top]
        ritz = basis @ rotation[:, :N_COMPONENTS]
        residual = image @ rotation[:, :N_COMPONENTS] - ritz * values[:N_COMPONENTS]
        if np.max(np.linalg.norm(residual, axis=0)) <= tol * max(values[0], 1e-300):
            return values[:N_COMPONENTS], ritz.T
        basis, _ = np.linalg.qr(image @ rotation)
    gram = centred.T @ centred
    all_values, vectors = np.linalg.eigh(gram)
    top_idx = np.argsort(all_values)[::-1][:N_COMPONENTS]
    return all_values[top_idx], vectors[:, top_idx].T


def project(matrix: VoteMatrix, *, moderated_out: NDArray[np.bool_], seed: int = 0) -> Projection:
    """Run Polis's PCA and sparsity-aware projection on ``matrix``.

    Parameters
    ----------
    matrix
        The raw vote matrix (all participants).
    moderated_out
        Boolean mask over statements whose columns are zeroed before PCA.
    seed
        Seeds the random start of the iterative eigensolver (the result does not depend on it
        beyond floating-point noise).
    """
    if matrix.shape[1] < N_COMPONENTS or matrix.shape[0] < 2:
        raise ValueError(
            f"PCA needs at least 2 participants and {N_COMPONENTS} statements with votes; "
            f"got {matrix.shape[0]} participants × {matrix.shape[1]} statements"
        )
    # One float working array, updated in place: peak memory stays at one copy of the matrix.
    centred = matrix.votes.astype(np.float64)
    centred[:, moderated_out] = 0.0
    seen = matrix.seen.copy()
    seen[:, moderated_out] = True
    n_seen = seen.sum(axis=0)
    column_sum = centred.sum(axis=0)  # unseen cells hold 0, so they add nothing
    center = np.divide(column_sum, n_seen, out=np.zeros_like(column_sum), where=n_seen > 0)
    # Imputed cells equal the column mean, so after centring they are exactly zero.
    centred -= center
    centred[~seen] = 0.0
    eigenvalues, components = _leading_eigenvectors(centred, seed=seed)
    flip = np.sign(components[np.arange(N_COMPONENTS), np.argmax(np.abs(components), axis=1)])
    components = components * np.where(flip == 0, 1.0, flip)[:, np.newaxis]

    n_statements = matrix.shape[1]
    n_voted = seen.sum(axis=1)
    scale = np.sqrt(n_statements / np.maximum(n_voted, 1))
    participant_xy = (centred @ components.T) * scale[:, np.newaxis]
    # A virtual participant who agreed (+1) with statement j only: one voted cell.
    statement_xy = ((1.0 - center)[:, np.newaxis] * components.T) * np.sqrt(n_statements)
    denominator = max(matrix.shape[0] - 1, 1)
    return Projection(
        participant_ids=matrix.participant_ids,
        statement_ids=matrix.statement_ids,
        center=center,
        components=components,
        explained_variance=np.maximum(eigenvalues, 0.0) / denominator,
        participant_xy=participant_xy,
        statement_xy=statement_xy,
    )
