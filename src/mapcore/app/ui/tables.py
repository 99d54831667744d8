"""Tables and downloads, the same on every page: a paged table, CSV / Excel / GeoJSON buttons, the About sheet.

Downloads keep machine column names and go through the one writer (:mod:`mapcore.core.tables`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from mapcore.app import page_parts
from mapcore.app.data import AppData
from mapcore.core import i18n, tables
from mapcore.core.i18n import N_, _
from mapcore.core.schema import sheet_file_name

_DEFAULT_ABOUT = "_mapcore_default_about"


def download_about(data: AppData, publication_id: str | None, filters: str | None = None, **more: object) -> dict:
    """The About sheet of a download from one ICE sheet: its file, its publication date, the filters
    and anything else the page adds (see :func:`mapcore.core.tables.about_fields`)."""
    name = sheet_file_name(publication_id) if publication_id else None
    published = data.publication_date(publication_id)
    return tables.about_fields(
        source=_("ICE 287(g) sheet {file}").format(file=name) if name else _("no ICE sheet loaded"),
        published=published.date() if published is not None else None,
        filters=filters,
        **more,
    )


def column_picker(key: str, optional: list[str]) -> list[str]:
    """The agreement table's other columns (machine names among ``optional``) the reader chooses to show beside
    the first ones (agency, model, county, signed): all of them on a wide screen, the state only on a phone,
    which has room for three or four columns (the rest stay one tap away)."""
    from mapcore.app.ui.page import is_phone
    from mapcore.core.columns import FIRST_COLUMNS

    labels = {name: page_parts.column(name) for name in optional}
    if key not in st.session_state:
        st.session_state[key] = [n for n in optional if n in FIRST_COLUMNS] if is_phone() else list(optional)
    chosen = st.pills(_("More columns"), list(labels), selection_mode="multi", format_func=lambda name: labels[name], key=key)
    return [name for name in optional if name in (chosen or [])]


def show_context(figures: Any, title: str, by_type: bool = False) -> None:
    """The shares of agencies, officers and residents covered (:mod:`mapcore.analysis.context`), with their
    sources; with ``by_type`` also the small table per type of agency."""
    from mapcore.words.context import SOURCE_NOTE, by_type_table, context_metrics, notes

    if figures is None:
        return
    st.markdown(f"**{title}**")  # title: translated by the page
    for col, (label, value, help_text) in zip(st.columns(3), context_metrics(figures)):
        col.metric(label, value, help=help_text)
    if by_type:
        table = by_type_table(figures)
        st.dataframe(
            table, hide_index=True, width="stretch", column_config={_("Share"): st.column_config.NumberColumn(_("Share"), format="%.1f %%")}
        )
    st.caption(f"{_(SOURCE_NOTE)} {' '.join(notes(figures))}".strip())  # the population rules: domain texts


MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "geojson": "application/geo+json"}


LABELS = {"csv": N_("Download CSV"), "xlsx": N_("Download Excel"), "geojson": N_("Download GeoJSON")}


PAGE_ROWS = 50


def paged_dataframe(table: pd.DataFrame, key: str, page_rows: int = PAGE_ROWS, **kwargs: Any) -> None:
    """A table shown one page of rows at a time, so a filter change sends the rows a reader sees,
    not every row (the downloads hold them all). Back to page 1 whenever the table changes."""
    pages = max(1, math.ceil(len(table) / page_rows))
    page_key, seen_key = f"{key}-page", f"{key}-seen"
    signature = (len(table), tuple(map(str, table.iloc[[0, -1]].to_numpy().ravel().tolist())) if len(table) else ())
    if st.session_state.get(seen_key) != signature or st.session_state.get(page_key, 1) > pages:
        st.session_state[page_key] = 1
    st.session_state[seen_key] = signature
    page = 1
    if pages > 1:
        page = int(
            st.number_input(
                _("Page (of {pages})").format(pages=i18n.format_number(pages)), min_value=1, max_value=pages, step=1, key=page_key
            )
        )
    start = (page - 1) * page_rows
    shown = table.iloc[start : start + page_rows]
    kwargs.setdefault("height", page_parts.table_height(len(shown)))
    st.dataframe(shown, hide_index=True, width="stretch", **kwargs)
    if pages > 1:
        st.caption(
            _("Rows {first}–{last} of {total}, in the order above; the downloads hold every row.").format(
                first=i18n.format_number(start + 1), last=i18n.format_number(start + len(shown)), total=i18n.format_number(len(table))
            )
        )


def download_buttons(stem: str, key: str, files: dict[str, bytes | Callable[[], bytes]]) -> None:
    """One row of buttons, one per format (csv, xlsx, geojson). A callable is run only when its
    button is clicked, so a page never builds a workbook it may not need; it runs outside the page's
    script, so in the page's language (the workbook's About sheet speaks it)."""
    for column, (fmt, data) in zip(st.columns(len(files)), files.items()):
        data = in_language(data, i18n.current_language()) if callable(data) else data
        column.download_button(_(LABELS[fmt]), data, f"{stem}.{fmt}", MIME[fmt], key=f"{key}-{fmt}", on_click="ignore")


def in_language(make: Callable[[], bytes], lang: str) -> Callable[[], bytes]:
    """``make`` run in ``lang`` (a download made when clicked runs outside the page's script thread)."""

    def run() -> bytes:
        with i18n.using_language(lang):
            return make()

    return run


def table_downloads(table: pd.DataFrame, stem: str, key: str, sheet_name: str = "287(g) agreements", about: dict | None = None) -> None:
    """CSV and Excel buttons for any table, through the one writer (:mod:`mapcore.core.tables`). The
    workbook's About sheet holds ``about`` (:func:`download_about`), by default the newest ICE sheet
    the page was loaded with."""
    about = about if about is not None else st.session_state.get(_DEFAULT_ABOUT, {})
    download_buttons(
        stem, key, {"csv": tables.table_bytes(table, "csv"), "xlsx": lambda: tables.table_bytes(table, "xlsx", sheet_name, about)}
    )
