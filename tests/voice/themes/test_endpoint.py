"""The optional local embeddings endpoint: OpenAI-style answers through ``httpx.MockTransport``
(recorded shape of Ollama's and text-embeddings-inference's ``/v1/embeddings``), the
local-network rule, and every way an answer can be unusable."""

from __future__ import annotations

import json

import httpx
import numpy as np
import pandas as pd
import pytest

from alliance.voice.themes import endpoint
from alliance.voice.themes.embed import embed
from alliance.voice.themes.endpoint import (
    EmbeddingEndpointError,
    check_local,
    embed_configured,
    embed_via_endpoint,
)
from alliance.voice.themes.find import find_themes

URL = "http://embeddings.internal:11434/v1/embeddings"
TEXTS = ["Too many knives on the estate after dark.",
         "Youth clubs closed and there is nothing to do in the evenings.",
         "Police should walk the high street more often.",
         "We need more youth workers in the parks.",
         "Knife arches at the school gates make people feel safer.",
         "Street lighting is poor by the station at night."]


def private(host: str) -> list[str]:
    return {"embeddings.internal": ["10.20.0.7"], "localhost": ["127.0.0.1", "::1"],
            "gpu.lan": ["fe80::1%eth0"]}.get(host, ["93.184.216.34"])


def server(vectors: np.ndarray, seen: list[dict[str, object]] | None = None,
           *, shuffle: bool = False) -> httpx.Client:
    """A model server answering like Ollama's OpenAI-compatible endpoint."""
    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if seen is not None:
            seen.append(body)
        start = sum(len(b["input"]) for b in (seen or [])[:-1]) if seen is not None else 0
        data = [{"object": "embedding", "index": i,
                 "embedding": vectors[start + i].tolist()} for i in range(len(body["input"]))]
        if shuffle:
            data.reverse()  # servers may answer out of order; "index" says which is which
        return httpx.Response(200, json={"object": "list", "model": body["model"],
                                         "data": data})

    return httpx.Client(transport=httpx.MockTransport(answer))


def test_vectors_come_back_in_order_normalised_and_batched() -> None:
    vectors = np.random.default_rng(3).normal(size=(len(TEXTS), 384)).astype(np.float32)
    seen: list[dict[str, object]] = []
    got = embed_via_endpoint(TEXTS, url=URL, model="all-minilm", batch_size=4,
                             client=server(vectors, seen, shuffle=True), resolve=private)
    assert [len(b["input"]) for b in seen] == [4, 2]  # type: ignore[arg-type]
    assert {b["model"] for b in seen} == {"all-minilm"}
    expected = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


@pytest.mark.parametrize("url", [URL, "http://localhost:8080/embed",
                                 "https://gpu.lan/v1/embeddings"])
def test_local_hosts_are_accepted(url: str) -> None:
    check_local(url, resolve=private)


@pytest.mark.parametrize(("url", "needle"), [
    ("https://api.example.com/v1/embeddings", "public address"),
    ("ftp://localhost/embeddings", r"not an http\(s\) URL"),
    ("embeddings.internal/v1", r"not an http\(s\) URL"),
])
def test_a_cloud_or_malformed_endpoint_is_refused_before_sending(url: str, needle: str) -> None:
    sent: list[httpx.Request] = []
    client = httpx.Client(transport=httpx.MockTransport(
        lambda r: sent.append(r) or httpx.Response(500)))  # type: ignore[func-returns-value]
    with pytest.raises(EmbeddingEndpointError, match=needle):
        embed_via_endpoint(TEXTS, url=url, model="m", client=client, resolve=private)
    assert sent == []  # nothing left the machine


@pytest.mark.parametrize(("answer", "needle"), [
    (httpx.Response(404, text="model 'all-minilm' not found"), "answered 404: model"),
    (httpx.Response(200, text="<html>proxy login</html>"), "OpenAI embeddings format"),
    (httpx.Response(200, json={"data": [{"embedding": [0.1] * 768, "index": 0}]}),
     "shape"),
    (httpx.Response(200, content=('{"data": [{"index": 0, "embedding": ['
                                  + ", ".join(["NaN"] * 384) + "]}]}").encode()),
     "finite"),
    (httpx.Response(200, json={"data": [{"embedding": [0.0] * 384, "index": 0}]}),
     "zero vector"),
])
def test_unusable_answers_are_refused_with_what_came_back(answer: httpx.Response,
                                                         needle: str) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda r: answer))
    with pytest.raises(EmbeddingEndpointError, match=needle):
        embed_via_endpoint(TEXTS[:1], url=URL, model="m", client=client, resolve=private)


def test_a_server_that_does_not_answer_is_named() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = httpx.Client(transport=httpx.MockTransport(down))
    with pytest.raises(EmbeddingEndpointError, match=r"embeddings.internal.*did not answer"):
        embed_via_endpoint(TEXTS, url=URL, model="m", client=client, resolve=private)


def test_unset_means_the_bundled_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ALLIANCE_EMBEDDING_URL", raising=False)
    np.testing.assert_array_equal(embed_configured(TEXTS[:2]), embed(TEXTS[:2]))


def test_find_themes_uses_the_configured_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """A server giving the bundled model's vectors (as one serving all-MiniLM-L6-v2 does)
    gives the same themes as the bundled model."""
    local = embed(TEXTS)
    calls: list[dict[str, object]] = []
    monkeypatch.setenv("ALLIANCE_EMBEDDING_URL", URL)
    real = endpoint.embed_via_endpoint

    def through_mock(texts, **options):  # type: ignore[no-untyped-def]
        return real(texts, **options, client=server(local, calls), resolve=private)

    monkeypatch.setattr(endpoint, "embed_via_endpoint", through_mock)
    via_server = find_themes(TEXTS, n_themes=2, min_size=2)
    assert calls and calls[0]["input"] == TEXTS
    monkeypatch.delenv("ALLIANCE_EMBEDDING_URL")
    bundled = find_themes(TEXTS, n_themes=2, min_size=2)
    served, local_themes = via_server.assignments(), bundled.assignments()
    exact = ["text_id", "theme", "label", "own_theme", "recoded"]
    pd.testing.assert_frame_equal(served[exact], local_themes[exact])
    # The served vectors went through float32 JSON and were normalised again, and the
    # similarities come from BLAS, whose last bits depend on the CPU's kernel and the thread
    # count: a few float32 ulps (~1e-7) per step, so 1e-5 is ample and still far below any
    # difference that could move a text between themes.
    np.testing.assert_allclose(served["similarity"], local_themes["similarity"],
                               rtol=0, atol=1e-5)
    assert via_server.silhouette == pytest.approx(bundled.silhouette, abs=1e-5)
