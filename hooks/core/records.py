"""``@record``: the small part of ``dataclasses`` the core uses, without its import cost.

Every hook imports the core (``api``, ``runner``, ``document``, ``findings``...)
when it starts, on every commit. ``dataclasses`` imports ``inspect``, which
imports ``ast``, ``dis`` and ``tokenize``: about 10 ms, half of what a clean run
of ``no-inline-secrets`` costs in all. ``@record`` builds the same ``__init__``,
``__repr__``, ``__eq__`` and (frozen) ``__hash__`` from the class annotations,
calls ``__post_init__``, and ``field`` takes the same ``default``,
``default_factory``, ``compare``, ``repr`` and ``init`` arguments, so a class
reads as a dataclass does. Every module of the collection uses it.
"""
from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing costs start-up time
if TYPE_CHECKING:
    from typing import Any, Callable, TypeVar

    from typing_extensions import dataclass_transform

    T = TypeVar("T")
else:
    def dataclass_transform(**_kwargs: object) -> object:
        return lambda decorated: decorated


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class _Field:
    __slots__ = ("default", "default_factory", "compare", "repr", "init")

    def __init__(self, default: Any, default_factory: Any, compare: bool, repr: bool, init: bool = True) -> None:
        self.default = default
        self.default_factory = default_factory
        self.compare = compare
        self.repr = repr
        self.init = init


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | None = None,
    compare: bool = True,
    repr: bool = True,
    init: bool = True,
) -> Any:
    """As ``dataclasses.field``: a default, a factory for mutable defaults,
    whether the field takes part in equality and the repr, and whether
    ``__init__`` takes it (``init=False``: set by ``__post_init__``)."""
    return _Field(default, default_factory, compare, repr, init)


@dataclass_transform(field_specifiers=(field,))
def record(cls: Any = None, *, frozen: bool = False) -> Any:
    """Class decorator: ``@record`` or ``@record(frozen=True)``."""

    def wrap(klass: Any) -> Any:
        return _build(klass, frozen)

    return wrap if cls is None else wrap(cls)


def fields(obj: Any) -> tuple[str, ...]:
    """The field names of a record class or instance, in order."""
    names: tuple[str, ...] = obj.__record_fields__
    return names


def replace(obj: T, **changes: Any) -> T:
    """As ``dataclasses.replace``: a copy with some fields changed."""
    values = {name: getattr(obj, name) for name in fields(obj)}
    values.update(changes)
    return type(obj)(**values)


def _assign(name: str, value: str, frozen: bool) -> str:
    return f"_setattr(self, {name!r}, {value})" if frozen else f"self.{name} = {value}"


def _build(cls: Any, frozen: bool) -> Any:
    names = list(cls.__dict__.get("__annotations__", {}))
    specs: list[tuple[str, _Field]] = []
    for name in names:
        value = cls.__dict__.get(name, MISSING)
        spec = value if isinstance(value, _Field) else _Field(value, None, True, True)
        specs.append((name, spec))
        if isinstance(value, _Field):
            if spec.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
    scope: dict[str, Any] = {"MISSING": MISSING, "_setattr": object.__setattr__}
    params, body = [], []
    for name, spec in specs:
        if not spec.init:
            if spec.default_factory is not None:
                scope[f"_factory_{name}"] = spec.default_factory
                body.append(_assign(name, f"_factory_{name}()", frozen))
            elif spec.default is not MISSING:
                scope[f"_default_{name}"] = spec.default
                body.append(_assign(name, f"_default_{name}", frozen))
            continue
        if spec.default_factory is not None:
            scope[f"_factory_{name}"] = spec.default_factory
            params.append(f"{name}=MISSING")
            value = f"_factory_{name}() if {name} is MISSING else {name}"
        elif spec.default is not MISSING:
            scope[f"_default_{name}"] = spec.default
            params.append(f"{name}=_default_{name}")
            value = name
        else:
            if any(p.endswith("MISSING") or "=" in p for p in params):
                raise TypeError(f"{cls.__name__}: field {name} without a default follows one with a default")
            params.append(name)
            value = name
        body.append(_assign(name, value, frozen))
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    exec(source, scope)  # our own class's fields, as dataclasses does; never user input
    cls.__init__ = scope["__init__"]
    cls.__init__.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__record_fields__ = tuple(names)
    compared = tuple(name for name, spec in specs if spec.compare)
    shown = tuple(name for name, spec in specs if spec.repr)

    def __repr__(self: Any) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in shown)})"

    def __eq__(self: Any, other: Any) -> Any:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in compared)

    cls.__repr__ = __repr__
    cls.__eq__ = __eq__
    if frozen:
        def __hash__(self: Any) -> int:
            return hash(tuple(getattr(self, n) for n in compared))

        def __setattr__(self: Any, name: str, value: Any) -> None:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")

        def __delattr__(self: Any, name: str) -> None:
            raise FrozenInstanceError(f"cannot delete field {name!r}")

        cls.__hash__ = __hash__
        cls.__setattr__ = __setattr__
        cls.__delattr__ = __delattr__
    else:
        cls.__hash__ = None  # mutable and compared by value: unhashable, as a dataclass
    return cls
