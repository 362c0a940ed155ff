"""The house by stage: rooms that must not lean on each other, checked on every import a module
makes (inside functions too) and on what those imports import in turn (issues 11 and 16)."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import kooperacja

PACKAGE = Path(kooperacja.__file__).parent
STAGES = ("harvest", "extract", "tag", "search")
# Shared by every room: the top-level modules and the one way a web page is read.
SHARED = {"config", "models", "errors", "text", "i18n", "dates", "filetypes", "progress", "output"}
SHARED_PACKAGES = {"webpage"}
COMPOSERS = {"cli", "runner", "__main__"}
MAX_LINES = 500
MAX_TOP_MODULES = 12
SQL = re.compile(r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+"
                 r"(TABLE|INDEX))\b|\.execute(many|script)?\(", re.S)


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(("kooperacja", *parts))] = path
    return out


MODULES = _modules()


def _resolve(name: str, package: str, level: int) -> str:
    if level:
        base = package.split(".")[: len(package.split(".")) - level + 1]
        return ".".join([*base, name] if name else base)
    return name


@cache
def _direct(module: str) -> frozenset[str]:
    """The package's modules that `module` imports, anywhere in its body."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            base = _resolve(node.module or "", package, node.level)
            names = [base, *(f"{base}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found.update(n for n in names if n in MODULES and n != module)
    return frozenset(found)


@cache
def _closure(module: str) -> frozenset[str]:
    seen: set[str] = set()
    todo = [module]
    while todo:
        for dep in _direct(todo.pop()):
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return frozenset(seen - {module})


def _room(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "kooperacja"
    if len(parts) == 2 and MODULES[module].name != "__init__.py":
        return "shared" if parts[1] in SHARED else parts[1]
    return "shared" if parts[1] in SHARED_PACKAGES else parts[1]


def _rooms_reached(module: str) -> set[str]:
    return {_room(dep) for dep in _closure(module)} - {_room(module), "kooperacja"}


def test_every_module_belongs_to_a_room_the_design_names() -> None:
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top
    rooms = {_room(m) for m in MODULES} - {"kooperacja"}
    expected = {*STAGES, "shared", "archive", "exports", "web", "cli", "runner", "__main__"}
    assert rooms == expected


def test_no_cycle_between_rooms() -> None:
    edges = {(_room(m), _room(d)) for m in MODULES for d in _direct(m)}
    edges = {(a, b) for a, b in edges if a != b and "kooperacja" not in (a, b)}
    reach: dict[str, set[str]] = {}
    for a, b in edges:
        reach.setdefault(a, set()).add(b)
    changed = True
    while changed:
        changed = False
        for _a, targets in reach.items():
            more = set().union(*(reach.get(b, set()) for b in targets)) - targets
            if more:
                targets |= more
                changed = True
    assert not [a for a, targets in reach.items() if a in targets]


def test_the_stages_import_none_of_each_other() -> None:
    for module in MODULES:
        room = _room(module)
        if room in STAGES:
            others = _rooms_reached(module) & set(STAGES)
            assert not others, f"{module} reaches {sorted(others)}"


def test_the_archive_imports_no_stage_and_shared_modules_no_room() -> None:
    for module in MODULES:
        room = _room(module)
        reached = _rooms_reached(module)
        if room == "archive":
            assert reached <= {"shared"}, f"{module} reaches {sorted(reached)}"
        elif room == "shared":
            assert not reached, f"{module} reaches {sorted(reached)}"
        elif room == "exports":
            assert reached <= {"shared", "archive"}, f"{module} reaches {sorted(reached)}"
        elif room == "web":
            assert reached <= {"shared", "archive", "search", "exports"}, module


def test_harvest_stores_bytes_and_extract_alone_makes_text() -> None:
    for module in MODULES:
        if _room(module) == "harvest":
            reached = _closure(module)
            assert not any(n.startswith("kooperacja.extract") for n in reached), module
            assert not _names_imported(module) & {"kooperacja.archive.store.write_pages"}, module
        if _room(module) == "extract":
            assert not any(n.startswith("kooperacja.harvest") for n in _closure(module)), module


def _names_imported(module: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_the_crawl_is_an_object_with_short_steps() -> None:
    tree = ast.parse((PACKAGE / "harvest" / "crawl.py").read_text(encoding="utf-8"))
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    assert "PartnerCrawl" in classes
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            params = [a.arg for a in node.args.args if a.arg != "self"]
            # crawl_partner's signature is the public one the runner calls
            assert length <= 40, f"{node.name} is {length} lines"
            assert len(params) <= 6, f"{node.name} takes {len(params)} arguments"


def _third_party(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
    return names


def test_only_the_engine_module_imports_tantivy() -> None:
    importers = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "tantivy" in _third_party(path)
    }
    assert importers == {"search/engine.py"}
    assert not any("whoosh" in _third_party(path) for path in PACKAGE.rglob("*.py"))


def test_sql_is_written_only_in_the_archive_and_the_index_vocabulary() -> None:
    writers = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if SQL.search(path.read_text(encoding="utf-8"))
    }
    outside = {w for w in writers if not w.startswith("archive/")}
    assert outside <= {"search/vocab.py"}, sorted(outside)
    assert any(w.startswith("archive/") for w in writers)  # the check sees SQL where it is


def test_no_module_is_over_500_lines() -> None:
    long = {
        path.relative_to(PACKAGE).as_posix(): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long


def test_the_readme_and_the_design_name_every_room() -> None:
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("Where each behaviour lives")
    table = readme[start : readme.index("\nLayout:", start)]
    rows = "\n".join(line for line in table.splitlines() if line.startswith("| "))
    for room in (*STAGES, "archive", "exports", "web", "cli", "webpage"):
        assert f"`{room}/" in table, room
    for name in ("ocr.py", "office.py"):
        assert f"extract/{name}" in table, name
    for path in re.findall(r"`((?:[a-z_]+/)*[a-z_]+\.py)`", rows):
        assert (PACKAGE / path).exists() or (PACKAGE.parent / path).exists(), path


def test_the_design_layout_names_rooms_the_code_has() -> None:
    """../shared/DESIGN.md's layout (read-only here): every room it names is a package, every
    shared module it names is at the top, and each stage it gives a run has its `run.py`."""
    design = (PACKAGE.parents[2] / "shared" / "DESIGN.md").read_text(encoding="utf-8")
    layout = design[design.index("## Layout") : design.index("## Habits")]
    rooms = re.findall(r"^  ([a-z]+)/\s", layout, re.M)
    assert set(rooms) == {*STAGES, "archive", "exports", "web"}
    for room in rooms:
        assert (PACKAGE / room / "__init__.py").exists(), room
    for room in ("extract", "tag"):
        assert (PACKAGE / room / "run.py").exists(), room
    shared_line = next(line for line in layout.splitlines() if "shared by every room" in line)
    for name in re.findall(r"([a-z0-9_]+)\.py", shared_line):
        assert name in SHARED and (PACKAGE / f"{name}.py").exists(), name
    assert (PACKAGE / "runner.py").exists() and (PACKAGE / "cli" / "__init__.py").exists()
