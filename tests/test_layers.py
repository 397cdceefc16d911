"""The layers import one way: newsroom/ (ground floor) imports no app, and people/ imports
nothing from articles/ at module level (docs/architecture.md)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def module_level_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import statement outside functions and classes."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in tree.body:
        # `if TYPE_CHECKING:` blocks and try/except around imports still run at import time.
        for child in ast.walk(node) if isinstance(node, ast.If | ast.Try) else [node]:
            if isinstance(child, ast.Import):
                found += [(child.lineno, alias.name) for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                found.append((child.lineno, child.module))
    return found


def all_imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import statement, wherever it stands."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def sources(package: str) -> list[Path]:
    return sorted(path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts)


def imports_app(module: str, apps: tuple[str, ...]) -> bool:
    return module.split(".")[0] in apps


@pytest.mark.parametrize("path", sources("newsroom"), ids=lambda p: p.name)
def test_the_ground_floor_imports_no_app(path):
    if path.name == "urls.py":  # the root URLconf wires the apps together; that is its job
        return
    wrong = [(line, m) for line, m in all_imports(path) if imports_app(m, ("articles", "people"))]
    assert not wrong, f"{path.relative_to(ROOT)} imports an app: {wrong}"


@pytest.mark.parametrize("path", sources("people"), ids=lambda p: str(p.relative_to(ROOT)))
def test_people_does_not_import_articles_at_module_level(path):
    wrong = [(line, m) for line, m in module_level_imports(path) if imports_app(m, ("articles",))]
    assert not wrong, f"{path.relative_to(ROOT)} imports articles/: {wrong}"


def test_the_check_sees_a_wrong_way_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import os\nfrom articles.models import Article\n\ndef f():\n    import people\n"
    )
    assert module_level_imports(bad) == [(1, "os"), (2, "articles.models")]
    assert (5, "people") in all_imports(bad)
