"""format_number writes whole numbers without Babel's pattern machinery on every call (a map's tooltips
format a thousand of them per rerun): the result must be exactly Babel's, in every language."""

from __future__ import annotations

import numpy as np
import pytest
from babel.numbers import format_decimal

from mapcore.core import i18n


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
def test_whole_numbers_are_written_exactly_as_babel_writes_them(lang):
    values = [
        0,
        1,
        7,
        12,
        999,
        1000,
        1481,
        9999,
        10000,
        12345,
        123456,
        1234567,
        10**12,
        -1,
        -1481,
        -12345,
        np.int64(1481),
        np.int32(10000),
        np.uint16(65535),
    ]
    with i18n.using_language(lang):
        for value in values:
            assert i18n.format_number(value) == format_decimal(value, locale=i18n.babel_locale(lang)), (lang, value)
        assert i18n.format_number(1234.5, 1) == format_decimal(1234.5, format="#,##0.0", locale=i18n.babel_locale(lang))
