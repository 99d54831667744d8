"""No user-facing literal bypasses the catalog: an AST scan of the pages and the text-bearing modules.

Two rules, both on the syntax tree (no page is run):
- Display calls (``st.title``, ``col.metric``, ``st.selectbox``, ``st.column_config.LinkColumn`` ... in the
  files that import streamlit): their label (first argument) and their ``label``/``help``/``placeholder``/
  ``page_title``/``display_text`` keywords, and the values of a ``column_config`` dict, must not hold a bare
  English literal: wrap it in ``_()`` / ``ngettext()`` (domain mapcore) or ``curated()`` (domain texts).
- Text modules (legends, tooltips, captions built as data): a literal sentence (three words or more) outside
  ``_()``/``N_()``/``ngettext()``/``curated()``/``NT_()``, docstrings, ``raise`` and comparisons fails.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WRAPPERS = {"_", "N_", "ngettext", "gettext", "curated", "NT_"}
DISPLAY_CALLS = {
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "metric",
    "button",
    "link_button",
    "download_button",
    "page_link",
    "selectbox",
    "radio",
    "multiselect",
    "segmented_control",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "toggle",
    "checkbox",
    "slider",
    "select_slider",
    "expander",
    "popover",
    "tabs",
    "set_page_config",
    "write",
    "text",
    "spinner",
    "form_submit_button",
    "LinkColumn",
    "DateColumn",
    "NumberColumn",
    "CheckboxColumn",
    "TextColumn",
    "Column",
    "ProgressColumn",
    "cache_resource",
    "cache_data",  # their show_spinner: a decorator's text is fixed at import, in no reader's language
}
TEXT_KEYWORDS = {"label", "help", "placeholder", "page_title", "display_text", "title", "caption", "show_spinner"}
WORDS = re.compile(r"[A-Za-z]{2,}")
SENTENCE = re.compile(r"[A-Za-z][A-Za-z'’]*[,;:]?\s+[A-Za-z][A-Za-z'’]*[,;:]?\s+[A-Za-z]")  # three words
DATA_MARK = "# i18n: data"  # a line holding a literal that is data (a word list, a pattern), not text

PAGES = [
    "app.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")),
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "src" / "mapcore" / "app" / "ui").glob("*.py")),
]
TEXT_MODULES = [
    "src/mapcore/app/page_parts.py",
    "src/mapcore/render/map_catalog.py",
    "src/mapcore/render/maps.py",
    "src/mapcore/render/law_layer.py",
    "src/mapcore/render/compliance_map.py",
    "src/mapcore/render/charts.py",
    "src/mapcore/render/caption.py",
    "src/mapcore/analysis/compliance.py",
    "src/mapcore/analysis/state_profile.py",
    "src/mapcore/analysis/agency_lookup.py",
    "src/mapcore/app/about_text.py",
    # the words layer: every sentence made from analysis facts
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "src" / "mapcore" / "words").glob("*.py")),
]


def _is_wrapped(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in WRAPPERS


def bare_texts(node: ast.AST | None) -> list[str]:
    """The English literals an expression shows as they are (an empty list when all go through a catalog).
    Calls other than ``.format``/``.join`` are trusted: the functions they call are scanned in their module."""
    if node is None or _is_wrapped(node):
        return []
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) and WORDS.search(node.value) else []
    if isinstance(node, ast.JoinedStr):
        found = [v.value for v in node.values if isinstance(v, ast.Constant) and WORDS.search(str(v.value))]
        return found + [t for v in node.values if isinstance(v, ast.FormattedValue) for t in bare_texts(v.value)]
    if isinstance(node, ast.BinOp):
        return bare_texts(node.left) + bare_texts(node.right)
    if isinstance(node, ast.IfExp):
        return bare_texts(node.body) + bare_texts(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [t for element in node.elts for t in bare_texts(element)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        return bare_texts(node.func.value)
    return []


def display_offences(tree: ast.AST) -> list[tuple[int, str]]:
    """Rule 1 (files that call streamlit)."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        shown: list[ast.AST] = []
        if node.func.attr in DISPLAY_CALLS:
            shown += node.args[:1] if node.func.attr != "page_link" else []  # a page link's first argument is its path
            shown += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        config = [k.value for k in node.keywords if k.arg == "column_config"]
        for value in config:
            if isinstance(value, ast.Dict):
                shown += [v for v in value.values if v is not None]
        out += [(node.lineno, text) for item in shown for text in bare_texts(item)]
    return out


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _statement_spans(tree: ast.AST) -> dict[int, tuple[int, int]]:
    """The lines of the simple statement each node sits in: a ``# i18n: data`` mark anywhere on a statement marks
    its literals, however a formatter breaks the statement over lines."""
    spans: dict[int, tuple[int, int]] = {}
    for stmt in ast.walk(tree):
        if isinstance(stmt, ast.stmt) and not hasattr(stmt, "body"):
            for child in ast.walk(stmt):
                spans[id(child)] = (stmt.lineno, stmt.end_lineno or stmt.lineno)
    return spans


