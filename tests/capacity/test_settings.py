"""The production settings: every option in .streamlit/config.toml exists in the installed
Streamlit (a misspelt one is ignored silently), the ones that matter have their production values, and the
README's Deploying section names each of them."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config

REPO = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "runner.postScriptGC": False,
    "runner.fastReruns": False,
    "runner.magicEnabled": False,
    "client.showErrorDetails": "none",
    "client.showErrorLinks": False,
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.maxWidgetStateSize": 1,
    "server.maxUploadSize": 1,
    "server.maxMessageSize": 50,
}


def settings() -> dict[str, object]:
    raw = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    return {f"{section}.{name}": value for section, options in raw.items() for name, value in options.items()}


def test_every_setting_exists_in_the_installed_streamlit():
    known = set(config._config_options_template)
    unknown = [name for name in settings() if name not in known]
    assert not unknown, f"not Streamlit options (ignored if left): {unknown}"


def test_production_values_and_the_readme_says_why():
    chosen = settings()
    readme = (REPO / "README.md").read_text()
    deploying = readme[readme.index("## Deploying") :]
    for name, value in PRODUCTION.items():
        assert chosen.get(name) == value, (name, chosen.get(name))
        assert f"`{name}" in deploying, f"README's Deploying section does not name {name}"
