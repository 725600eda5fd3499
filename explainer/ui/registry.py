"""The views: one file per view in ``pages/``, the file's name its id (``/<id>``, ``?view=<id>``).

A page file defines ``MENU`` (its place in the navigation, an int) and ``render(bundle, state)``
(state -> builder -> render). A page with ``HIDDEN = True`` is served at ``/<id>`` but is no reader's
view: it is left out of the navigation, ``?view=`` and everything that lists the views (the editors'
desk, ``pages/desk.py``). Adding a view is one new file there plus its ``nav_<id>`` catalogue keys:
the router, the navigation links, ``?view=`` parsing, the tests and the benchmark all read this registry.

:func:`view_ids` reads the ``MENU`` numbers from the files' source (``ast``), without importing them, so
that the pure state module (:mod:`explainer.ui.state`) can list the views without Streamlit.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, cast

from .. import paths

if TYPE_CHECKING:
    from ..load import Bundle
    from .state import State

Render = Callable[["Bundle", "State"], None]
MODULE_PREFIX = "explainer_pages."  # page modules are loaded by path under this name (pages/ is not a package)


def _constant(path: Path, name: str) -> object:
    """The page's module-level ``<name> = <literal>``, read from its source (None when absent)."""
    for node in ast.parse(path.read_text("utf-8"), str(path)).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def _menu(path: Path) -> int:
    """The page's ``MENU = <int>``, read from its source."""
    value = _constant(path, "MENU")
    if isinstance(value, int):
        return value
    raise LookupError(f"{path}: a page file needs MENU = <int> (its place in the navigation)")


def _ids(folder: Path, hidden: bool) -> tuple[str, ...]:
    files = [p for p in folder.glob("*.py") if not p.name.startswith("_") and (_constant(p, "HIDDEN") is True) == hidden]
    return tuple(p.stem for p in sorted(files, key=lambda p: (_menu(p), p.stem)))


@cache
def view_ids(folder: Path = paths.PAGES) -> tuple[str, ...]:
    """The readers' view ids in menu order: one per ``pages/*.py`` (files starting with ``_`` are
    helpers, files with ``HIDDEN = True`` are :func:`hidden_ids`)."""
    return _ids(folder, hidden=False)


@cache
def hidden_ids(folder: Path = paths.PAGES) -> tuple[str, ...]:
    """The pages served at ``/<id>`` that no navigation links to (``HIDDEN = True``)."""
    return _ids(folder, hidden=True)


def _module(path: Path) -> ModuleType:
    # the bundled pages under their own names; a page of another folder (a test's) under a name of its own
    folder = "" if path.parent == paths.PAGES else f"_{abs(hash(str(path.parent))):x}"
    name = MODULE_PREFIX + path.stem + folder
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py file always has a loader
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@cache
def views(folder: Path = paths.PAGES) -> dict[str, Render]:
    """id -> the readers' views' ``render`` functions, in menu order."""
    return {v: cast(Render, _module(folder / f"{v}.py").render) for v in view_ids(folder)}


@cache
def hidden_views(folder: Path = paths.PAGES) -> dict[str, Render]:
    """id -> ``render`` of the hidden pages."""
    return {v: cast(Render, _module(folder / f"{v}.py").render) for v in hidden_ids(folder)}
