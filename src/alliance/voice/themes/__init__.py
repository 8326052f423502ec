"""Themes in free text, found offline: sentence embeddings, clustering, keyword labels, quotes.

Public API: :func:`find_themes`, :class:`ThemeResult`, :class:`Theme`, :func:`embed`.
"""

from alliance.voice.themes.embed import EMBEDDING_DIMENSION, EmbeddingModelError, embed
from alliance.voice.themes.endpoint import EmbeddingEndpointError, embed_configured
from alliance.voice.themes.find import find_themes
from alliance.voice.themes.result import Theme, ThemeResult, ThemeSettings

__all__ = [
    "EMBEDDING_DIMENSION",
    "EmbeddingEndpointError",
    "EmbeddingModelError",
    "Theme",
    "ThemeResult",
    "ThemeSettings",
    "embed",
    "embed_configured",
    "find_themes",
]
