"""Records made with @record() behave as the frozen keyword-only dataclasses they replace."""

from __future__ import annotations

import dataclasses

import pytest

from painopts.models import Catalogue, Duration, Rate, RatePer, Relief, TimeUnit


def rate(**changes: object) -> Rate:
    values: dict[str, object] = {
        "count": 5, "denominator": 1000, "per": RatePer.PROCEDURE, "timeframe": None,
        "sources": ("nice-ng59-2016",),
    }  # fmt: skip
    return Rate(**{**values, **changes})  # type: ignore[arg-type]


def test_fields_defaults_equality_hash_and_repr() -> None:
    r = rate()
    assert (r.count, r.denominator, r.note) == (5, 1000, None)  # note: its default
    assert r == rate() and hash(r) == hash(rate())
    assert r != rate(count=6) and r != "Rate"
    assert repr(r) == (
        "Rate(count=5, denominator=1000, per=<RatePer.PROCEDURE: 'procedure'>, "
        "timeframe=None, sources=('nice-ng59-2016',), note=None)"
    )


def test_records_are_frozen_and_slotted() -> None:
    r = rate()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.count = 6  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del r.count
    assert not hasattr(r, "__dict__")
    assert "__weakref__" in Catalogue.__slots__


def test_a_missing_or_unknown_keyword_is_refused() -> None:
    with pytest.raises(TypeError, match="missing keyword argument 'denominator'"):
        Rate(count=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected colour"):
        rate(colour="red")
    with pytest.raises(TypeError):
        Rate(5, 1000)  # type: ignore[call-arg]


def test_replace_and_inherited_fields_work() -> None:
    assert dataclasses.replace(rate(), count=7).count == 7
    assert [f.name for f in dataclasses.fields(Relief)][-1] == "basis"  # after Duration's
    span = Duration(min=3, max=6, unit=TimeUnit.MONTHS)
    assert (span.sources, span.max_days) == ((), 6 * TimeUnit.MONTHS.days)
    assert span == Duration(min=3, max=6, unit=TimeUnit.MONTHS)


def test_positional_records_take_their_fields_in_order() -> None:
    from painopts.document import Paragraph, Section

    section = Section("risks", "Risks", (Paragraph("x"),))
    assert (section.key, section.heading, section.tone) == ("risks", "Risks", "normal")
    assert section == Section(key="risks", heading="Risks", blocks=(Paragraph(text="x"),))
    with pytest.raises(TypeError, match="twice"):
        Paragraph("x", text="y")  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes 1 positional"):
        Paragraph("x", "y")  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        section.tone = "warning"  # type: ignore[misc]
