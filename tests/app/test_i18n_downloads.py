"""A map download speaks the language of the page it was asked from, though it is made in another thread."""

from __future__ import annotations

import threading

from mapcore.app import ui
from mapcore.core import i18n
from mapcore.render.caption import caption_for
from mapcore.render.maps import MapSpec


def test_a_download_made_in_another_thread_keeps_the_page_language():
    spec = MapSpec({"name": "x", "legends": []})
    with i18n.using_language("es"):
        signature = ui._Signature(spec, caption_for("x", sheet_date="2026-04-30"))
        make = ui._made(signature, "txt", lambda: signature.caption.source_line().encode())
    english = ui._Signature(spec, caption_for("x", sheet_date="2026-04-30"))
    assert english.digest("txt") != signature.digest("txt")   # one cached file per language
    made: list[bytes] = []
    worker = threading.Thread(target=lambda: made.append(make()))   # as Streamlit runs a deferred download
    worker.start()
    worker.join()
    assert made[0].decode().startswith("Fuente: ICE 287(g), agencias participantes, hoja del 30 abr 2026")
    assert caption_for("x", sheet_date="2026-04-30").source_line().startswith(
        "Source: ICE 287(g) participating agencies, sheet of 2026-04-30")
