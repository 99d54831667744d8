"""The language plumbing: picking a language, keeping it per thread, Babel formats per language."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from mapcore.core import i18n


@pytest.mark.parametrize(
    ("value", "expected"),
    [("es", "es"), ("ES", "es"), ("es-MX", "es"), ("es_419", "es"), ("en-GB", "en"), ("fr", None), ("", None), (None, None), (3, None)],
)
def test_normalize_language_accepts_regional_tags_and_refuses_the_rest(value, expected):
    assert i18n.normalize_language(value) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-ES,es;q=0.9,en;q=0.8", "es"),
        ("fr-FR,fr;q=0.9,en;q=0.5,es;q=0.7", "es"),
        ("en-US,en;q=0.9", "en"),
        ("fr, de", None),
        ("es;q=0, en;q=0.1", "en"),
        ("es;q=abc, en", "en"),
        (None, None),
    ],
)
def test_language_from_header_follows_the_q_weights(header, expected):
    assert i18n.language_from_header(header) == expected


def test_the_language_is_kept_per_thread_and_restored_after_a_block():
    assert i18n.current_language() == "en"
    seen: list[str] = []

    def other_reader() -> None:
        i18n.set_language("es")
        seen.append(i18n.current_language())

    worker = threading.Thread(target=other_reader)
    worker.start()
    worker.join()
    assert seen == ["es"] and i18n.current_language() == "en"
    with i18n.using_language("es") as lang:
        assert lang == "es" and i18n.current_language() == "es"
    assert i18n.current_language() == "en"


def test_numbers_dates_and_shares_follow_the_language():
    day = dt.date(2026, 4, 30)
    assert i18n.format_number(1481) == "1,481"
    assert i18n.format_date(day) == "Apr 30, 2026"
    assert i18n.format_percent(0.072) == "7.2%"
    with i18n.using_language("es"):
        assert i18n.format_number(12345.5, decimals=1) == "12.345,5"
        assert i18n.format_date("2026-04-30") == "30 abr 2026"
        assert i18n.format_percent(0.072) == "7,2%"


def test_an_unknown_domain_is_an_error_not_english():
    with pytest.raises(ValueError, match="unknown message domain"):
        i18n.translations("es", "nope")


def test_english_is_the_message_id_itself_and_markers_return_it_unchanged():
    assert i18n.gettext("Explore") == "Explore"
    assert i18n.curated("A paragraph.") == "A paragraph."
    assert i18n.N_("Jail Enforcement") == "Jail Enforcement" == i18n.NT_("Jail Enforcement")
    assert i18n.ngettext("agency", "agencies", 2) == "agencies"
