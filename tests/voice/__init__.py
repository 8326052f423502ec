"""Tests for alliance.voice."""
