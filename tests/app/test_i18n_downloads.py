"""A map download speaks the language of the page it was asked from, though it is made in another thread."""

from __future__ import annotations

import threading

from mapcore.app import ui
from mapcore.app.ui import cache, maps
from mapcore.core import i18n
from mapcore.render.caption import caption_for
from mapcore.render.maps import MapSpec


def test_a_download_made_in_another_thread_keeps_the_page_language():
    spec = MapSpec({"name": "x", "legends": []})
    with i18n.using_language("es"):
        signature = maps._Signature(spec, caption_for("x", sheet_date="2026-04-30"))
        make = maps._made(signature, "txt", lambda: signature.caption.source_line().encode())
    english = maps._Signature(spec, caption_for("x", sheet_date="2026-04-30"))
    assert english.digest("txt") != signature.digest("txt")   # one cached file per language
    made: list[bytes] = []
    worker = threading.Thread(target=lambda: made.append(make()))   # as Streamlit runs a deferred download
    worker.start()
    worker.join()
    assert made[0].decode().startswith("Fuente: ICE 287(g), agencias participantes, hoja del 30 abr 2026")
    assert caption_for("x", sheet_date="2026-04-30").source_line().startswith(
        "Source: ICE 287(g) participating agencies, sheet of 2026-04-30")


def test_a_cached_warning_is_shown_in_each_readers_language():
    stored = cache._warning(cache.N_("The data could not be rebuilt ({error}); showing the last good dataset, built {built}."),
                         error="disk full", built="2026-04-30")
    assert ui.warning_text(stored) == ("The data could not be rebuilt (disk full); showing the last good dataset, "
                                       "built 2026-04-30.")
    with i18n.using_language("es"):
        assert ui.warning_text(stored).startswith("No se pudieron reconstruir los datos (disk full)")
        assert ui.warning_text("A note from elsewhere.") == "A note from elsewhere."
