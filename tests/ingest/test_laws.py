"""The state-law table, its validator, the agreement join and the map overlay."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from html import escape

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from mapcore.ingest.laws import (
    LAW_COLUMNS,
    LAWS_PATH,
    STATUS_LABELS,
    STATUS_ORDER,
    LawTableError,
    attach_law,
    load_laws,
    low_confidence,
    status_label,
    validate_laws,
)
from mapcore.render.law_layer import (
    LAYER_NAME,
    LOW_CONFIDENCE_DASH,
    LOW_CONFIDENCE_NOTE,
    STATUS_COLORS,
    add_law_legend,
    law_features,
    law_layer,
    law_legend_html,
)

MUST_HOLD = {
    "CA": "prohibits", "IL": "prohibits", "WA": "prohibits", "OR": "prohibits", "NJ": "prohibits",
    "FL": "mandates", "TX": "mandates", "GA": "mandates",
}


@pytest.fixture(scope="module")
def laws() -> pd.DataFrame:
    return load_laws()


@pytest.fixture()
def raw() -> pd.DataFrame:
    return pd.read_csv(LAWS_PATH, dtype=str, keep_default_na=False)


def _line(df: pd.DataFrame, code: str) -> int:
    """CSV line number of a state's row (header is line 1)."""
    return int(df.index[df["state"] == code][0]) + 2


def _boxes(codes: list[str]) -> gpd.GeoDataFrame:
    """A synthetic states layer: one little box per postal code, named by that code."""
    return gpd.GeoDataFrame(
        {"GEOID": [f"{i:02d}" for i in range(len(codes))], "state": codes, "name": codes},
        geometry=[box(-120 + i, 30, -119.2 + i, 31) for i in range(len(codes))],
        crs="EPSG:4326",
    )


def _render(states: gpd.GeoDataFrame, table: pd.DataFrame, **kwargs) -> str:
    m = folium.Map(location=[35, -95], zoom_start=4, tiles=None)
    law_layer(states, table, **kwargs).add_to(m)
    folium.LayerControl().add_to(m)
    add_law_legend(m, table)
    return m.get_root().render()


