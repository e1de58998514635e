# SPDX-License-Identifier: MIT
"""
The public surface: names, version, exceptions.
"""

from __future__ import annotations

import ast
import importlib.metadata
from pathlib import Path

import pytest

import spasmcare
from spasmcare import exceptions


class TestPublicNames:
    """
    The package re-exports a sorted, complete __all__.
    """

    def test_all_is_sorted_and_importable(self) -> None:
        """
        __all__ has no duplicates (ruff keeps it sorted) and every name in
        it exists.
        """
        assert len(set(spasmcare.__all__)) == len(spasmcare.__all__)
        for name in spasmcare.__all__:
            assert hasattr(spasmcare, name)

    def test_dir_lists_the_public_names(self) -> None:
        """
        dir() shows the public names and the version.
        """
        assert sorted([*spasmcare.__all__, "__version__"]) == dir(spasmcare)

    def test_version_comes_from_metadata(self) -> None:
        """
        __version__ is the installed distribution's version.
        """
        assert importlib.metadata.version("spasmcare") == spasmcare.__version__


class TestExceptions:
    """
    One root; each error also subclasses its builtin.
    """

    @pytest.mark.parametrize(
        ("error", "builtin"),
        [
            (exceptions.InvalidValueError, ValueError),
            (exceptions.UnknownFindingError, ValueError),
            (exceptions.InvalidTypeError, TypeError),
            (exceptions.RuleSetError, ValueError),
        ],
    )
    def test_hierarchy(self, error: type[Exception], builtin: type) -> None:
        """
        Each error is a SpasmcareError and its matching builtin.
        """
        assert issubclass(error, exceptions.SpasmcareError)
        assert issubclass(error, builtin)

    def test_messages_name_field_and_value(self) -> None:
        """
        Messages carry the field, the value and the reason.
        """
        e = exceptions.InvalidTypeError("A.b", "7", "an int")

        assert "A.b='7': expected an int, got str" == str(e)
        assert "rule 'x': bad" == str(exceptions.RuleSetError("x", "bad"))


def _module_imports(path: Path, package: str) -> set[str]:
    """
    The spasmcare modules *path* imports at module level, those under
    ``if TYPE_CHECKING:`` included (imports inside functions are lazy:
    they run after every module has loaded).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes: list[ast.stmt] = []
    for node in tree.body:
        nodes.extend(node.body if isinstance(node, ast.If) else [node])
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level:
            parts = package.split(".")[
                : len(package.split(".")) - node.level + 1
            ]
            base = ".".join([*parts, *([node.module] if node.module else [])])
            if node.module is None:
                found.update(f"{base}.{alias.name}" for alias in node.names)
            else:
                found.add(base)
    return found


def test_no_import_circles() -> None:
    """
    No two modules of the package import each other, directly or through
    others, at module level (issue 16: FiredRule used to sit in
    ``_evaluate``, which ``_compile`` imported back for its type).
    """
    root = Path(spasmcare.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        package = module if is_package else module.rpartition(".")[0]
        graph[module] = _module_imports(path, package)
    assert {"spasmcare._fired"} <= graph["spasmcare._compile"]
    assert "spasmcare._evaluate" not in graph["spasmcare._compile"]

    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " -> ".join([*trail, module])
        if module in done:
            return
        for imported in sorted(graph[module] & graph.keys()):
            visit(imported, (*trail, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
