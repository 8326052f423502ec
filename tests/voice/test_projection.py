"""PCA and sparsity-aware projection against Polis's math export and red-dwarf 0.4.0."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.voice.opinion.projection import project
from alliance.voice.opinion.vote_matrix import build_vote_matrix
from tests.voice.conftest import (
    ALL_CONVERSATIONS,
    AUSTRIA,
    BIODIVERSITY,
    BOWLING_GREEN,
    conversation,
    polis_math,
    reddwarf_participants,
    reddwarf_summary,
)


@pytest.mark.parametrize("name", [BIODIVERSITY, AUSTRIA])
def test_pca_equals_polis(name: str) -> None:
    """Polis math-pca2 ``pca``: centre to 1e-9 (after Polis's agree = −1 sign flip), axes up to
    sign with |cos| > 0.9999, comment extremity to 1e-6 (Polis stops its power iteration early).
    """
    math = polis_math(name)
    matrix = build_vote_matrix(conversation(name).votes)
    assert matrix.statement_ids.tolist() == math["tids"]
    ours = project(matrix, moderated_out=matrix.column_mask(math["mod-out"]))
    np.testing.assert_allclose(ours.center, -np.asarray(math["pca"]["center"]), atol=1e-9)
    for axis in range(2):
        theirs = np.asarray(math["pca"]["comps"][axis])
        cosine = abs(theirs @ ours.components[axis]) / np.linalg.norm(theirs)
        assert cosine > 0.9999
    np.testing.assert_allclose(
        ours.statement_extremity, math["pca"]["comment-extremity"], atol=1e-6
    )


@pytest.mark.parametrize("name", ALL_CONVERSATIONS)
def test_pca_equals_reddwarf(name: str) -> None:
    """red-dwarf 0.4.0 (scikit-learn PCA + SparsityAwareScaler): explained variance to 1e-8
    relative; axes up to sign to 2e-5 and participant coordinates to 1e-3 (they are scaled by up to
    √n_statements) — scikit-learn's
    randomized SVD, used by red-dwarf above 500 × 500, is itself only that close to the exact
    axes (see ``test_pca_axes_equal_dense_eigensolver``)."""
    summary = reddwarf_summary(name)
    matrix = build_vote_matrix(conversation(name).votes)
    ours = project(matrix, moderated_out=matrix.column_mask(summary["mod_out_statement_ids"]))
    np.testing.assert_allclose(ours.explained_variance, summary["pca_explained_variance"],
                               rtol=1e-8)
    theirs = np.asarray(summary["pca_components"])
    signs = np.sign(np.sum(theirs * ours.components, axis=1))
    np.testing.assert_allclose(ours.components * signs[:, None], theirs, atol=2e-5)
    coords = reddwarf_participants(name)[["x", "y"]].reindex(matrix.participant_ids)
    np.testing.assert_allclose(ours.participant_xy * signs, coords.to_numpy(), atol=1e-3)


@pytest.mark.parametrize("name", [AUSTRIA, BOWLING_GREEN])
def test_pca_axes_equal_dense_eigensolver(name: str) -> None:
    """LAPACK's dense symmetric eigensolver (numpy.linalg.eigh) on the centred, imputed matrix:
    our iterative axes agree to 1e-8 and the variances to 1e-10 relative."""
    matrix = build_vote_matrix(conversation(name).votes)
    mod_out = matrix.column_mask(conversation(name).moderated_out)
    ours = project(matrix, moderated_out=mod_out)
    seen = matrix.seen | mod_out
    values = np.where(mod_out, 0.0, matrix.votes)
    centred = np.where(seen, values - ours.center, 0.0)
    eigenvalues, vectors = np.linalg.eigh(centred.T @ centred)
    exact = vectors[:, ::-1][:, :2].T
    signs = np.sign(np.sum(exact * ours.components, axis=1))
    np.testing.assert_allclose(ours.components, exact * signs[:, None], atol=1e-8)
    np.testing.assert_allclose(
        ours.explained_variance, eigenvalues[::-1][:2] / (matrix.shape[0] - 1), rtol=1e-10
    )


def test_sparsity_scaling_pushes_light_voters_out() -> None:
    """proj(p) = sqrt(n_statements / n_voted) × centred-row · axes (polis-method.md §1.6)."""
    matrix = build_vote_matrix(conversation(BIODIVERSITY).votes)
    mod_out = matrix.column_mask(polis_math(BIODIVERSITY)["mod-out"])
    ours = project(matrix, moderated_out=mod_out)
    seen = matrix.seen | mod_out
    values = np.where(mod_out, 0.0, matrix.votes)
    centred = np.where(seen, values - ours.center, 0.0)
    factor = np.sqrt(matrix.shape[1] / seen.sum(axis=1))
    np.testing.assert_allclose(
        ours.participant_xy, (centred @ ours.components.T) * factor[:, None], atol=1e-10
    )
