"""Facts cached, words made when shown: one process serves a Spanish reader, then an English one, with no
cache cleared between them, and each reads their own language (the downloads keep English).

The Law vs practice page caches its comparison once per dataset; it once kept the "In words" column in the
language of whoever came first, so after one Spanish visit the English table and its CSV said "Salió entre ...".
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
import streamlit
from sheetfactory import PARTICIPATING_8, PENDING_5, make_sheet, row8
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from mapcore.app.ui import cache, maps
from mapcore.core import config, i18n

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "5_Law_vs_practice.py")
CECIL = "Cecil County Sheriff's Office"
ENGLISH = "Left between 2025-03-01 and 2026-04-01; the law's date, 2026-02-17, falls between"
SPANISH_START = "Salió entre el 1 mar 2025 y el 1 abr 2026"


class RecordingStorage(MemoryMediaFileStorage):
    """Keeps every offered file's name and bytes, so a test reads the downloads a reader was offered."""

    files: dict[str, tuple[str | None, bytes]] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        data = path_or_data() if callable(path_or_data) else path_or_data
        RecordingStorage.files[file_id] = (filename, data)
        return file_id


def make_sheets(folder: Path) -> Path:
    """Maryland's Cecil County sheriff, listed on 2025-03-01 and gone by 2026-04-01 (Maryland's ban took effect on
    2026-02-17, between the two); sheriffs and a police department in Florida and Texas (laws that mandate 287(g) of
    sheriffs), a state agency, and a pending sheet."""
    cecil = row8(state="MARYLAND", agency=CECIL, county="Cecil County", model="Jail Enforcement Model")
    others = [
        row8(state="FLORIDA", agency="Baker County Sheriff's Office", county="Baker County", model="Task Force Model"),
        row8(state="FLORIDA", agency="Florida Highway Patrol", jtype="State", county="#N/A", model="Task Force Model"),
        row8(agency="Houston Police Department", jtype="Municipality", county="Harris County", model="Task Force Model"),
        row8(agency="Harris County Sheriff's Office", model="Warrant Service Officer"),
    ]
    make_sheet(folder / "participatingAgencies03012025am.xlsx", PARTICIPATING_8, [cecil, *others])
    make_sheet(folder / "participatingAgencies04012026am.xlsx", PARTICIPATING_8, others)
    make_sheet(
        folder / "pendingAgencies03152026am.xlsx",
        PENDING_5,
        [
            ["FLORIDA", "Bay County Sheriff's Office", "County", "Bay County", "Warrant Service Officer"],
            ["TEXAS", "Waco Police Department", "Municipality", "#N/A", "Task Force Model"],
        ],
    )
    return folder


@pytest.fixture
def one_process(tmp_path, monkeypatch):
    """The sheets above as the app's source; Streamlit's caches are cleared once, before the first reader only."""
    monkeypatch.setenv("MAPCORE_SOURCE", str(make_sheets(tmp_path / "sheets")))
    monkeypatch.setenv("MAPCORE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", RecordingStorage)
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()
    yield
    streamlit.cache_resource.clear()
    streamlit.cache_data.clear()