def sentence_offences(tree: ast.AST, lines: list[str] | None = None) -> list[tuple[int, str]]:
    """Rule 2 (text modules): literal sentences not inside a catalog call, docstring, raise or comparison
    (nor on a line marked ``# i18n: data``)."""
    skip: set[int] = _docstrings(tree)
    for node in ast.walk(tree):
        if (
            _is_wrapped(node)
            or isinstance(node, (ast.Raise, ast.Compare, ast.Assert))
            or (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("warn", "debug", "info", "warning", "error", "exception")
            )
        ):
            skip |= {id(child) for child in ast.walk(node)}
    span = _statement_spans(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            first, last = span.get(id(node), (node.lineno, node.end_lineno or node.lineno))
            marked = lines is not None and any(DATA_MARK in lines[n - 1] for n in range(first, last + 1))
            if SENTENCE.search(node.value) and not marked:
                out.append((node.lineno, node.value))
    return out


def offences(path: str) -> list[tuple[int, str]]:
    source = (ROOT / path).read_text(encoding="utf-8")
    tree = ast.parse(source, filename=path)
    return display_offences(tree) if path in PAGES else sentence_offences(tree, source.splitlines())


@pytest.mark.parametrize("path", PAGES + TEXT_MODULES)
def test_no_user_facing_literal_bypasses_the_catalog(path):
    found = offences(path)
    assert not found, "\n".join(f"{path}:{line}: {text!r} -- wrap it in _() (then `make locale`)" for line, text in found)


@pytest.mark.parametrize(
    ("snippet", "bad"),
    [
        ('st.title("Explore 287(g) agreements")', True),
        ('col.metric(f"{n} agencies", value)', True),
        ('st.selectbox(_("State"), states, help="All 50 states and DC.")', True),
        ('st.dataframe(t, column_config={"agency": "Agency"})', True),
        ('st.tabs(["Added", _("Removed")])', True),
        ('st.caption(_("Rows {n}").format(n=3) + " the downloads hold every row.")', True),
        ('st.title(_("Explore 287(g) agreements"))', False),
        ('st.subheader(ngettext("{n} agreement", "{n} agreements", n).format(n=n))', False),
        ("st.markdown(curated(summary))", False),
        ('st.markdown(f"**{title}**")', False),
        ('st.page_link("pages/1_Explore.py", label=_("Explore"), icon="🔎")', False),  # the first argument is a path
        ('st.page_link("pages/1_Explore.py", label="Explore")', True),
        ('@st.cache_resource(show_spinner="Indexing agency names…")\ndef f(): pass', True),
        ("@st.cache_resource(show_spinner=False)\ndef f(): pass", False),
    ],
)
def test_the_display_scan_fails_on_a_bare_literal(snippet, bad):
    assert bool(display_offences(ast.parse(snippet))) is bad


def test_the_sentence_scan_fails_on_a_bare_legend_text_and_spares_marked_ones():
    module = ast.parse('''
"""Docstring with many words is fine."""
LEGEND = {"title": "Agreements per county shown here", "items": []}
OK = N_("Agreements per county")
def f(x):
    if x == "a plain comparison value":
        raise ValueError("an error for developers, not readers")
    return _("Statewide agencies: {names}").format(names=x)
''')
    assert [text for _, text in sentence_offences(module)] == ["Agreements per county shown here"]


# ------------------------------------------------------------------------------------------------
# The map view (render/web/mapview.js): every word it shows comes from Python, in the reader's language.

MAPVIEW = ROOT / "src" / "mapcore" / "render" / "web" / "mapview.js"
JS_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'')
JS_TEXT = re.compile(r"[A-Z][a-z]{2,}|\b[a-z]{2,}\s+[a-z]{2,}\b")
# Literals that look like words but are names of the DOM, GeoJSON or JavaScript, never shown.
JS_NOT_TEXT = {"Feature", "FeatureCollection", "MultiPolygon", "clipPath", "use strict", "noopener noreferrer"}


