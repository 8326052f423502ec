"""Themes in free text, stored: theme sets, their analyst edits, pages, downloads and the task.

Reading the uploaded files is framework-free and lives in :mod:`alliance.voice.themes.reading`,
shared with ``alliance voice themes``.
"""
