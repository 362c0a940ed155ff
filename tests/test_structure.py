"""Rooms that must not lean on each other, and the crawl's shape (issue 11, item 5)."""

import ast
from pathlib import Path

import kooperacja

PACKAGE = Path(kooperacja.__file__).parent


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_harvest_stores_bytes_and_extract_alone_makes_text() -> None:
    for path in (PACKAGE / "harvest").glob("*.py"):
        imported = _imports(path)
        assert not any(n.startswith("kooperacja.extract") for n in imported), path.name
        assert "kooperacja.archive.store.write_pages" not in imported, path.name
    for path in (PACKAGE / "extract").glob("*.py"):
        assert not any(n.startswith("kooperacja.harvest") for n in _imports(path)), path.name


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


def test_only_the_engine_module_imports_tantivy() -> None:
    importers = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if any(n == "tantivy" or n.startswith("tantivy.") for n in _imports(path))
    }
    assert importers == {"search/engine.py"}
    assert not any(
        n.startswith("whoosh") for path in PACKAGE.rglob("*.py") for n in _imports(path)
    )
