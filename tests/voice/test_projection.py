"""PCA and sparsity-aware projection against Polis's math export and red-dwarf 0.4.0."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.voice.opinion.projection import project
from alliance.voice.opinion.vote_matrix import VoteMatrix, build_vote_matrix
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


def _random_matrix(n_participants: int, n_statements: int, seed: int) -> VoteMatrix:
    rng = np.random.default_rng(seed)
    seen = rng.random((n_participants, n_statements)) < 0.4
    seen[:, 0] = True  # every statement and participant has at least one vote
    seen[0, :] = True
    votes = np.where(seen, rng.integers(-1, 2, size=seen.shape), 0).astype(np.int8)
    return VoteMatrix(
        participant_ids=np.arange(n_participants), statement_ids=np.arange(n_statements),
        votes=votes, seen=seen,
    )


def _dense_reference(matrix: VoteMatrix, mod_out: np.ndarray, center: np.ndarray) -> np.ndarray:
    seen = matrix.seen | mod_out
    values = np.where(mod_out, 0.0, matrix.votes)
    return np.where(seen, values - center, 0.0)


def test_wide_conversation_matches_dense_eigensolver() -> None:
    """More statements than participants (and > 1,024 active): solved on the participant-side
    Gram matrix, mapped back to statement axes; same axes, variances and coordinates as LAPACK
    on the dense centred matrix."""
    matrix = _random_matrix(40, 1500, seed=3)
    mod_out = np.zeros(1500, dtype=bool)
    mod_out[::7] = True
    ours = project(matrix, moderated_out=mod_out)
    centred = _dense_reference(matrix, mod_out, ours.center)
    eigenvalues, vectors = np.linalg.eigh(centred.T @ centred)
    exact = vectors[:, ::-1][:, :2].T
    signs = np.sign(np.sum(exact * ours.components, axis=1))
    np.testing.assert_allclose(ours.components, exact * signs[:, None], atol=1e-8)
    assert np.all(ours.components[:, mod_out] == 0.0)
    np.testing.assert_allclose(
        ours.explained_variance, eigenvalues[::-1][:2] / (matrix.shape[0] - 1), rtol=1e-10
    )
    factor = np.sqrt(matrix.shape[1] / (matrix.seen | mod_out).sum(axis=1))
    np.testing.assert_allclose(
        ours.participant_xy, (centred @ ours.components.T) * factor[:, None], atol=1e-10
    )


def test_rank_one_wide_matrix_still_has_two_unit_axes() -> None:
    """Two participants span one direction only: the zero-variance second axis cannot be
    recovered from the participant side, so the statement side is solved instead."""
    matrix = _random_matrix(2, 1100, seed=5)
    ours = project(matrix, moderated_out=np.zeros(1100, dtype=bool))
    assert np.all(np.isfinite(ours.participant_xy))
    np.testing.assert_allclose(np.linalg.norm(ours.components, axis=1), 1.0, atol=1e-12)
    assert abs(ours.components[0] @ ours.components[1]) < 1e-8
    assert ours.explained_variance[1] == pytest.approx(0.0, abs=1e-9)


def test_one_active_statement_gives_finite_map() -> None:
    """All but one statement moderated out: one direction of variance, a finite map."""
    matrix = _random_matrix(30, 12, seed=7)
    mod_out = np.ones(12, dtype=bool)
    mod_out[4] = False
    ours = project(matrix, moderated_out=mod_out)
    assert np.all(np.isfinite(ours.participant_xy))
    centred = _dense_reference(matrix, mod_out, ours.center)
    np.testing.assert_allclose(
        ours.explained_variance[0], (centred[:, 4] ** 2).sum() / 29, rtol=1e-12
    )
    assert ours.explained_variance[1] == pytest.approx(0.0, abs=1e-12)
