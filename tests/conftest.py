"""Shared fixtures for the engine's own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlkata.catalog import Catalog, load_catalog

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(ROOT)
