"""The packages import one way: faces (cli, web, demo) -> pipeline, ops, staff (and
bot.runtime) -> register, outbound -> judge -> inbound -> store, config; and no module imports
itself round a cycle.

In: the source of every module under bot/ (read with ast, nothing imported). Out: a failure
naming each upward import and each cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parents[1] / "bot"
# the lower the layer, the fewer it may import; a module may import its own layer and below
LAYERS = {
    "bot.errors": 0, "bot.linear": 0, "bot.logs": 0, "bot.config": 0, "bot.store": 0,
    "bot.inbound": 1, "bot.judge": 2, "bot.register": 3, "bot.outbound": 3, "bot.runtime": 5,
    "bot.pipeline": 5, "bot.ops": 5, "bot.staff": 5,
    "bot.cli": 6, "bot.web": 6, "bot.demo": 6, "bot.__main__": 6,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int | None:
    """The layer of ``module``: that of its longest prefix in LAYERS (None: it has none).
    ``bot/__init__.py`` runs before every module, so it sits at the bottom."""
    if module == "bot":
        return 0
    while "." in module and module not in LAYERS:
        module = module.rpartition(".")[0]
    return LAYERS.get(module)


def imports(path: Path) -> set[str]:
    """The bot modules ``path`` imports, anywhere in it (also inside functions), relative
    imports resolved, each with the packages Python runs first ("bot.pipeline.prepare" runs
    ``bot/pipeline/__init__.py`` too)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(
        ".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("bot.")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # "from ..cli import main" in bot.judge.events is bot.cli
                parent = package.split(".")
                parent = parent[:len(parent) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            if base != "bot" and not base.startswith("bot."):
                continue
            for alias in node.names:  # "from bot.judge import acts" imports bot.judge.acts
                sub = f"{base}.{alias.name}"
                where = BOT.parent / sub.replace(".", "/")
                found.add(sub if where.with_suffix(".py").exists() or where.is_dir() else base)
    return {p for name in found for p in _with_parents(name)}


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts) + 1)]


GRAPH = {module_name(p): imports(p) for p in BOT.rglob("*.py")}


def test_every_module_has_a_layer():
    assert [m for m in GRAPH if layer(m) is None] == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_upward_imports(module):
    upward = sorted(i for i in GRAPH[module] if layer(i) > layer(module))
    assert upward == [], f"{module} (layer {layer(module)}) imports {upward}"


def test_no_import_cycles():
    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for target in sorted(GRAPH.get(module, ())):
            if target not in GRAPH or target == module:
                continue
            if state.get(target) == "open":
                cycles.append(" -> ".join([*path[path.index(target):], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert cycles == []
