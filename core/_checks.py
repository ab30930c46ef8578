"""Checking TOML tables against frozen dataclasses: the machinery behind ``govspeech.config``.

A dataclass field's ``metadata`` (from ``setting``) holds its checks; a
section class may name its dropped settings in ``REMOVED`` so an old file is
told so. Every failure is one ConfigError line naming ``source:section.key``.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import json
import typing

from govspeech.errors import ConfigError


def setting(*, lo=None, hi=None, above=None, choices=None, item_max=None) -> dict[str, object]:
    """A field's checks, for ``field(metadata=...)``: ``lo <= v <= hi``, ``v > above``, one of ``choices``;
    ``item_max`` bounds an n-gram range. Returned as metadata, not as a field, so type checkers see no default."""
    return {"lo": lo, "hi": hi, "above": above, "choices": choices, "item_max": item_max}


def fail(where: str, message: str) -> typing.NoReturn:
    raise ConfigError(f"{where}: {message}")


def fields_of(cls) -> dict[str, tuple[object, typing.Mapping]]:
    hints = typing.get_type_hints(cls)
    return {f.name: (hints[f.name], f.metadata) for f in dataclasses.fields(cls)}


def unknown(source: str, prefix: str, key: str, known, removed=()) -> typing.NoReturn:
    """ConfigError for ``key`` (not in ``known``): dropped (in ``removed``), or a typo with a "did you mean"."""
    where = f"{source}:{prefix}{key}"
    if key in removed:
        fail(where, "this setting was removed (no measured gain, docs/model.md); drop it")
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"did you mean {prefix}{close[0]}?" if close else f"known keys: {', '.join(known)}"
    fail(where, f"unknown key; {hint}")


def type_name(hint) -> str:
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        item = args[0].__name__
        return f"a list of {item}s" if args[-1] is Ellipsis else f"a list of {len(args)} {item}s"
    return {bool: "true or false", int: "an integer", float: "a number", str: "text"}[hint]


def typed(where: str, hint, value):
    """``value`` as ``hint``, or ConfigError."""
    wrong = f"expected {type_name(hint)}, got {json.dumps(value, ensure_ascii=False, default=str)}"
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, (list, tuple)) or (args[-1] is not Ellipsis and len(value) != len(args)):
            fail(where, wrong)
        return tuple(typed(where, args[0], v) for v in value)
    ok = {bool: isinstance(value, bool),
          int: isinstance(value, int) and not isinstance(value, bool),
          float: isinstance(value, (int, float)) and not isinstance(value, bool),
          str: isinstance(value, str)}[hint]
    if not ok:
        fail(where, wrong)
    return float(value) if hint is float else value


def checked(where: str, hint, meta, value):
    value = typed(where, hint, value)
    for v in value if isinstance(value, tuple) else (value,):
        if meta.get("lo") is not None and v < meta["lo"]:
            fail(where, f"expected at least {meta['lo']}, got {v}")
        if meta.get("hi") is not None and v > meta["hi"]:
            fail(where, f"expected at most {meta['hi']}, got {v}")
        if meta.get("above") is not None and v <= meta["above"]:
            fail(where, f"expected more than {meta['above']}, got {v}")
        if meta.get("choices") and v not in meta["choices"]:
            fail(where, f"expected one of {', '.join(meta['choices'])}, got {v!r}")
    if meta.get("item_max") is not None:
        low, high = value
        if low > high or high > meta["item_max"]:
            fail(where, f"expected [min, max] n-gram lengths with min <= max <= {meta['item_max']}, got {list(value)}")
    return value


def build(cls, data, source: str, prefix: str = ""):
    """An instance of dataclass ``cls`` from the TOML table ``data``; every key checked, none missing."""
    where = f"{source}:{prefix.rstrip('.')}" if prefix else source
    if not isinstance(data, dict):
        fail(where, f"expected a table of settings, got {json.dumps(data, ensure_ascii=False, default=str)}")
    fields = fields_of(cls)
    for key in data:
        if key not in fields:
            unknown(source, prefix, key, fields, getattr(cls, "REMOVED", ()))
    values = {}
    for name, (hint, meta) in fields.items():
        if name not in data:
            fail(f"{source}:{prefix}{name}", "missing; every setting must be given (copy it from the shipped file)")
        if dataclasses.is_dataclass(hint):
            values[name] = build(hint, data[name], source, f"{prefix}{name}.")
        else:
            values[name] = checked(f"{source}:{prefix}{name}", hint, meta, data[name])
    result = cls(**values)
    for key, message in getattr(result, "problems", lambda: ())():
        fail(f"{source}:{prefix}{key}", message)
    return result


def field_of(cls, dotted: str, source: str):
    """(type hint, checks) of the setting ``dotted`` of ``cls``, or ConfigError with a "did you mean"."""
    *path, last = dotted.split(".")
    prefix = ""
    for part in path:
        fields = fields_of(cls)
        if part not in fields or not dataclasses.is_dataclass(fields[part][0]):
            unknown(source, prefix, part, [k for k, (h, _) in fields.items() if dataclasses.is_dataclass(h)])
        cls, prefix = fields[part][0], f"{prefix}{part}."
    fields = fields_of(cls)
    if last not in fields or dataclasses.is_dataclass(fields[last][0]):
        unknown(source, prefix, last, [k for k, (h, _) in fields.items() if not dataclasses.is_dataclass(h)],
                getattr(cls, "REMOVED", ()))
    return fields[last]


def override_value(hint, value):
    """A value given as text is read as JSON unless the setting is text (``model.C=2``, ``thresholds.source=dev``)."""
    if not isinstance(value, str):
        return value
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return value
    return parsed if hint is not str or isinstance(parsed, str) else value


def with_overrides(raw: dict, overrides: dict | None, cls, source: str) -> dict:
    """``raw`` (a TOML table of ``cls``) with dotted-key overrides applied, each checked against its setting."""
    raw = copy.deepcopy(raw)
    for dotted, value in (overrides or {}).items():
        hint, meta = field_of(cls, dotted, source)
        value = override_value(hint, value)
        value = checked(f"{source}:{dotted}", hint, meta, value)
        *path, last = dotted.split(".")
        section = raw
        for part in path:
            section = section.setdefault(part, {})
        section[last] = list(value) if isinstance(value, tuple) else value
    return raw
