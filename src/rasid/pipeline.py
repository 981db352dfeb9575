"""Components, their registry, and the order they run in.

A component is a pure function ``Analysis -> None`` that adds to the analysis.
It declares what it ``requires`` and what it ``assigns`` (attribute names of
:class:`rasid.model.Analysis`, or finer labels such as ``"mentions:DATE"``), and
the pipeline checks the order when it is built, so a mis-ordered pipeline fails
at start-up and not half-way through a corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from rasid.errors import PipelineError
from rasid.model import Analysis, Document

ComponentFn = Callable[[Analysis], None]


@dataclass(frozen=True)
class Component:
    name: str  # e.g. "ner.crf"
    version: str  # e.g. "v1"
    fn: ComponentFn
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    @property
    def qualified_name(self) -> str:
        return f"{self.name}.{self.version}"


@dataclass
class Registry:
    factories: dict[str, Callable[[], Component]] = field(default_factory=dict)

    def register(self, name: str) -> Callable[[Callable[[], Component]], Callable[[], Component]]:
        def decorator(factory: Callable[[], Component]) -> Callable[[], Component]:
            if name in self.factories:
                raise PipelineError(f"component {name!r} is registered twice")
            self.factories[name] = factory
            return factory

        return decorator

    def create(self, name: str) -> Component:
        try:
            factory = self.factories[name]
        except KeyError:
            known = ", ".join(sorted(self.factories)) or "none"
            raise PipelineError(f"unknown component {name!r}; known: {known}") from None
        return factory()


registry = Registry()


def _provided(label: str) -> str:
    return label.split(":", 1)[0]


class Pipeline:
    """An ordered, checked list of components."""

    def __init__(self, components: Sequence[Component]) -> None:
        available: set[str] = {"document"}
        for component in components:
            for need in component.requires:
                if need not in available and _provided(need) not in available:
                    raise PipelineError(
                        f"component {component.qualified_name} requires {need!r}, "
                        f"which no earlier component assigns"
                    )
            for label in component.assigns:
                available.add(label)
                available.add(_provided(label))
        self.components = list(components)
        self._plans: dict[frozenset[str], list[bool]] = {}

    @property
    def names(self) -> list[str]:
        return [c.qualified_name for c in self.components]

    def _plan(self, leave_out: frozenset[str]) -> list[bool]:
        """Which components run when the caller does not want ``leave_out``."""
        plan = self._plans.get(leave_out)
        if plan is None:
            plan = []
            for i, component in enumerate(self.components):
                assigned = {_provided(label) for label in component.assigns}
                needed_later = {
                    _provided(need) for later in self.components[i + 1 :] for need in later.requires
                }
                plan.append(
                    not (assigned and assigned <= leave_out and not assigned & needed_later)
                )
            self._plans[leave_out] = plan
        return plan

    def __call__(self, document: Document, *, leave_out: Collection[str] = ()) -> Analysis:
        """Run the components on ``document``, in order.

        ``leave_out`` names analysis attributes (e.g. ``"tokens"``) the caller
        will not read because it derives what it needs from the text itself
        (an ingest worker streams token positions straight into search rows).
        A component that assigns only such attributes, and that no later
        component requires, is then not run; it is still listed in
        ``analysis.components``, since what the caller keeps comes from the
        same code.
        """
        analysis = Analysis(document=document)
        plan = self._plan(frozenset(leave_out)) if leave_out else None
        for i, component in enumerate(self.components):
            if plan is None or plan[i]:
                component.fn(analysis)
            analysis.components.append(component.qualified_name)
        return analysis

    def pipe(self, documents: Iterable[Document]) -> Iterable[Analysis]:
        for document in documents:
            yield self(document)


def build_pipeline(names: Sequence[str]) -> Pipeline:
    return Pipeline([registry.create(name) for name in names])