def js_words(source: str) -> list[tuple[int, str]]:
    """String literals of a script that a reader could read (outside comments and ``// i18n: data`` lines)."""
    found = []
    for number, line in enumerate(source.splitlines(), 1):
        code = re.sub(r"^\s*(\*|/\*|//).*$", "", line)  # comment lines
        if DATA_MARK.replace("#", "//") in line:
            continue
        for match in JS_STRING.finditer(code):
            text = match.group(1) if match.group(1) is not None else match.group(2)
            if (
                text in JS_NOT_TEXT or all("-" in word or "." in word for word in text.split()) or (" " not in text and text[:1].islower())
            ):  # class names, identifiers ("streamlit:render")
                continue
            if JS_TEXT.search(text):
                found.append((number, text))
    return found


def test_mapview_js_holds_no_words_of_its_own():
    found = js_words(MAPVIEW.read_text(encoding="utf-8"))
    assert not found, "\n".join(f"mapview.js:{n}: {text!r} -- send it from Python (maps.web_texts)" for n, text in found)


@pytest.mark.parametrize(
    ("snippet", "bad"),
    [
        ('var box = tipBox(state + ": state law", law.t);', True),
        ('el("a", null, "Source", box);', True),
        ('showEmpty(words(spec).failed || "The map could not be drawn:");', True),
        ('el("div", "mc-legend mapcore-legend", null, side);', False),
        ('el("a", null, words(this.spec).source || "", box);', False),
    ],
)
def test_the_js_scan_fails_on_a_bare_word(snippet, bad):
    assert bool(js_words(snippet)) is bad


def test_every_word_mapview_js_reads_is_sent_in_the_readers_language():
    """Each ``words(spec).key`` / ``w.key`` the script reads is a key of :func:`mapcore.render.maps.web_texts`, and
    each is translated in Spanish."""
    from mapcore.core import i18n
    from mapcore.render.maps import web_texts

    source = MAPVIEW.read_text(encoding="utf-8")
    read = set(re.findall(r"words\([^()]*\)\.(\w+)", source)) | set(re.findall(r"\bw\.(\w+)", source))
    english = web_texts()
    assert read and read <= set(english), sorted(read - set(english))
    with i18n.using_language("es"):
        spanish = web_texts()
    same = [k for k in read if k != "lang" and spanish[k] == english[k]]
    assert not same, same


# ------------------------------------------------------------------------------------------------
# State names: what a reader sees names a state through mapcore.words.places (its name in the reader's language),
# never through the English name of analysis.state_profile or the us package.

ENGLISH_STATE_NAME = re.compile(r"state_profile import [^\n]*\bstate_(name|label)\b|\bsp\.state_(name|label)\(|\bus\.states\.")
SHOWN = [
    "app.py",
    *(str(p.relative_to(ROOT)) for p in sorted((ROOT / "pages").glob("*.py"))),
    *(str(p.relative_to(ROOT)) for folder in ("app", "words", "render") for p in sorted((ROOT / "src" / "mapcore" / folder).rglob("*.py"))),
]


def test_every_shown_state_name_comes_from_words_places():
    found = [
        f"{path}:{n}: {line.strip()}"
        for path in SHOWN
        for n, line in enumerate((ROOT / path).read_text(encoding="utf-8").splitlines(), 1)
        if ENGLISH_STATE_NAME.search(line)
    ]
    assert not found, "\n".join(found) + "\n-- name states with mapcore.words.places.state_name"
    assert ENGLISH_STATE_NAME.search("from mapcore.analysis.state_profile import state_name")
    assert ENGLISH_STATE_NAME.search("st.header(sp.state_name(state))")
    assert not ENGLISH_STATE_NAME.search("from mapcore.words.places import state_name")
