"""Themes in free text, stored: theme sets, their analyst edits, pages, downloads and the task.

This package's ``__init__`` imports nothing, so :mod:`alliance.web.themes.reading` can be used
by the CLI without setting up Django.
"""
