"""The Spanish-speaking reviewer's wording: dates inside sentences written out, the agreed terms, one short form
per model (chart legends, metrics, filters), and Home's metric labels short with the full name in their help."""

from __future__ import annotations

import pytest
from appfixtures import script, use_source
from streamlit.testing.v1 import AppTest

from mapcore.core import i18n
from mapcore.core.i18n import curated
from mapcore.core.schema import MODELS, model_label, model_name


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("Warrant Service Officer", "Modelo de oficial de ejecución de órdenes"),
        ("day of effect not known", "día de entrada en vigor desconocido"),  # the law's rule (words.law)
        ("new law, day of effect not known", "ley nueva, día de entrada en vigor desconocido"),
        ("new law, not yet in force", "ley nueva, aún no en vigor"),
        ("unconfirmed", "sin confirmar"),
    ],
)
def test_the_agreed_terms(english, spanish):
    with i18n.using_language("es"):
        assert i18n.gettext(english) == spanish


def test_no_reviewed_phrase_is_left_in_the_catalogs():
    from babel.messages.pofile import read_po

    for path in sorted(i18n.LOCALE_DIR.glob("es/LC_MESSAGES/*.po")):
        with path.open("rb") as handle:
            texts = " ".join(str(m.string) for m in read_po(handle) if m.id)
        for phrase in ("servicio de órdenes", "no conocida al día", "está delegada para", "paradas de tráfico"):
            assert phrase not in texts, (path.name, phrase)
    assert "facultada para hacer cumplir" in " ".join(
        str(m.string) for m in read_po((i18n.LOCALE_DIR / "es/LC_MESSAGES/mapcore.po").open("rb")) if m.id
    )
    with i18n.using_language("es"):
        assert any("controles de tráfico" in curated(m) for m in _texts_ids())


def _texts_ids() -> list[str]:
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / "texts.pot").open("rb") as handle:
        return [str(m.id) for m in read_po(handle) if m.id]


def test_one_short_form_per_model_in_both_languages():
    assert [model_label(m) for m in MODELS] == ["JEM · Jail Enforcement", "WSO · Warrant Service", "TFM · Task Force"]
    with i18n.using_language("es"):
        assert [model_label(m) for m in MODELS] == ["JEM · Cárcel", "WSO · Órdenes", "TFM · Fuerza de tarea"]
        from mapcore.app import page_parts
        from mapcore.render import charts

        assert [charts.model_label(m) for m in MODELS] == list(page_parts.model_options().values())


def test_home_metric_labels_are_short_with_the_full_name_in_help(monkeypatch, tmp_path):
    use_source(monkeypatch, tmp_path)
    at = AppTest.from_file(script("app.py"), default_timeout=120)
    at.query_params["lang"] = "es"
    at.run()
    assert not at.exception
    with i18n.using_language("es"):
        expected = {model_label(m): model_name(m) for m in MODELS}
    shown = {m.label: m.help for m in at.metric if m.label in expected}
    assert shown == expected
    assert all(len(label) <= 22 for label in shown)  # fits Home's five columns at 1400 px (a sidebar open)


def test_the_timeline_writes_the_latest_sheets_date_out_in_spanish(monkeypatch, tmp_path):
    use_source(monkeypatch, tmp_path)
    at = AppTest.from_file(script("pages/4_Timeline.py"), default_timeout=120)
    at.query_params["lang"] = "es"
    at.run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Última: 7 acuerdos el 2 de julio de 2025 (participatingAgencies07022025am.xlsx)." in captions, captions
