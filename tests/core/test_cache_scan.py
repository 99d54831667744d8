"""Facts cached, words made when shown: no cached function of mapcore can make a sentence in one reader's language.

A scan of the syntax tree, no code run. Every function cached for the process (``functools.cache``,
``lru_cache``, ``st.cache_resource``/``st.cache_data``, ``cached_property``) is followed through the functions it
calls or names (in its own module and, through the imports, in every other module of mapcore); none may reach a
function of :mod:`mapcore.core.i18n` that reads the reader's language (``_``, ``ngettext``, ``curated``,
``format_day`` ...). Calls the scan cannot resolve (methods of objects passed in) are left to the run-time test
of the app's caches (tests/app/test_cached_words.py), which calls each of them in Spanish and in English.

Module-level memos (a dict or list filled by functions) are listed here, each with why it holds no one reader's words.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
I18N = "mapcore.core.i18n"
# What reads the reader's language (the markers N_ / NT_ only mark a msgid, and stay English).
LANGUAGE_READERS = {
    "gettext",
    "_",
    "ngettext",
    "curated",
    "format_number",
    "format_percent",
    "format_date",
    "format_day",
    "babel_locale",
    "current_language",
}
CACHE_DECORATORS = {"cache", "lru_cache", "cache_resource", "cache_data", "cached_property"}
EXEMPT = {  # cached functions that are meant to hold one language, each keyed by it
    "mapcore.core.i18n.translations": "the compiled catalog of one language, keyed by that language"
}
REVIEWED_CALLS: dict[tuple[str, str], str] = {  # calls the scan cannot read the arguments of, each checked by hand
    # (none: analysis.law_on_day makes no words at all since the law's words moved to words.law)
}
MEMOS = {  # module-level containers that functions fill, and why none holds one reader's words
    "mapcore.app.ui.maps._MADE": "made files keyed by a digest of the language, spec and caption: one entry per "
    "language (tests/app/test_i18n_downloads.py)",
    "mapcore.build.store._pinned": "leases on dataset folders: no text",
}


def module_name(path: Path, root: Path = SRC) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class Module:
    """One module's functions (top level and methods, by name) and what its imported names stand for."""

    def __init__(self, name: str, tree: ast.Module, package: bool = False):
        self.name, self.tree = name, tree
        self.functions: dict[str, ast.AST] = {}
        self.imports: dict[str, tuple[str, str | None]] = {}  # local name -> (module, attribute or None)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self.functions[f"{node.name}.{item.name}"] = item
        base = name if package else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    self.imports[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0],
                        None,
                    )
            elif isinstance(node, ast.ImportFrom):
                source = node.module or ""
                if node.level:
                    source = ".".join([*base.split(".")[: len(base.split(".")) - node.level + 1], *filter(None, [source])])
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (source, alias.name)


@functools.cache
def load(root: Path = SRC) -> dict[str, Module]:
    return {
        module_name(p, root): Module(module_name(p, root), ast.parse(p.read_text(encoding="utf-8")), p.stem == "__init__")
        for p in sorted(root.rglob("*.py"))
    }


def _decorator_names(node: ast.AST) -> set[str]:
    names = set()
    for decorator in getattr(node, "decorator_list", []):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        names.add(target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", ""))
    return names


def cached_functions(modules: dict[str, Module]) -> list[tuple[str, str]]:
    return [(m.name, f) for m in modules.values() for f, node in m.functions.items() if _decorator_names(node) & CACHE_DECORATORS]


def _targets(modules: dict[str, Module], module: Module, node: ast.AST) -> list[tuple[str, str]]:
    """(module, function) of every name or attribute a function's body refers to that the scan can resolve."""
    out = []
    local = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    local |= {a.arg for n in ast.walk(node) if isinstance(n, ast.arguments) for a in [*n.posonlyargs, *n.args, *n.kwonlyargs]}
    for item in ast.walk(node):
        if isinstance(item, ast.Name) and item.id not in local:
            if item.id in module.functions:
                out.append((module.name, item.id))
            elif item.id in module.imports:
                source, attribute = module.imports[item.id]
                if attribute is not None:
                    out.append((source, attribute) if source in modules or source == I18N else (f"{source}.{attribute}", ""))
        elif isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name):
            if item.value.id in module.imports:  # alias.function, alias a module ("from mapcore.core import i18n")
                source, attribute = module.imports[item.value.id]
                out.append((f"{source}.{attribute}" if attribute else source, item.attr))
            elif item.value.id in ("self", "cls"):
                cls = next((name.split(".")[0] for name, fn in module.functions.items() if fn is node), None)
                if cls:
                    out.append((module.name, f"{cls}.{item.attr}"))
    return out


