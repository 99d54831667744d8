"""A fresh copy of the repository, as a clone of this branch would be, for first-run tests.

The files git would commit (tracked ones and new ones not ignored, as they are in the working tree)
are copied into a folder with nothing beside it: no ../shared, no .cache, no .venv. A file that is
ignored (the cache, the venv, build output) never reaches the copy, so a snapshot or a page that is
not added to git fails these tests as it would fail a user's clone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def repository_files(repo: Path = REPO) -> list[str]:
    out = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"], capture_output=True, check=True
    )
    return sorted({name for name in out.stdout.decode().split("\0") if name})


def fresh_copy(dest: Path, repo: Path = REPO) -> Path:
    """Copy the repository's files into ``dest`` (created); returns it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in repository_files(repo):
        source = repo / name
        if not source.is_file():  # deleted in the working tree
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return dest


def env_for(copy: Path, cache: Path, **more: str) -> dict[str, str]:
    """An environment whose ``mapcore`` is the copy's (its src/ first on the path), with its own cache
    and no setting inherited that would point elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAPCORE_") and k != "PYTHONPATH"}
    return {**env, "PYTHONPATH": str(copy / "src"), "MAPCORE_CACHE": str(cache), **more}


def run_mapcore(copy: Path, args: list[str], env: dict[str, str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mapcore", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
