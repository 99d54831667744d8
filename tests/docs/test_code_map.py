"""The map of the code matches the code: the README's Layout names every package's modules, docs/architecture.md
has a line for every module, and every module those documents name exists.

A module added without its line here, or a line left for a module that moved, fails with the names to fix.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "mapcore"
README = (REPO / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")


def modules() -> set[str]:
    """Every module and package of mapcore, dotted ('mapcore.words.compliance', 'mapcore.app.ui')."""
    out = set()
    for path in SRC.rglob("*.py"):
        parts = ["mapcore", *path.relative_to(SRC).with_suffix("").parts]
        out.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


def section(text: str, heading: str) -> str:
    """The text under a markdown heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    following = re.search(rf"^#{{1,{len(level)}}} ", text[start + len(heading) :], flags=re.MULTILINE)
    return text[start : start + len(heading) + following.start()] if following else text[start:]


def layout_lists(layout: str) -> dict[str, set[str]]:
    """'`pkg`: mod, mod, mod — prose' lines of the README's Layout (continuation lines joined): package -> modules."""
    joined = re.sub(r"\n {4,}(?!- )", " ", layout)
    found = {}
    for match in re.finditer(r"^\s*- `([a-z0-9_.]+)`: ([a-z0-9_]+(?:, [a-z0-9_]+)*)(?: — |\s*$)", joined, flags=re.MULTILINE):
        found[f"mapcore.{match.group(1)}"] = {f"mapcore.{match.group(1)}.{name}" for name in match.group(2).split(", ")}
    return found


def _defines(module: str, name: str) -> bool:
    path = SRC.joinpath(*module.split(".")[1:])
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    if not path.is_file():
        return False
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))}
    names |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    names |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    names |= {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    return name in names


def exists(dotted: str) -> bool:
    """A module or package of mapcore, or a name one defines ('mapcore.core.config.today')."""
    if dotted in modules():
        return True
    module, _, name = dotted.rpartition(".")
    return module in modules() and _defines(module, name)


def test_the_readme_layout_lists_every_module_of_every_package():
    packages = {m for m in modules() if (SRC.joinpath(*m.split(".")[1:]) / "__init__.py").is_file()} - {"mapcore"}
    listed = layout_lists(section(README, "## Layout"))
    assert set(listed) == packages, "a package missing from the README's Layout (or listed but gone)"
    for package, named in listed.items():
        inside = {m for m in modules() if m.rpartition(".")[0] == package}
        assert named == inside, f"{package}: missing {sorted(inside - named)}, gone {sorted(named - inside)}"


def test_the_architecture_module_map_has_a_line_for_every_module():
    table = section(ARCHITECTURE, "## Module map")
    lines = set(re.findall(r"^\| `(mapcore[\w.]*)` \|", table, flags=re.MULTILINE))
    assert not modules() - lines, f"modules with no line in docs/architecture.md: {sorted(modules() - lines)}"
    assert not lines - modules(), f"lines for modules that do not exist: {sorted(lines - modules())}"


def test_every_name_the_documents_give_exists():
    current = ARCHITECTURE.split("## Old → new module map")[0] + section(README, "## Layout") + section(README, "## Contributing")
    named = set(re.findall(r"`(mapcore(?:\.\w+)+)`", current)) | set(re.findall(r":mod:`(mapcore[\w.]*)`", current))
    assert named, "the documents name no module: the pattern is wrong"
    assert {n for n in named if not exists(n)} == set()


def test_the_paths_the_documents_give_exist():
    current = ARCHITECTURE.split("## Old → new module map")[0] + section(README, "## Contributing")
    paths = set(re.findall(r"\b((?:tests|docs|src/mapcore|data|pages)/[\w./]*\.(?:py|md|csv))\b", current))
    assert paths and {p for p in paths if not (REPO / p).exists()} == set()


def test_the_checks_can_fail():
    assert layout_lists("- `words`: compliance, places — words\n- `core`: schema,\n    config") == {
        "mapcore.words": {"mapcore.words.compliance", "mapcore.words.places"},
        "mapcore.core": {"mapcore.core.schema", "mapcore.core.config"},
    }
    assert not exists("mapcore.ingest.laws") and not exists("mapcore.words.compliance.no_such_name")
    assert exists("mapcore.words.compliance.relation_text") and exists("mapcore.app.ui")
