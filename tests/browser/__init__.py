"""Helpers for tests that drive headless Chromium (Debian's chromium + chromedriver, no download)."""
