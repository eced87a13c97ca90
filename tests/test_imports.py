"""The modules of `market/` import one way and in no circle.

Every `import` is read with `ast`, those inside functions included (an import hidden in a function is a
dependency all the same, and it is how cycles hide). Two rules:

- no import cycle between modules;
- the domains depend one way: core <- accounts <- catalog <- procurement <- payments (a lower domain never
  imports a higher one); reports and api read all of them (api also reads reports); content stands alone on
  core, and on accounts only for the User and Organization its posts and pages refer to; `market.demo` builds
  the demo city from everything.

`market/__init__.py` (the app factory, which wires the domains together) and `market/models.py` (the registry
that imports every domain's models for the metadata) are exempt, and no domain imports them;
`market.extensions` counts as core.
"""
from __future__ import annotations

import ast
from pathlib import Path

MARKET = Path(__file__).resolve().parent.parent / "market"

ORDER = ["core", "accounts", "catalog", "procurement", "payments"]
MAY_IMPORT = {domain: set(ORDER[:i + 1]) for i, domain in enumerate(ORDER)}
MAY_IMPORT["content"] = {"core", "accounts", "content"}
MAY_IMPORT["reports"] = set(ORDER) | {"content", "reports"}
MAY_IMPORT["api"] = MAY_IMPORT["reports"] | {"api"}
EXEMPT = {"market", "market.models"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(MARKET.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(MARKET.rglob("*.py"))}


def _imports(name: str, path: Path, modules: dict[str, Path]) -> dict[str, int]:
    """The market modules `name` imports, each with the first line that does."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}

    def add(target: str, line: int) -> None:
        # `import market.a.b` names the deepest module that exists (a name imported from it is not a module).
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.setdefault(target, line)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "market":
                    add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "market":
                continue
            for alias in node.names:
                # `from market.x import y` imports the module market.x.y when y is one, else a name of market.x.
                add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source, node.lineno)
    return found


def _graph() -> tuple[dict[str, Path], dict[str, dict[str, int]]]:
    modules = _modules()
    return modules, {name: _imports(name, path, modules) for name, path in modules.items()}


def _domain(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "market"
    return "core" if parts[1] == "extensions" else parts[1]


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            advanced = False
            for target in targets:
                if target not in graph:
                    continue
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    advanced = True
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def test_the_walk_sees_imports_inside_functions():
    """The walk reads imports wherever they are written (a test of the test: the factory imports inside
    functions only)."""
    modules, graph = _graph()
    assert "market.accounts.views" in graph["market"]
    assert len(modules) > 50


def test_no_import_cycles():
    modules, graph = _graph()
    graph = {name: targets for name, targets in graph.items() if name not in EXEMPT}
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(
        " <-> ".join(component) + "\n" + "\n".join(
            f"    {a} imports {b} (line {graph[a][b]})" for a in component for b in graph[a] if b in component)
        for component in cycles)


def test_domains_import_one_way():
    modules, graph = _graph()
    wrong = []
    for name, targets in graph.items():
        domain = _domain(name)
        if name in EXEMPT or domain == "demo":
            continue
        allowed = MAY_IMPORT[domain]
        for target, line in targets.items():
            if _domain(target) not in allowed:
                wrong.append(f"{modules[name].relative_to(MARKET.parent)}:{line}: {name} imports {target}")
    assert not wrong, "imports against the order core <- accounts <- catalog <- procurement <- payments " \
                      "(reports and api read all; content reads core and accounts):\n" + "\n".join(wrong)


def test_state_tables_are_data():
    """A domain's `states.py` holds its tables and named rules: it imports core and its domain's permissions,
    never a service or a notifier (the domain's notifications module registers those on the machine)."""
    modules, graph = _graph()
    wrong = [f"{name} imports {target}" for name, targets in graph.items() if name.endswith(".states")
             and _domain(name) != "core" for target in targets
             if _domain(target) != "core" and target != name.rpartition(".")[0] + ".permissions"]
    assert not wrong, "\n".join(wrong)
