"""The layers import downwards only (README, Architecture): bot/ is pure, storage/ knows no
Slack surface, jobs/ never reaches back into handlers/. Read from the source, every import
statement, at module level or inside a function."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "bot": {"slack_bolt", "slack_sdk", "sqlalchemy", "alembic", "storage", "handlers", "jobs", "deps", "app"},
    "storage": {"slack_bolt", "slack_sdk", "handlers", "jobs", "deps", "app"},
    "jobs": {"slack_bolt", "handlers", "app"},
}


def imported(path: Path) -> set[str]:
    """The top-level package of every module `path` imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported(path) & FORBIDDEN[layer])
        for path in sorted((ROOT / layer).rglob("*.py"))
    }
    assert {path: names for path, names in wrong.items() if names} == {}
