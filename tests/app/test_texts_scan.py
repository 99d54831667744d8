"""No user-facing literal of the About and Methodology pages or of their text modules bypasses the catalog
(domain ``texts``). An AST scan, two rules:

1. Display calls (``st.title``/``header``/``markdown``/``metric``/``expander``/..., column labels, ``rename``):
   every string or f-string argument that holds a word must come from a translation call
   (``curated``/``_``/...), possibly ``.format``-ed or joined.
2. Anywhere else in these files: a literal of two or more words (a phrase a reader could see) must be inside a
   translation call or a marker (``NT_``), unless it is a docstring, a dict key, a comparison operand, an
   error message, HTML markup, or one of the few named exceptions below (each says why).

The same kind of scan for the other pages lives in its own test file (domain ``mapcore``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCANNED = (
    "pages/6_About.py",
    "pages/7_Methodology.py",
    "src/mapcore/app/about_text.py",
    "src/mapcore/words/methodology.py",
    "src/mapcore/words/context.py",
)

TRANSLATORS = {"curated", "NT_", "_", "N_", "gettext", "ngettext"}
DISPLAY = {
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
    "expander",
    "tabs",
    "write",
    "text",
    "button",
    "page_link",
    "popover",
    "download_button",
    "selectbox",
    "radio",
    "multiselect",
    "checkbox",
    "toggle",
    "slider",
    "text_input",
    "TextColumn",
    "DateColumn",
    "NumberColumn",
    "LinkColumn",
    "Column",
    "ProgressColumn",
    "rename",
}
NOT_TEXT_KEYWORDS = {
    "anchor",
    "width",
    "height",
    "format",
    "key",
    "icon",
    "unsafe_allow_html",
    "hide_index",
    "type",
    "use_container_width",
    "divider",
    "query_params",
    "mime",
    "file_name",
    "disabled",
    "tab",
}
# Named exceptions to rule 2, each with its reason.
EXEMPT_CONSTANTS = {
    "SOURCES": "source titles are report names, kept in English as published; the rest are URLs",
    "__all__": "names of the module's API",
}
_WORDS = re.compile(r"[A-Za-z]{2,}[\s,;:]+[A-Za-z]{2,}")
_WORD = re.compile(r"[A-Za-z]{2,}")
_LETTER = re.compile(r"[A-Za-z]")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _name(func: ast.expr) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _has_letters(text: str) -> bool:
    return bool(_LETTER.search(_PLACEHOLDER.sub("", text)))


def _is_phrase(text: str, words: re.Pattern[str] = _WORDS) -> bool:
    stripped = text.strip()
    return bool(words.search(_PLACEHOLDER.sub("", text))) and not stripped.startswith("<") and not re.fullmatch(r"https?://\S+", stripped)


class Scanner(ast.NodeVisitor):
    """Collects (line, text) of literals that bypass the catalog."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self.safe: set[int] = set()  # ids of literal nodes rule 2 must not flag

    # --- rule 1 -------------------------------------------------------------------------------
    def display_argument(self, node: ast.expr) -> None:
        """Flag bare literals reaching a display call (words of any length); what it judges, rule 2 skips."""
        self.safe.add(id(node))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _has_letters(node.value):
                self.found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            for part in node.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str) and _has_letters(part.value):
                    self.found.append((node.lineno, ast.unparse(node)))
                    break
                if isinstance(part, ast.FormattedValue):
                    self.display_argument(part.value)
            for part in node.values:
                self.safe.add(id(part))
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            if name in TRANSLATORS:
                return
            if name in {"format", "join"} and isinstance(node.func, ast.Attribute):
                self.display_argument(node.func.value)
                for arg in node.args:
                    self.display_argument(arg)
                for kw in node.keywords:
                    self.display_argument(kw.value)
        elif isinstance(node, ast.BinOp):
            self.display_argument(node.left)
            self.display_argument(node.right)
        elif isinstance(node, ast.IfExp):
            self.display_argument(node.body)
            self.display_argument(node.orelse)
        elif isinstance(node, ast.Dict):
            for value in node.values:
                self.display_argument(value)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for element in node.elts:
                self.display_argument(element)
        elif isinstance(node, (ast.GeneratorExp, ast.ListComp)):
            self.display_argument(node.elt)

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802 - ast.NodeVisitor's naming
        name = _name(node.func)
        if name in TRANSLATORS:
            for sub in ast.walk(node):
                self.safe.add(id(sub))
            return  # what a translator call holds is in the catalog
        if name in DISPLAY:
            args = node.args[1:] if name == "page_link" else node.args  # page_link's first argument is a page path
            keywords = [kw for kw in node.keywords if kw.arg not in NOT_TEXT_KEYWORDS and not (name == "page_link" and kw.arg != "label")]
            if name == "rename":  # only the labels a table is shown with (Series.rename("x") names data)
                args, keywords = [], [kw for kw in node.keywords if kw.arg in {"columns", "index"}]
            judged = [*args, *(kw.value for kw in keywords)]
            for sub in [*node.args, *(kw.value for kw in node.keywords)]:
                if not any(sub is j for j in judged):
                    for inner in ast.walk(sub):
                        self.safe.add(id(inner))  # page paths, widths, URL values: not text
            for sub in judged:
                self.display_argument(sub)
        self.generic_visit(node)

    # --- rule 2 exemptions ----------------------------------------------------------------------
    def visit_Raise(self, node: ast.Raise) -> None:  # noqa: N802
        for sub in ast.walk(node):
            self.safe.add(id(sub))  # error messages go to logs and developers, not through the page

    def visit_Compare(self, node: ast.Compare) -> None:  # noqa: N802
        for sub in [node.left, *node.comparators]:
            if isinstance(sub, ast.Constant):
                self.safe.add(id(sub))  # comparing to a msgid (the English key), not showing it
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:  # noqa: N802
        for key in node.keys:
            if key is not None:
                self.safe.add(id(key))  # internal keys (column names, codes)
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:  # noqa: N802
        for sub in ast.walk(node.slice):
            self.safe.add(id(sub))
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:  # noqa: N802
        self._constant(node.targets[0], node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:  # noqa: N802
        if node.value is not None:
            self._constant(node.target, node.value)
        self.generic_visit(node)

    def _constant(self, target: ast.expr, value: ast.expr) -> None:
        name = target.id if isinstance(target, ast.Name) else ""
        if name in EXEMPT_CONSTANTS:
            for sub in ast.walk(value):
                self.safe.add(id(sub))


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def bypassing_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every user-facing literal in ``source`` that bypasses the catalog."""
    tree = ast.parse(source)
    scanner = Scanner()
    scanner.visit(tree)
    safe = scanner.safe | _docstrings(tree)
    found = list(scanner.found)
    for node in ast.walk(tree):
        if id(node) in safe:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _is_phrase(node.value):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(p.value for p in node.values if isinstance(p, ast.Constant) and isinstance(p.value, str))
            if _is_phrase(text, _WORD):  # an f-string with a word in it is a sentence built from pieces
                found.append((node.lineno, ast.unparse(node)))
                for part in node.values:
                    safe.add(id(part))
    return sorted(set(found))


@pytest.mark.parametrize("path", SCANNED)
def test_no_user_facing_literal_bypasses_the_texts_catalog(path):
    found = bypassing_literals((REPO / path).read_text(encoding="utf-8"))
    assert not found, f"{path}: wrap these in curated(...) (shown) or NT_(...) (constants), then `make locale`:\n" + "\n".join(
        f"  line {line}: {text[:90]!r}" for line, text in found
    )


@pytest.mark.parametrize(
    "snippet",
    [
        'st.header("Sources", anchor=False)',
        'st.title(f"Methodology of {name}")',
        'col.metric("Rows", 3)',
        'st.markdown(curated("A sentence.") + " And a bare one.")',
        'st.dataframe(frame, column_config={"quirk": st.column_config.TextColumn("Quirk", width="large")})',
        'st.table(frame.rename(columns={"method": "Method"}))',
        'st.subheader(curated("Not placed ({n})").format(n=3) if x else "Nothing here")',
        'st.expander(f"{n} files" if n else "none")',
        'PLACEMENT_RULES = {"a": "A rule in plain English, not marked."}',
        'loaded = f"Participating: {span(part)}."',
        'def f():\n    return "Two words"',
        'page_link("pages/2_State.py", "Open a state")',
    ],
)
def test_the_scan_fails_on_a_bare_literal(snippet):
    assert bypassing_literals(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        'st.header(curated("Sources"), anchor=False)',
        'st.markdown(curated("{n} sheets").format(n=format_number(3)) + " " + curated("More."), unsafe_allow_html=True)',
        'RULES = (NT_("A rule, marked."),)',
        'if heading == "The three models":\n    pass',
        'x = frame["a column"]',
        'raise ValueError("a message for developers")',
        'st.metric(curated("Match rate"), "–")',
        'page_link("pages/2_State.py", curated("Open a state"), tab="Law changes")',
        'SOURCES = {"ice": ("ICE: Delegation of Authority", "https://www.ice.gov/")}',
        'def f():\n    """A docstring, not shown."""\n    return f"<li>{x}</li>"',
    ],
)
def test_the_scan_passes_wrapped_or_internal_literals(snippet):
    assert bypassing_literals(snippet) == [], snippet


def test_a_phrase_hidden_in_a_helper_call_inside_a_display_call_is_still_caught():
    assert bypassing_literals('st.markdown(md_text("A bare phrase inside a helper"))')
