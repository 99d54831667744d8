"""Every page is layout only: at most 150 lines, and no data work a scan of its syntax tree can see.

Pages (``app.py`` and ``pages/*.py``) lay out what mapcore computes and words: caches live in ``mapcore.app.ui``,
tables and sentences in ``mapcore.words`` and ``mapcore.app.page_parts``, facts in ``mapcore.analysis``. So a page
imports no pandas, numpy or geopandas (it never builds a frame), calls none of the methods that compute one
(group, merge, pivot, count ...), and reads no file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "app.py", *sorted((REPO / "pages").glob("*.py"))]
MAX_LINES = 150
DATA_LIBRARIES = {"pandas", "numpy", "geopandas"}
# Methods that compute a table rather than lay one out.
DATA_METHODS = {
    "groupby",
    "merge",
    "pivot",
    "pivot_table",
    "crosstab",
    "concat",
    "value_counts",
    "agg",
    "aggregate",
    "apply",
    "resample",
    "melt",
    "explode",
    "cumsum",
    "read_csv",
    "read_parquet",
    "read_excel",
    "to_csv",
    "to_excel",
}


def data_work(source: str) -> list[tuple[int, str]]:
    """(line, what) for every import of a data library, call of a computing method, or file opened, in a page."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name.split(".")[0] in DATA_LIBRARIES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in DATA_LIBRARIES:
            found.append((node.lineno, f"from {node.module} import ..."))
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in DATA_METHODS or name == "open":
                found.append((node.lineno, f"{name}()"))
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_is_at_most_150_lines(page):
    lines = len(page.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{page.name}: {lines} lines; move caches to app/ui, tables and sentences to words/page_parts"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_does_no_data_work(page):
    assert data_work(page.read_text(encoding="utf-8")) == [], "a page lays out; the computing belongs in mapcore"


@pytest.mark.parametrize(
    "snippet, what",
    [
        ("import pandas as pd", "import pandas"),
        ("from numpy import where", "from numpy import ..."),
        ("counts = rows.groupby('state').size()", "groupby()"),
        ("busiest = rows['state'].value_counts()", "value_counts()"),
        ("table = pd.concat([a, b])", "concat()"),
        ("text = open('data/state_laws.csv').read()", "open()"),
    ],
)
def test_the_scan_sees_data_work(snippet, what):
    assert [w for _line, w in data_work(snippet)] == [what]


def test_the_scan_lets_layout_through():
    layout = (
        "st.dataframe(words.translated_cells(table), hide_index=True)\n"
        "for col, (label, value) in zip(st.columns(3), metrics):\n    col.metric(label, value)\n"
        "st.markdown(', '.join(names))"
    )
    assert data_work(layout) == []