def language_path(modules: dict[str, Module], start: tuple[str, str]) -> list[str] | None:
    """The chain of calls from ``start`` to a reader of the language, or None when there is none."""
    seen: set[tuple[str, str]] = set()
    stack: list[tuple[tuple[str, str], list[str]]] = [(start, [".".join(start)])]
    while stack:
        (mod, fn), path = stack.pop()
        if (mod, fn) in seen:
            continue
        seen.add((mod, fn))
        if mod == I18N and fn in LANGUAGE_READERS:
            return path
        module = modules.get(mod)
        if module is None or fn not in module.functions:
            continue
        for target in _targets(modules, module, module.functions[fn]):
            if (".".join((mod, fn)), ".".join(target)) not in REVIEWED_CALLS:
                stack.append((target, [*path, ".".join(target)]))
    return None


def test_the_scan_finds_the_caches_it_must_follow():
    modules = load()
    found = {f"{m}.{f}" for m, f in cached_functions(modules)}
    assert {
        "mapcore.app.ui.cache._restricted",
        "mapcore.analysis.agency_search.normalise",
        "mapcore.geo.boundaries.county_table",
        "mapcore.render.maps.view_bounds",
        "mapcore.app.data.AppData.counties",
    } <= found
    assert len(found) >= 30


def test_no_cached_function_reaches_the_readers_language():
    modules = load()
    offenders = {}
    for mod, fn in cached_functions(modules):
        if f"{mod}.{fn}" in EXEMPT:
            continue
        path = language_path(modules, (mod, fn))
        if path:
            offenders[f"{mod}.{fn}"] = " -> ".join(path)
    assert offenders == {}, "cached functions that make words: cache facts, word them when shown"


def test_the_scan_catches_words_made_two_calls_below_a_cache(tmp_path):
    """The check can fail: a cached function whose helper's helper translates is caught."""
    package = tmp_path / "mapcore"
    (package / "core").mkdir(parents=True)
    (package / "core" / "i18n.py").write_text("def _(m):\n    return m\n")
    (package / "lib.py").write_text("from mapcore.core.i18n import _\n\ndef label(code):\n    return _(code)\n")
    (package / "cached.py").write_text(
        "import functools\nfrom mapcore import lib\n\ndef helper(x):\n    return lib.label(x)\n\n"
        "@functools.lru_cache(maxsize=2)\ndef table(x):\n    return [helper(x)]\n\n"
        "@functools.cache\ndef facts(x):\n    return [x]\n"
    )
    modules = load(tmp_path)
    assert language_path(modules, ("mapcore.cached", "table")) == [
        "mapcore.cached.table",
        "mapcore.cached.helper",
        "mapcore.lib.label",
        "mapcore.core.i18n._",
    ]
    assert language_path(modules, ("mapcore.cached", "facts")) is None


def _module_memos(module: Module) -> set[str]:
    """Module-level names bound to an empty dict, list, set or OrderedDict that a function fills."""
    empty = set()
    for node in module.tree.body:
        target, value = (
            (node.targets[0], node.value)
            if isinstance(node, ast.Assign)
            else ((node.target, node.value) if isinstance(node, ast.AnnAssign) else (None, None))
        )
        if isinstance(target, ast.Name) and isinstance(value, (ast.Dict, ast.List, ast.Set, ast.Call)):
            call = value.func if isinstance(value, ast.Call) else None
            if (call is None and not getattr(value, "elts", getattr(value, "keys", [None]))) or (
                call is not None
                and getattr(call, "id", getattr(call, "attr", "")) in ("dict", "list", "set", "OrderedDict")
                and not value.args
            ):
                empty.add(target.id)
    filled = set()
    for fn in module.functions.values():
        for item in ast.walk(fn):
            if isinstance(item, ast.Subscript) and isinstance(item.ctx, ast.Store) and getattr(item.value, "id", None) in empty:
                filled.add(item.value.id)
            if (
                isinstance(item, ast.Call)
                and isinstance(item.func, ast.Attribute)
                and getattr(item.func.value, "id", None) in empty
                and item.func.attr in ("append", "add", "update", "setdefault")
            ):
                filled.add(item.func.value.id)
    return filled


@pytest.mark.parametrize("call", sorted(REVIEWED_CALLS))
def test_each_reviewed_call_is_still_made(call):
    caller, callee = call
    module, _, fn = caller.rpartition(".")
    modules = load()
    assert tuple(callee.rsplit(".", 1)) in _targets(modules, modules[module], modules[module].functions[fn])


@pytest.mark.parametrize("memo", sorted(MEMOS))
def test_each_listed_memo_exists(memo):
    module, _, name = memo.rpartition(".")
    assert name in _module_memos(load()[module])


def test_every_module_level_memo_is_reviewed():
    found = {f"{m.name}.{name}" for m in load().values() for name in _module_memos(m)}
    assert found == set(MEMOS), "a new module-level memo: say why it holds no one reader's words (MEMOS)"
