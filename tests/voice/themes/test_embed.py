"""all-MiniLM-L6-v2 embeddings computed with NumPy, checked against a published reference."""

from __future__ import annotations

import numpy as np
import pytest

from alliance.voice.themes import EMBEDDING_DIMENSION, embed

PARAPHRASES = [
    ("How old are you?", "What is your age?"),
    ("The police should listen to young people.", "Police officers ought to listen to youths."),
    ("We need more youth clubs in the area.", "The area needs more youth clubs."),
    ("Stop and search makes young people distrust the police.",
     "Young people distrust the police because of stop and search."),
]
UNRELATED = [
    ("How old are you?", "We need to find alternatives to poison for pest control."),
    ("The police should listen to young people.",
     "Urban landscaping should prioritise biodiversity."),
    ("I like eating pizza on Sundays.", "The stock market fell sharply today."),
    ("Knife crime is rising in our town.", "My favourite colour is blue."),
]


def test_matches_published_reference_vector() -> None:
    """Reference: Qdrant fastembed, tests/test_text_onnx_embeddings.py, CANONICAL_VECTOR_VALUES
    for "sentence-transformers/all-MiniLM-L6-v2" — the first five numbers of the embedding of
    "hello world" from the ONNX export of the same model (checked there to atol 1e-3)."""
    published = np.array([-0.034478, 0.03102, 0.00673, 0.02611, -0.039362])
    vectors = embed(["hello world", "flag embedding"])
    assert vectors.shape == (2, EMBEDDING_DIMENSION)
    np.testing.assert_allclose(vectors[0, :5], published, atol=2e-5)


def test_matches_published_similarity_matrix() -> None:
    """Reference: the sentence-transformers documentation (index.rst and README, "Usage"):
    ``SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")`` on these three sentences
    gives the cosine similarity matrix [[1, 0.6660, 0.1046], [0.6660, 1, 0.1411],
    [0.1046, 0.1411, 1]] (printed to 4 decimals)."""
    vectors = embed(["The weather is lovely today.", "It's so sunny outside!",
                     "He drove to the stadium."])
    published = np.array([[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]])
    np.testing.assert_allclose(vectors @ vectors.T, published, atol=6e-5)


def test_shape_dtype_unit_norm_and_determinism() -> None:
    texts = [text for pair in PARAPHRASES + UNRELATED for text in pair]
    first = embed(texts)
    assert first.shape == (len(texts), 384)
    assert first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(first, embed(texts))


def test_batching_and_padding_do_not_change_results() -> None:
    """A text's embedding must not depend on which (longer) texts share its padded batch."""
    texts = ["Short.", "A much longer statement about policing, trust and young people in London.",
             "Medium length text here."]
    together = embed(texts, batch_size=3)
    alone = np.vstack([embed([text], batch_size=1) for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_paraphrases_close_and_unrelated_far() -> None:
    for a, b in PARAPHRASES:
        va, vb = embed([a, b])
        assert float(va @ vb) > 0.7, (a, b)
    for a, b in UNRELATED:
        va, vb = embed([a, b])
        assert float(va @ vb) < 0.3, (a, b)


def test_long_text_truncated_at_max_seq_length() -> None:
    """sentence_bert_config.json sets max_seq_length 256: words after token 256 are ignored."""
    body = " ".join(["community"] * 300)
    long_a, long_b = embed([body + " police", body + " rainbow unicorn"])
    np.testing.assert_allclose(long_a, long_b, atol=1e-6)


def test_empty_sequence_gives_empty_matrix() -> None:
    assert embed([]).shape == (0, 384)


@pytest.mark.parametrize(("texts", "error", "match"), [
    ("a single string", TypeError, "not a single str"),
    (["fine", "   "], ValueError, "position 1 is empty"),
    (["fine", None], TypeError, "position 1 is NoneType"),
    (["fine", float("nan")], TypeError, "position 1 is float"),
])
def test_bad_input_named(texts: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        embed(texts)  # type: ignore[arg-type]


def test_bad_batch_size() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        embed(["x"], batch_size=0)
