"""Real servers on 127.0.0.1 for the capacity and abuse tests, serving the bundled snapshot of ICE's sheets
(real data, in every checkout: no network, no ../shared needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_support import SNAPSHOT


@pytest.fixture(scope="session")
def snapshot_cache(tmp_path_factory) -> Path:
    """A cache with the bundled snapshot's dataset built and published once per test session."""
    from mapcore.build import refresh

    cache = tmp_path_factory.mktemp("snapshot-cache")
    refresh.refresh(str(SNAPSHOT), cache)
    return cache