def reader(**params: str) -> AppTest:
    RecordingStorage.files = {}
    at = AppTest.from_file(PAGE, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def in_words(at: AppTest) -> str:
    table = next(df.value for df in at.dataframe if "In words" in df.value.columns)
    return str(table.set_index("Agency").loc[CECIL, "In words"])


def csv_in_words(at: AppTest) -> str:
    """The "In words" cell of the agreements' CSV this reader was offered."""
    data = next(data for name, data in RecordingStorage.files.values() if name == "287g-restrictive-states.csv")
    table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    return str(table.set_index("Agency").loc[CECIL, "In words"])


def test_a_spanish_reader_then_an_english_one_each_read_their_language(one_process):
    spanish = reader(lang="es")
    assert in_words(spanish).startswith(SPANISH_START), in_words(spanish)
    assert csv_in_words(spanish) == ENGLISH, "downloads keep English, whoever came first"

    english = reader()  # the same process, the caches the Spanish reader filled
    assert in_words(english) == ENGLISH
    assert csv_in_words(english) == ENGLISH

    again = reader(lang="es")  # and the other way round
    assert in_words(again).startswith(SPANISH_START)


# --------------------------------------------------------------------------------------------- every cache


UI = Path(__file__).resolve().parents[2] / "src" / "mapcore" / "app" / "ui"
REPO = UI.parents[3]


def streamlit_caches(path: Path) -> list[str]:
    """Names of the functions of one file decorated with ``st.cache_resource`` / ``st.cache_data`` (called or not)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr in ("cache_resource", "cache_data"):
                    found.append(node.name)
    return found


def _map_component():
    component, site = maps._map_component()
    return component.name, site  # the declaration: its name and the folder it is served from


def _shown_facts(shown) -> tuple:
    """What the process-wide dataset object shows: what the refresher published, the dataset's folder and rows."""
    return shown.published, str(shown.data.dataset.path), shown.data.agreements, shown.data.laws


def _recipes(data) -> dict:
    """How to call every cached function of mapcore.app.ui on the fixture data (name -> call)."""
    source = config.source()
    return {
        "cache._current": lambda: _shown_facts(cache._current(source, str(config.published_dir())).get()),
        "cache.laws": cache.laws,
        "cache._keyed": lambda: cache._keyed(data.dataset.key, data),
        "cache._timeline": lambda: cache._timeline(data.dataset.key, data),
        "cache._presence": lambda: [cache._presence(data.dataset.key, kind, data) for kind in ("participating", "pending")],
        "cache._pending_history": lambda: cache._pending_history(data.dataset.key, data),
        "cache._agency_index": lambda: cache._agency_index(data.dataset.key, data),
        "cache._place_context": lambda: [cache.town_county(town, "TX") for town in ("Houston", "Waco", "Nowhere")],
        "cache._spread_steps": lambda: [
            cache._spread_steps(data.dataset.key, states, every, data) for states, every in (((), "month"), (("TX",), "day"))
        ],
        "cache._restricted": lambda: cache._restricted(data.dataset.key, data),
        "cache._restricted_chart": lambda: cache._restricted_chart(data.dataset.key, data),
        "cache._mandate_gaps": lambda: cache._mandate_gaps(data.dataset.key, data),
        "cache._last_checked": cache._last_checked,
        "cache._roster_gaps": lambda: cache._roster_gaps(data.dataset.key, data),
        "cache._static_paths": lambda: cache._static_paths(data.dataset.key, data),
        "maps._map_component": _map_component,
    }


def same(a, b, where: str = "result") -> None:
    """``a`` and ``b`` hold the same values all the way down (frames, dataclasses, containers, plain objects)."""
    assert type(a) is type(b), f"{where}: {type(a)} vs {type(b)}"
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, obj=where)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, obj=where)
    elif dataclasses.is_dataclass(a):
        for field in dataclasses.fields(a):
            same(getattr(a, field.name), getattr(b, field.name), f"{where}.{field.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{where}[{i}]")
    elif isinstance(a, (str, bytes, int, float, bool, type(None), Path, dt.date)) or a is pd.NaT:
        assert a == b or (a != a and b != b), f"{where}: {a!r} vs {b!r}"
    elif hasattr(a, "__dict__"):
        same(vars(a), vars(b), where)
    else:
        assert a == b, f"{where}: {a!r} vs {b!r}"


def test_every_cache_of_the_app_lives_in_app_ui():
    """The pages lay out; caches live in mapcore.app.ui, where the test below reaches every one."""
    pages = [REPO / "app.py", *sorted((REPO / "pages").glob("*.py"))]
    assert {str(p.relative_to(REPO)): streamlit_caches(p) for p in pages if streamlit_caches(p)} == {}


def test_every_cached_function_gives_the_same_facts_in_english_and_spanish(one_process):
    """Each cached function of the app, cleared and called once in Spanish, then cleared and called in English in
    the same process, returns equal values: nothing cached depends on the reader's language. A cached function
    added without a line in :func:`_recipes` fails here until it has one."""
    try:
        data = cache._current(config.source(), str(config.published_dir())).get().data
        recipes = _recipes(data)
        declared = {f"{path.stem}.{name}" for path in sorted(UI.glob("*.py")) for name in streamlit_caches(path)}
        assert declared == set(recipes), "a cached function with no recipe (or a recipe for none)"
        for name, call in recipes.items():
            results = {}
            for lang in ("es", "en"):
                streamlit.cache_resource.clear()
                streamlit.cache_data.clear()
                with i18n.using_language(lang):
                    results[lang] = call()
            same(results["es"], results["en"], name)
    finally:
        streamlit.cache_resource.clear()
        streamlit.cache_data.clear()