def _unescape_js(text: str) -> str:
    """Undo folium's \\uXXXX escaping of embedded JSON so we see what the browser will see."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)


# ------------------------------------------------------------------ the real table


def test_real_table_loads_typed(laws: pd.DataFrame) -> None:
    assert tuple(laws.columns) == LAW_COLUMNS
    assert len(laws) == 51 and laws["state"].is_unique
    assert isinstance(laws["status"].dtype, pd.CategoricalDtype)
    assert laws["status"].cat.ordered and tuple(laws["status"].cat.categories) == STATUS_ORDER
    assert str(laws["effective_year"].dtype) == "Int64"
    assert laws["checked"].eq(pd.Timestamp("2026-11-01")).all()
    assert laws["state_fips"].str.fullmatch(r"\d{2}").all()


def test_must_hold_statuses(laws: pd.DataFrame) -> None:
    got = laws.set_index("state")["status"].astype(str).to_dict()
    assert {code: got[code] for code in MUST_HOLD} == MUST_HOLD


def test_every_status_in_use(laws: pd.DataFrame) -> None:
    assert set(laws["status"].astype(str)) == set(STATUS_ORDER)


def test_non_none_rows_have_laws_and_source(laws: pd.DataFrame) -> None:
    active = laws[laws["status"] != "none"]
    assert active["laws"].notna().all() and active["laws"].str.strip().ne("").all()
    assert active["source_url"].str.match(r"https?://").all()
    assert active["scope"].notna().all()
    assert laws.loc[laws["status"] == "none", "scope"].isna().all()


def test_deadlines_only_where_the_reference_gives_one(laws: pd.DataFrame) -> None:
    got = laws.dropna(subset=["deadline"]).set_index("state")["deadline"].dt.strftime("%Y-%m-%d")
    assert got.to_dict() == {"DE": "2025-08-13", "NM": "2026-05-20", "TX": "2026-12-01"}


def test_low_confidence_rows_flagged(laws: pd.DataFrame) -> None:
    mask = low_confidence(laws)
    assert mask.any()
    assert mask.tolist() == (laws["confidence"] == "low").tolist()
    assert {"CT", "HI", "NY"} <= set(laws.loc[mask, "state"])


def test_summaries_one_line(laws: pd.DataFrame) -> None:
    assert laws["summary"].str.strip().ne("").all()
    assert not laws["summary"].str.contains(r"[\r\n]").any()


def test_typed_table_passes_validation_again(laws: pd.DataFrame) -> None:
    validate_laws(laws)


# ------------------------------------------------------------------ the validator

Mutation = Callable[[pd.DataFrame], pd.DataFrame]
HEADER = "<header>"


def _set(code: str, field: str, value: str) -> Mutation:
    def mutate(df: pd.DataFrame) -> pd.DataFrame:
        df.loc[df["state"] == code, field] = value
        return df

    return mutate


def _drop_state(code: str) -> Mutation:
    return lambda df: df[df["state"] != code].reset_index(drop=True)


def _drop_column(col: str) -> Mutation:
    return lambda df: df.drop(columns=[col])


BAD_ROWS: list[tuple[str, Mutation, str | None, str]] = [
    # (id, mutation, state whose row is named (HEADER: line 1; None: the whole table), field)
    ("wrong-status", _set("TX", "status", "banned"), "TX", "status"),
    ("bad-scope", _set("TX", "scope", "county"), "TX", "scope"),
    ("no-scope-on-active", _set("TX", "scope", ""), "TX", "scope"),
    ("scope-on-none", _set("AK", "scope", "local"), "AK", "scope"),
    ("missing-laws", _set("CA", "laws", ""), "CA", "laws"),
    ("blank-laws", _set("CA", "laws", "   "), "CA", "laws"),
    ("missing-source", _set("CA", "source_url", ""), "CA", "source_url"),
    ("javascript-source", _set("CA", "source_url", "javascript:alert(1)"), "CA", "source_url"),
    ("ftp-source", _set("IL", "source_url", "ftp://example.org/law.pdf"), "IL", "source_url"),
    ("bad-fips", _set("TX", "state_fips", "47"), "TX", "state_fips"),
    ("unpadded-fips", _set("AK", "state_fips", "2"), "AK", "state_fips"),
    ("wrong-name", _set("TX", "state_name", "Tejas"), "TX", "state_name"),
    ("duplicate-state", _set("TX", "state", "CA"), "TX", "state"),
    ("blank-state", _set("TX", "state", ""), "TX", "state"),
    ("not-a-state", _set("TX", "state", "PR"), "TX", "state"),
    ("missing-state", _drop_state("WY"), None, "state"),
    ("bad-year", _set("TX", "effective_year", "20x6"), "TX", "effective_year"),
    ("old-year", _set("TX", "effective_year", "1066"), "TX", "effective_year"),
    ("float-year", _set("TX", "effective_year", "2026.0"), "TX", "effective_year"),
    ("bad-confidence", _set("TX", "confidence", "certain"), "TX", "confidence"),
    ("bad-authority", _set("TX", "authority", "decree"), "TX", "authority"),
    ("authority-on-none", _set("AK", "authority", "statute"), "AK", "authority"),
    ("bad-deadline", _set("TX", "deadline", "12/01/2026"), "TX", "deadline"),
    ("impossible-deadline", _set("TX", "deadline", "2026-02-30"), "TX", "deadline"),
    ("bad-checked", _set("TX", "checked", "2026-11"), "TX", "checked"),
    ("missing-column", _drop_column("deadline"), HEADER, "deadline"),
    ("extra-column", lambda df: df.assign(notes="x"), HEADER, "notes"),
    ("multi-line-summary", _set("TX", "summary", "first line\nsecond line"), "TX", "summary"),
    ("empty-summary", _set("TX", "summary", ""), "TX", "summary"),
]


@pytest.mark.parametrize(
    ("mutate", "state", "field"),
    [pytest.param(m, s, f, id=i) for i, m, s, f in BAD_ROWS],
)
def test_validator_rejects_bad_rows(
    tmp_path, raw: pd.DataFrame, mutate: Mutation, state: str | None, field: str
) -> None:
    line = 1 if state == HEADER else _line(raw, state) if state else None
    path = tmp_path / "state_laws.csv"
    mutate(raw.copy()).to_csv(path, index=False)
    with pytest.raises(LawTableError) as caught:
        load_laws(path)
    err = caught.value
    assert isinstance(err, ValueError)
    assert any(p.field == field for p in err.problems), str(err)
    if line is not None:
        assert any(p.row == line and p.field == field for p in err.problems), str(err)
        assert f"state_laws.csv, row {line}, field {field}: " in str(err)
    else:
        assert f"state_laws.csv, field {field}: " in str(err)


def test_error_message_reads_as_documented(tmp_path, raw: pd.DataFrame) -> None:
    path = tmp_path / "state_laws.csv"
    _set("TX", "status", "banned")(raw.copy()).to_csv(path, index=False)
    with pytest.raises(LawTableError) as caught:
        load_laws(path)
    line = _line(raw, "TX")
    assert str(caught.value) == (
        f"state_laws.csv, row {line}, field status: 'banned' is not one of "
        "prohibits, restricts, none, requires_cooperation, mandates"
    )
    assert (caught.value.row, caught.value.field) == (line, "status")


def test_missing_state_is_named(tmp_path, raw: pd.DataFrame) -> None:
    path = tmp_path / "state_laws.csv"
    _drop_state("WY")(raw.copy()).to_csv(path, index=False)
    with pytest.raises(LawTableError, match=r"field state: missing WY"):
        load_laws(path)


# ------------------------------------------------------------------ labels and the join


def test_status_labels() -> None:
    assert [status_label(s) for s in STATUS_ORDER] == [
        "Prohibits", "Restricts", "No state law", "Requires cooperation", "Mandates",
    ]
    assert status_label(None) == "Unknown"
    with pytest.raises(ValueError):
        status_label("banned")


def test_attach_law(laws: pd.DataFrame) -> None:
    agreements = pd.DataFrame(
        {"agency": ["a", "b", "c", "d", "e"], "state": ["TX", "CA", None, "PR", "CT"]},
        index=[10, 11, 12, 13, 14],
    )
    before = agreements.copy()
    out = attach_law(agreements, laws)
    pd.testing.assert_frame_equal(agreements, before)  # input untouched
    assert list(out.index) == [10, 11, 12, 13, 14]
    assert out["law_status"].astype(object).where(out["law_status"].notna(), None).tolist() == [
        "mandates", "prohibits", None, None, "prohibits",
    ]
    assert out["law_scope"].tolist()[:2] == ["local", "both"]
    assert out["law_confidence"].tolist()[-1] == "low"
    assert out.loc[out["law_status"] >= "requires_cooperation", "agency"].tolist() == ["a"]


def test_attach_law_default_table_and_custom_column() -> None:
    out = attach_law(pd.DataFrame({"st": ["GA"]}), state_col="st")
    assert out["law_status"].iloc[0] == "mandates"
    with pytest.raises(KeyError):
        attach_law(pd.DataFrame({"x": [1]}))


# ------------------------------------------------------------------ the map layer


def test_palette_covers_scale() -> None:
    assert tuple(STATUS_COLORS) == STATUS_ORDER
    assert len(set(STATUS_COLORS.values())) == 5


def test_layer_is_a_switchable_overlay(laws: pd.DataFrame) -> None:
    group = law_layer(_boxes(laws["state"].tolist()), laws, show=False)
    assert isinstance(group, folium.FeatureGroup)
    assert group.layer_name == LAYER_NAME and group.overlay and not group.show


def test_layer_html_has_every_state_label(laws: pd.DataFrame) -> None:
    page = _unescape_js(_render(_boxes(laws["state"].tolist()), laws))
    for _, row in laws.iterrows():
        label = STATUS_LABELS[str(row["status"])]
        assert f"<b>{escape(row['state_name'])}</b><br>{label}" in page, row["state"]
    assert f"{json.dumps(LAYER_NAME)} : feature_group_" in page


def test_layer_escapes_data_and_drops_unsafe_links(laws: pd.DataFrame) -> None:
    table = laws.copy()
    table["laws"] = table["laws"].astype(object)
    table.loc[table["state"] == "TX", "laws"] = "<script>alert(1)</script>"
    table.loc[table["state"] == "TX", "summary"] = '"><img src=x onerror=alert(2)>'
    table.loc[table["state"] == "CA", "source_url"] = "javascript:alert(1)"
    table.loc[table["state"] == "FL", "source_url"] = "JavaScript:alert(3)"
    html = _render(_boxes(table["state"].tolist()), table, name="Law <b>overlay</b>")
    page = _unescape_js(html)
    for text in (html, page):
        assert "<script>alert(1)</script>" not in text
        assert "<img src=x" not in text
        assert "javascript:" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '"Law <b>overlay</b>" : feature_group_' in page  # name reaches the control, as JSON


def test_popup_links_open_safely(laws: pd.DataFrame) -> None:
    feats = law_features(_boxes(laws["state"].tolist()), laws).set_index("state")
    for code, popup in feats["popup"].items():
        url = laws.set_index("state").at[code, "source_url"]
        if pd.isna(url):
            assert "<a " not in popup
        else:
            link = f'href="{escape(url, quote=True)}" target="_blank" rel="noopener noreferrer"'
            assert link in popup


def test_low_confidence_marked_in_layer(laws: pd.DataFrame) -> None:
    feats = law_features(_boxes(laws["state"].tolist()), laws).set_index("state")
    low = set(laws.loc[low_confidence(laws), "state"])
    for code, row in feats.iterrows():
        assert (LOW_CONFIDENCE_NOTE in row["tooltip"]) == (code in low), code
        assert (LOW_CONFIDENCE_NOTE in row["popup"]) == (code in low), code
        assert row["low"] == (code in low)
    page = _render(_boxes(laws["state"].tolist()), laws)
    assert f'"dashArray": "{LOW_CONFIDENCE_DASH}"' in page


def test_layer_tolerates_unmatched_and_projected_states(laws: pd.DataFrame) -> None:
    states = _boxes(["TX", "PR"]).to_crs("EPSG:3857")
    feats = law_features(states, laws)
    assert feats.crs.to_epsg() == 4326
    assert "Unknown" in feats.loc[feats["state"] == "PR", "tooltip"].iloc[0]


def test_legend_lists_statuses_and_counts(laws: pd.DataFrame) -> None:
    legend = law_legend_html(laws)
    counts = laws["status"].astype(str).value_counts()
    for status in STATUS_ORDER:
        assert f"{STATUS_LABELS[status]} ({counts[status]})" in legend
        assert STATUS_COLORS[status] in legend
    assert f"low confidence ({int(low_confidence(laws).sum())})" in legend
    assert "position:fixed" in legend


def test_mapcore_law_modules_do_not_import_streamlit() -> None:
    code = "import sys, mapcore.ingest.laws, mapcore.render.law_layer; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
