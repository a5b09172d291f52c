"""hooks.common.security_catalogue: the catalogue's own invariants (what --skip
and the docs rely on): ids are <group>.<name> of a known group, unique per
framework, each item says why and how to fix, and lookups by id work."""
from __future__ import annotations

import pytest

from hooks.common import security_catalogue as cat


def test_every_item_is_in_a_known_group_with_a_title() -> None:
    assert {i.group for i in cat.ITEMS} <= set(cat.GROUPS)
    assert set(cat.GROUPS) == set(cat.GROUP_TITLES)
    assert {i.framework for i in cat.ITEMS} <= set(cat.FRAMEWORK_TITLES)


def test_ids_are_unique_per_framework_and_items_say_why_and_how() -> None:
    for framework in cat.FRAMEWORK_TITLES:
        ids = [i.id for i in cat.items_for(framework)]
        assert len(ids) == len(set(ids)), framework
    for i in cat.ITEMS:
        assert i.setting and i.safe and i.why and i.fix, i.id
    assert cat.ALL_IDS == {i.id for i in cat.ITEMS}


def test_item_lookup() -> None:
    first = cat.items_for("django")[0]
    assert cat.item("django", first.id) is first
    with pytest.raises(KeyError, match="django:permissions.no_such_item"):
        cat.item("django", "permissions.no_such_item")
    assert cat.items_for("no-such-framework") == ()
