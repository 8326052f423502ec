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


def test_email_is_off_by_default_and_read_when_set() -> None:
    c = config.load({})
    assert (c.email.host, c.email.console, c.site_url) == ("", False, "http://127.0.0.1:8000")
    assert (c.reset_emails_per_hour, c.reset_requests_per_address) == (3, 20)
    c = config.load({"ALLIANCE_EMAIL_HOST": " smtp.example.gov.uk ", "ALLIANCE_EMAIL_PORT": "465",
                     "ALLIANCE_EMAIL_SECURITY": "TLS", "ALLIANCE_EMAIL_USER": "alliance",
                     "ALLIANCE_EMAIL_PASSWORD": "secret", "ALLIANCE_EMAIL_TIMEOUT": "5",
                     "ALLIANCE_EMAIL_FROM": "Alliance <alliance@example.gov.uk>",
                     "ALLIANCE_SITE_URL": "https://alliance.example.gov.uk/",
                     "ALLIANCE_RESET_EMAILS_PER_HOUR": "5"})
    assert (c.email.host, c.email.port, c.email.security) == ("smtp.example.gov.uk", 465, "tls")
    assert (c.email.user, c.email.password, c.email.timeout) == ("alliance", "secret", 5)
    assert c.email.sender == "Alliance <alliance@example.gov.uk>"
    assert c.site_url == "https://alliance.example.gov.uk" and c.reset_emails_per_hour == 5


@pytest.mark.parametrize(("env", "name"), [
    ({"ALLIANCE_EMAIL_SECURITY": "ssl3"}, "ALLIANCE_EMAIL_SECURITY"),
    ({"ALLIANCE_EMAIL_PORT": "smtp"}, "ALLIANCE_EMAIL_PORT"),
    ({"ALLIANCE_EMAIL_TIMEOUT": "0"}, "ALLIANCE_EMAIL_TIMEOUT"),
    ({"ALLIANCE_EMAIL_HOST": "smtp.x", "ALLIANCE_EMAIL_CONSOLE": "1"}, "ALLIANCE_EMAIL_CONSOLE"),
    ({"ALLIANCE_SITE_URL": "alliance.example.gov.uk"}, "ALLIANCE_SITE_URL"),
    ({"ALLIANCE_SITE_URL": "ftp://x"}, "ALLIANCE_SITE_URL"),
    ({"ALLIANCE_RESET_EMAILS_PER_HOUR": "0"}, "ALLIANCE_RESET_EMAILS_PER_HOUR"),
    ({"ALLIANCE_RESET_REQUESTS_PER_ADDRESS": "many"}, "ALLIANCE_RESET_REQUESTS_PER_ADDRESS"),
])
def test_bad_mail_settings_are_refused_by_name(env: dict[str, str], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        config.load(env)
