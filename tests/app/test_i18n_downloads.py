"""A map download speaks the language of the page it was asked from, though it is made in another thread."""

from __future__ import annotations

import threading

from mapcore.app import ui
from mapcore.app.ui import cache, maps
from mapcore.core import i18n
from mapcore.core.i18n import N_
from mapcore.render.caption import caption_for
from mapcore.render.maps import MapSpec


def test_a_download_made_in_another_thread_keeps_the_page_language():
    spec = MapSpec({"name": "x", "legends": []})
    with i18n.using_language("es"):
        signature = maps._Signature(spec, caption_for("x", sheet_date="2026-04-30"))
        make = maps._made(signature, "txt", lambda: signature.caption.source_line().encode())
    english = maps._Signature(spec, caption_for("x", sheet_date="2026-04-30"))
    assert english.digest("txt") != signature.digest("txt")  # one cached file per language
    made: list[bytes] = []
    worker = threading.Thread(target=lambda: made.append(make()))  # as Streamlit runs a deferred download
    worker.start()
    worker.join()
    assert made[0].decode().startswith("Fuente: ICE 287(g), agencias participantes, hoja del 30 abr 2026")
    assert (
        caption_for("x", sheet_date="2026-04-30").source_line().startswith("Source: ICE 287(g) participating agencies, sheet of 2026-04-30")
    )


def test_a_cached_warning_is_shown_in_each_readers_language():
    stored = cache._warning(
        N_("The data could not be rebuilt ({error}); showing the last good dataset, built {built}."), error="disk full", built="2026-04-30"
    )
    assert ui.warning_text(stored) == ("The data could not be rebuilt (disk full); showing the last good dataset, built 2026-04-30.")
    with i18n.using_language("es"):
        assert ui.warning_text(stored).startswith("No se pudieron reconstruir los datos (disk full)")
        assert ui.warning_text("A note from elsewhere.") == "A note from elsewhere."


def test_a_workbook_made_when_clicked_has_its_about_sheet_in_the_pages_language():
    """The Excel download is made in another thread when clicked: its About sheet speaks the page's language;
    the data sheet keeps its machine column names."""
    import io

    import openpyxl
    import pandas as pd

    from mapcore.app.ui import tables as ui_tables
    from mapcore.core import tables

    frame = pd.DataFrame({"state": ["TX"], "agency": ["Harris County Sheriff's Office"]})
    with i18n.using_language("es"):
        about = tables.about_fields(
            source="hoja 287(g) de ICE participatingAgencies04302026am.xlsx",
            published=None,
            filters=None,
            kind="acuerdos de agencias participantes",
        )
        make = ui_tables.in_language(lambda: tables.table_bytes(frame, "xlsx", "287(g) agreements", about), "es")
    made: list[bytes] = []
    worker = threading.Thread(target=lambda: made.append(make()))
    worker.start()
    worker.join()
    book = openpyxl.load_workbook(io.BytesIO(made[0]))
    assert book.sheetnames == ["287(g) agreements", "Acerca de"]
    assert [c.value for c in book["287(g) agreements"][1]] == ["state", "agency"]
    rows = {row[0].value: row[1].value for row in book["Acerca de"].iter_rows(min_row=1)}
    assert rows["Campo"] == "Valor" and rows["Tabla"] == "hoja '287(g) agreements'"
    assert rows["Fuente"].startswith("hoja 287(g) de ICE") and rows["Filtros"] == "ninguno"
    assert rows["Tipo de lista"] == "acuerdos de agencias participantes" and rows["Filas"] == 1
    assert "Exportado el" in rows
    english = openpyxl.load_workbook(io.BytesIO(tables.table_bytes(frame, "xlsx", "287(g) agreements", {"Source": "x"})))
    assert english.sheetnames == ["287(g) agreements", "About"]
