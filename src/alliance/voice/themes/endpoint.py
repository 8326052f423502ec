"""Sentence embeddings from a model server on the partnership's own network (optional).

Theme finding runs the bundled all-MiniLM-L6-v2 in NumPy and needs nothing else. A partnership
with a local model server (Ollama, Hugging Face text-embeddings-inference, llama.cpp's server,
anything answering the OpenAI-style ``POST /v1/embeddings``) may point
``ALLIANCE_EMBEDDING_URL`` at it, for speed on a large survey. Residents' words are personal
data, so the host must resolve only to loopback, private or link-local addresses: a public
address (a cloud service) is refused before anything is sent.

The server must give the same 384-number vectors as the bundled model; anything else is
refused, naming what came back, rather than mixed into a theme set.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import httpx
import numpy as np

from alliance import config
from alliance.voice.themes.embed import EMBEDDING_DIMENSION, embed

Resolver = Callable[[str], list[str]]


class EmbeddingEndpointError(RuntimeError):
    """The configured endpoint is not local, or did not answer with usable embeddings."""


def _resolve(host: str) -> list[str]:
    try:
        return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})
    except socket.gaierror as exc:
        raise EmbeddingEndpointError(f"the embedding endpoint's host {host!r} cannot be "
                                     f"resolved ({exc})") from exc


def check_local(url: str, *, resolve: Resolver = _resolve) -> None:
    """Raise :class:`EmbeddingEndpointError` unless ``url`` is http(s) on a local network."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise EmbeddingEndpointError(f"ALLIANCE_EMBEDDING_URL {url!r} is not an http(s) URL")
    addresses = resolve(parts.hostname)
    public = [a for a in addresses
              if not (ip := ipaddress.ip_address(a.split("%", 1)[0])).is_loopback
              and not ip.is_private and not ip.is_link_local]
    if not addresses or public:
        raise EmbeddingEndpointError(
            f"ALLIANCE_EMBEDDING_URL host {parts.hostname!r} resolves to a public address "
            f"({', '.join(public) or 'none'}); free text is only sent to a model server on the "
            "partnership's own network. Unset it to use the model bundled with Alliance.")


def embed_via_endpoint(texts: Sequence[str], *, url: str, model: str,
                       client: httpx.Client | None = None, batch_size: int = 64,
                       timeout: float = 120.0, resolve: Resolver = _resolve) -> np.ndarray:
    """Unit-length float32 embeddings (texts × 384) from an OpenAI-style embeddings endpoint.

    Raises
    ------
    EmbeddingEndpointError : the host is not local, the server refused or timed out, or the
        answer is not one finite 384-number vector per text.
    """
    check_local(url, resolve=resolve)
    own = client is None
    http = client or httpx.Client(timeout=timeout)
    out = np.empty((len(texts), EMBEDDING_DIMENSION), dtype=np.float32)
    try:
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start:start + batch_size])
            try:
                response = http.post(url, json={"model": model, "input": batch})
            except httpx.HTTPError as exc:
                raise EmbeddingEndpointError(f"the embedding endpoint {url} did not answer "
                                             f"({type(exc).__name__}: {exc})") from exc
            if response.status_code != 200:
                raise EmbeddingEndpointError(
                    f"the embedding endpoint {url} answered {response.status_code}: "
                    f"{response.text[:200]}")
            out[start:start + len(batch)] = _vectors(response, len(batch), url)
    finally:
        if own:
            http.close()
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    if (norms == 0).any():
        raise EmbeddingEndpointError(f"the embedding endpoint {url} returned a zero vector")
    return out / norms


def _vectors(response: httpx.Response, n: int, url: str) -> np.ndarray:
    try:
        items = response.json()["data"]
        ordered = sorted(items, key=lambda item: int(item.get("index", 0)))
        vectors = np.asarray([item["embedding"] for item in ordered], dtype=np.float32)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EmbeddingEndpointError(f"the embedding endpoint {url} did not answer in the "
                                     f"OpenAI embeddings format ({exc})") from exc
    if vectors.shape != (n, EMBEDDING_DIMENSION) or not np.isfinite(vectors).all():
        raise EmbeddingEndpointError(
            f"the embedding endpoint {url} gave vectors of shape {vectors.shape} for {n} texts; "
            f"themes need one finite {EMBEDDING_DIMENSION}-number vector per text "
            "(all-MiniLM-L6-v2)")
    return vectors


def embed_configured(texts: Sequence[str]) -> np.ndarray:
    """Embeddings from ``ALLIANCE_EMBEDDING_URL`` when it is set, else the bundled model."""
    settings = config.load()
    if settings.embedding_url:
        return embed_via_endpoint(texts, url=settings.embedding_url,
                                  model=settings.embedding_model)
    return embed(texts)
