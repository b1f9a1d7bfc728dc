"""A light stand-in for frozen, keyword-only dataclasses, for classes made on every run."""

from __future__ import annotations

from typing import Any, ClassVar, dataclass_transform


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
