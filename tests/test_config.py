"""alliance.config: settings read from the environment, with clear refusals."""

from __future__ import annotations

import pytest

from alliance import config


def test_defaults() -> None:
    c = config.load({})
    assert c.joins_per_address == 60 and c.embedding_url is None
    assert c.embedding_model == "all-minilm" and c.trusted_proxies == ()


def test_values_are_read() -> None:
    c = config.load({"ALLIANCE_JOINS_PER_ADDRESS": "200",
                     "ALLIANCE_EMBEDDING_URL": " http://localhost:11434/v1/embeddings ",
                     "ALLIANCE_EMBEDDING_MODEL": "all-minilm:l6-v2"})
    assert c.joins_per_address == 200
    assert c.embedding_url == "http://localhost:11434/v1/embeddings"
    assert c.embedding_model == "all-minilm:l6-v2"


@pytest.mark.parametrize("value", ["0", "-3", "sixty", "1.5"])
def test_a_bad_join_limit_is_refused_by_name(value: str) -> None:
    with pytest.raises(ValueError, match="ALLIANCE_JOINS_PER_ADDRESS"):
        config.load({"ALLIANCE_JOINS_PER_ADDRESS": value})


@pytest.mark.parametrize(("name", "value"), [("ALLIANCE_SUPPRESSION_THRESHOLD", "five"),
                                             ("ALLIANCE_SUPPRESSION_THRESHOLD", "0"),
                                             ("ALLIANCE_TRUSTED_PROXIES", "10.0.0.0/33"),
                                             ("ALLIANCE_REPLACE_CONFIRM_SHARE", "5%"),
                                             ("ALLIANCE_REPLACE_CONFIRM_SHARE", "1.5")])
def test_other_bad_values_are_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(ValueError, match=name):
        config.load({name: value})
