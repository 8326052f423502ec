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

Memory: the centred float64 matrix is never held whole (it would be 8× the ``int8`` votes and
was the analysis' largest allocation). It is built a slice of rows at a time to accumulate the
Gram matrix ``XᵀX`` over the statements that are not moderated out (or ``XXᵀ`` when there are
far more statements than participants), and the eigenproblem is solved on that; a second pass
over slices projects the participants. On Bowling Green (2,031 × 896, 289 moderated out) the
analysis' working memory (tracemalloc peak) fell from 21 MB to 9 MB, axes unchanged to 1e-9.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from alliance.voice.opinion.vote_matrix import VoteMatrix

N_COMPONENTS = 2
# Cells of the float64 working slice (1 MiB): bounds the analysis' largest temporaries.
_SLICE_CELLS = 1 << 17
_MAX_SLICES = 8
_PANELS = 3  # column panels per Gram update (see _add_lower_gram)
# Largest Gram matrix side solved on the statement side regardless of shape (8 MiB).
_SMALL_GRAM = 1024


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
    gram: NDArray[np.float64], *, seed: int, tol: float = 1e-10, max_iter: int = 300
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Top-2 eigenpairs of the symmetric ``gram`` without forming the full decomposition.

    Block subspace iteration on a few extra vectors converges at rate λ_{b+1}/λ_2, which is fast
    for vote matrices; if it has not converged we fall back to ``numpy.linalg.eigh``.
    """
    size = gram.shape[0]
    block = min(size, N_COMPONENTS + 6)
    if size > 64 and block < size:
        rng = np.random.default_rng(seed)
        basis, _ = np.linalg.qr(rng.standard_normal((size, block)))
        for _ in range(max_iter):
            image = gram @ basis
            # Rayleigh–Ritz: the best approximation to the eigenpairs within span(basis).
            values, rotation = np.linalg.eigh(basis.T @ image)
            top = np.argsort(values)[::-1]
            values, rotation = values[top], rotation[:, top]
            ritz = basis @ rotation[:, :N_COMPONENTS]
            residual = image @ rotation[:, :N_COMPONENTS] - ritz * values[:N_COMPONENTS]
            if np.max(np.linalg.norm(residual, axis=0)) <= tol * max(values[0], 1e-300):
                return values[:N_COMPONENTS], ritz.T
            basis, _ = np.linalg.qr(image @ rotation)
    all_values, vectors = np.linalg.eigh(gram)
    top_idx = np.argsort(all_values)[::-1][:N_COMPONENTS]
    return all_values[top_idx], vectors[:, top_idx].T


def _add_lower_gram(gram: NDArray[np.float64], part: NDArray[np.float64]) -> None:
    """``gram += part.T @ part`` on and below the diagonal, in _PANELS column panels.

    A panel's product is the only temporary (≤ 1/_PANELS of the Gram matrix, not a second
    copy), and skipping the blocks above the diagonal saves about a third of the work.
    """
    size = part.shape[1]
    step = -(-size // _PANELS)
    for start in range(0, size, step):
        gram[start:, start:start + step] += part[:, start:].T @ part[:, start:start + step]


def _mirror_lower(gram: NDArray[np.float64]) -> None:
    """Copy the lower triangle (panel layout of :func:`_add_lower_gram`) to the upper one."""
    step = -(-gram.shape[0] // _PANELS)
    for start in range(0, gram.shape[0], step):
        gram[start:start + step, start + step:] = gram[start + step:, start:start + step].T


class _CentredMatrix:
    """The centred, imputed vote matrix X on its active columns, materialised a slice at a time.

    ``X[i, j] = v_ij − μ_j`` where participant i voted on statement j and 0 elsewhere (an
    imputed cell equals the column mean, so it centres to exactly 0). Moderated-out columns are
    0 throughout, so they are left out (their loadings are exactly 0): on Bowling Green that is
    289 of 896 columns, and the Gram matrix shrinks to (607/896)² of its size. Only the
    ``int8`` votes and ``bool`` seen flags stay resident: a float64 copy of the whole matrix
    would be 8× the votes, the largest allocation of the analysis.
    """

    def __init__(
        self, matrix: VoteMatrix, center: NDArray[np.float64], moderated_out: NDArray[np.bool_]
    ) -> None:
        self.matrix = matrix
        active = np.flatnonzero(~moderated_out)
        # With fewer than two active columns the axes are arbitrary; keep every column so
        # the eigensolver still returns two orthonormal (zero-variance) axes.
        self.active = active if len(active) >= N_COMPONENTS else np.arange(matrix.shape[1])
        self.moderated = moderated_out
        # Every column active: index with slices, which are views rather than copies.
        self.everything = len(self.active) == matrix.shape[1]
        self.negative_center = -center
        # Slices of ~1 MiB, but at most _MAX_SLICES of them: fewer, larger BLAS calls keep
        # threaded BLAS efficient on big matrices (where a slice is then 1/8 of X).
        n_participants, n_active = matrix.shape[0], len(self.active)
        self.rows = max(_SLICE_CELLS // n_active, -(-n_participants // _MAX_SLICES), 1)
        self.cols = max(_SLICE_CELLS // n_participants, -(-n_active // _MAX_SLICES), 1)
        # Reusing one work buffer for every slice avoids allocation churn that the C
        # allocator would otherwise keep as resident, fragmented heap.
        self.buffer = np.empty(max(self.rows * len(self.active), matrix.shape[0] * self.cols))

    def column_range(self, start: int, stop: int) -> slice | NDArray[np.intp]:
        """Active columns ``start:stop`` as an index into the full matrix."""
        return slice(start, stop) if self.everything else self.active[start:stop]

    @property
    def n_active(self) -> int:
        return len(self.active)

    def block(self, rows: slice, columns: slice | NDArray[np.intp]) -> NDArray[np.float64]:
        """X[rows, columns], written into one reused buffer: valid until the next call.

        ``columns`` indexes the full matrix: a slice (a view, no copy) or an index array.
        """
        votes, seen = self.matrix.votes[rows][:, columns], self.matrix.seen[rows][:, columns]
        out = self.buffer[: votes.size].reshape(votes.shape)
        # X = V − S·μ (unseen cells hold vote 0): two plain passes, no masked writes.
        np.multiply(seen, self.negative_center[columns], out=out)
        np.add(out, votes, out=out)
        out[:, self.moderated[columns]] = 0.0  # only when too few columns are active
        return out

    def row_blocks(self) -> Iterator[tuple[slice, NDArray[np.float64]]]:
        for start in range(0, self.matrix.shape[0], self.rows):
            rows = slice(start, start + self.rows)
            yield rows, self.block(rows, self.column_range(0, self.n_active))

    def statement_gram(self) -> NDArray[np.float64]:
        """``X.T @ X`` over the active columns."""
        gram = np.zeros((self.n_active, self.n_active))
        for _, part in self.row_blocks():
            _add_lower_gram(gram, part)
        _mirror_lower(gram)
        return gram

    def participant_gram(self) -> NDArray[np.float64]:
        """``X @ X.T`` (same nonzero eigenvalues as ``X.T @ X``)."""
        n_participants = self.matrix.shape[0]
        gram = np.zeros((n_participants, n_participants))
        for start in range(0, self.n_active, self.cols):
            part = self.block(slice(None), self.column_range(start, start + self.cols))
            _add_lower_gram(gram, part.T)
        _mirror_lower(gram)
        return gram

    def times(self, right: NDArray[np.float64]) -> NDArray[np.float64]:
        """``X @ right`` for ``right`` over the active columns."""
        out = np.empty((self.matrix.shape[0], right.shape[1]))
        for rows, part in self.row_blocks():
            out[rows] = part @ right
        return out

    def transpose_times(self, right: NDArray[np.float64]) -> NDArray[np.float64]:
        """``X.T @ right`` over the active columns."""
        out = np.zeros((self.n_active, right.shape[1]))
        for rows, part in self.row_blocks():
            out += part.T @ right[rows]
        return out

    def axes(self, seed: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Top-2 eigenvalues of ``X.T @ X`` and their unit axes over the active columns.

        Solved on the smaller Gram matrix; the participant side is used only when the statement
        side would be large (wide conversations), mapping eigenvectors u to ``X.T u / ‖X.T u‖``.
        """
        n_participants = self.matrix.shape[0]
        if self.n_active > max(n_participants, _SMALL_GRAM):
            values, vectors = _leading_eigenvectors(self.participant_gram(), seed=seed)
            axes = self.transpose_times(vectors.T)
            norms = np.linalg.norm(axes, axis=0)
            if norms.min() > 1e-12 * max(norms.max(), 1e-300):
                return values, (axes / norms).T
            # A zero-variance second axis has no image under X.T: solve the other side.
        return _leading_eigenvectors(self.statement_gram(), seed=seed)


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
    n_participants, n_statements = matrix.shape
    # Moderated-out columns hold 0 for everyone and count as voted: their mean is 0.
    n_seen = np.where(moderated_out, n_participants, matrix.seen.sum(axis=0))
    column_sum = np.where(moderated_out, 0, matrix.votes.sum(axis=0, dtype=np.int64))
    center = np.divide(
        column_sum, n_seen, out=np.zeros(n_statements), where=n_seen > 0, dtype=np.float64
    )
    centred = _CentredMatrix(matrix, center, moderated_out)
    eigenvalues, active_components = centred.axes(seed)
    components = np.zeros((N_COMPONENTS, n_statements))
    components[:, centred.active] = active_components
    flip = np.sign(components[np.arange(N_COMPONENTS), np.argmax(np.abs(components), axis=1)])
    components = components * np.where(flip == 0, 1.0, flip)[:, np.newaxis]

    unseen_moderated = (~matrix.seen[:, moderated_out]).sum(axis=1)
    n_voted = matrix.seen.sum(axis=1) + unseen_moderated
    scale = np.sqrt(n_statements / np.maximum(n_voted, 1))
    participant_xy = centred.times(components[:, centred.active].T) * scale[:, np.newaxis]
    # A virtual participant who agreed (+1) with statement j only: one voted cell.
    statement_xy = ((1.0 - center)[:, np.newaxis] * components.T) * np.sqrt(n_statements)
    denominator = max(n_participants - 1, 1)
    return Projection(
        participant_ids=matrix.participant_ids,
        statement_ids=matrix.statement_ids,
        center=center,
        components=components,
        explained_variance=np.maximum(eigenvalues, 0.0) / denominator,
        participant_xy=participant_xy,
        statement_xy=statement_xy,
    )
