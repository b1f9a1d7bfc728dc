"""Cheaper frozen records, for classes made on every run.

Dataclasses compile every generated method when the class is made, which is paid on
every run of the CLI: about 0.3 ms per method here. ``Record`` shares equality,
hashing and repr between dataclasses that opt out of generating them; ``Frozen``
replaces the dataclass altogether for records that need neither slots nor equality.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(
    kw_only_default=True, frozen_default=True, field_specifiers=(dataclasses.field,)
)
def record(*, kw_only: bool = True, weakref_slot: bool = False) -> Callable[[type[_T]], type[_T]]:
    """A frozen, slotted dataclass (on a Record subclass), keyword-only unless
    ``kw_only=False``, that compiles nothing: its __init__, __setattr__ and
    __delattr__ come from Record, like its equality, hashing and repr. For the model
    classes, made on every run, this took their import from 8.5 to about 3 ms;
    msgspec fills their slots without calling any of these."""

    def make(cls: type[_T]) -> type[_T]:
        assert issubclass(cls, Record), cls
        return dataclasses.dataclass(
            init=False, repr=False, eq=False, kw_only=kw_only, slots=True,
            weakref_slot=weakref_slot,
        )(cls)  # fmt: skip

    return make


class Record:
    """Equality, hashing and repr shared by dataclasses declared with
    ``repr=False, eq=False`` (frozen and slotted): the same behaviour as the generated
    methods, written once instead of compiled per class (for the models, a third of
    their import time; for the document blocks and query results, about half)."""

    __slots__ = ()

    # Dataclasses that generate their own (frozen=True) replace the next three.
    def __init__(self, *args: Any, **values: Any) -> None:
        fields = _init_fields(type(self))
        if args:
            positional = [f.name for f in fields if not f.kw_only]
            if len(args) > len(positional):
                raise TypeError(f"{type(self).__name__}() takes {len(positional)} positional")
            for name, value in zip(positional, args, strict=False):
                if name in values:
                    raise TypeError(f"{type(self).__name__}() got {name!r} twice")
                values[name] = value
        for f in fields:
            if f.name in values:
                value = values.pop(f.name)
            elif f.default is not dataclasses.MISSING:
                value = f.default
            elif f.default_factory is not dataclasses.MISSING:
                value = f.default_factory()
            else:
                raise TypeError(f"{type(self).__name__}() missing keyword argument {f.name!r}")
            object.__setattr__(self, f.name, value)
        if values:
            raise TypeError(f"{type(self).__name__}() got unexpected {', '.join(values)}")

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in field_names(type(self)))

    def as_dict(self) -> dict[str, Any]:
        """The fields in declaration order (for JSON output)."""
        return {name: getattr(self, name) for name in field_names(type(self))}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._values() == self._values()

    def __hash__(self) -> int:
        return hash((type(self), *self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.as_dict().items())
        return f"{type(self).__name__}({fields})"


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_INIT_FIELDS: dict[type, tuple[dataclasses.Field[Any], ...]] = {}


def _init_fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    found = _INIT_FIELDS.get(cls)
    if found is None:
        found = _INIT_FIELDS[cls] = tuple(f for f in dataclasses.fields(cls) if f.init)
    return found


def field_names(cls: type) -> tuple[str, ...]:
    """A record class's field names, inherited ones first (slots hold no __dict__)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


@dataclass_transform(kw_only_default=True, frozen_default=True)
class Frozen:
    """Frozen records with keyword-only fields, typed as dataclasses are, but built
    without generating code: @dataclass compiles methods for every class at import,
    which for the fourteen views (painopts.views) was 8-10 ms of every run. Fields are the
    class's annotations (ClassVar excepted); a field with a class-level value has a
    default, which must be immutable (it is shared)."""

    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        names: dict[str, None] = {}
        for klass in reversed(cls.__mro__):
            for name, kind in vars(klass).get("__annotations__", {}).items():
                if not str(kind).startswith("ClassVar"):
                    names[name] = None
        cls._fields = tuple(names)

    def __init__(self, **values: Any) -> None:
        for name in self._fields:
            if name in values:
                object.__setattr__(self, name, values.pop(name))
            elif not hasattr(type(self), name):
                raise TypeError(f"{type(self).__name__}() needs {name}=")
        if values:
            raise TypeError(f"{type(self).__name__}() takes no {', '.join(values)}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{type(self).__name__}({shown})"
