"""YAML documents, validated, with each problem on the line of its key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .messages import _row_problems
from .problems import MAX_FILE_BYTES, NESTED_TOO_DEEP, Loc, Problem, R
from .text import _half_saved, _read_text

# libyaml's parser where PyYAML was built with it (the wheels are): the same safe constructors, several
# times faster on the story's prose; the pure-Python loader otherwise.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml_locator(node: yaml.Node) -> Callable[[Loc], int]:
    """Map a pydantic ``loc`` to the 1-based line of that key in the YAML source."""

    def find(loc: Loc) -> int:
        cur, line = node, node.start_mark.line + 1
        for part in loc:
            nxt = None
            if isinstance(cur, yaml.MappingNode):
                for k, v in cur.value:
                    if k.value == str(part):
                        nxt, line = v, k.start_mark.line + 1
                        break
            elif isinstance(cur, yaml.SequenceNode) and isinstance(part, int) and part < len(cur.value):
                nxt = cur.value[part]
                line = nxt.start_mark.line + 1
            if nxt is None:
                break
            cur = nxt
        return line

    return find


def read_yaml(
    path: Path,
    rel: str,
    model: type[R],
    problems: list[Problem],
    warnings: list[Problem],
    context: dict[str, Any] | None = None,
) -> R | None:
    dec = _read_text(path, rel, MAX_FILE_BYTES, problems, warnings)
    if dec is None or _half_saved(dec.text, rel, problems):
        return None
    text = dec.text
    try:
        try:
            doc = yaml.load(text, Loader=_LOADER)
        except yaml.YAMLError:
            # a broken file is read again by the pure-Python parser: its messages are the ones editors
            # are given (libyaml words them differently and stops deep nesting with its own message)
            doc = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problems.append(
            Problem(
                rel,
                mark.line + 1 if mark else None,
                None,
                f"invalid YAML: {getattr(e, 'problem', None) or e}; "
                "check quotes, colons and indentation on this line or the lines above",
            )
        )
        return None
    except RecursionError:
        problems.append(Problem(rel, None, None, NESTED_TOO_DEEP))
        return None
    if not isinstance(doc, dict):
        problems.append(Problem(rel, 1, None, "expected a mapping of keys to values"))
        return None
    try:
        return model.model_validate(doc, context=context)
    except ValidationError as exc:
        # the node tree (for each key's line) is composed only when there is something to locate
        node = yaml.compose(text, Loader=_LOADER)
        problems.extend(_row_problems(exc, rel, None, _yaml_locator(node) if node is not None else None, model))
        return None
    except RecursionError:
        problems.append(Problem(rel, None, None, NESTED_TOO_DEEP))
        return None


def _yaml_lines(raw: bytes | None) -> Callable[[tuple[int | str, ...]], int | None]:
    """The line of a key path in a YAML file already read (parsed again only when asked)."""

    def line(loc: tuple[int | str, ...]) -> int | None:
        if raw is None:
            return None
        try:
            node = yaml.compose(raw.decode("utf-8-sig"), Loader=yaml.SafeLoader)
        except (UnicodeDecodeError, yaml.YAMLError):
            return None
        return _yaml_locator(node)(loc) if node is not None else None

    return line
