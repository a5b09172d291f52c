"""require-reversible-migrations after held-out round evening 7: Alembic downgrades that
do not undo their upgrade. A downgrade() that renames the same way as upgrade() (often
a loop over the same dict) instead of back, and a downgrade() that drops a table or
column its upgrade() never adds (an autogenerate line commented out in upgrade() only,
or a misspelt name)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hooks.checks.require_reversible_migrations import main
from hooks.checks.require_reversible_migrations.files import scan
from tests.checks.require_reversible_migrations.helpers import ENV
from tests.conftest import write_files


def _revision(revision: str, down: str | None, upgrade: str, downgrade: str, head: str = "") -> str:
    """An Alembic revision; ``head`` goes between the imports and upgrade() (module constants)."""
    down_text = repr(down) if down else "None"
    return (
        f'"""a change\n\nRevision ID: {revision}\nRevises: {down or ""}\n"""\n'
        "from alembic import op\nimport sqlalchemy as sa\n\n"
        f"revision = {revision!r}\ndown_revision = {down_text}\n\n"
        + (textwrap.dedent(head).strip("\n") + "\n\n\n" if head else "\n")
        + "def upgrade():\n" + textwrap.indent(textwrap.dedent(upgrade).strip("\n"), "    ") + "\n\n\n"
        + "def downgrade():\n" + textwrap.indent(textwrap.dedent(downgrade).strip("\n"), "    ") + "\n"
    )


INITIAL = _revision("a1a1a1a1a1a1", None, """
    op.create_table('orders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notify_done', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.create_table('Customer', sa.Column('id', sa.Integer(), nullable=False))
    op.create_table('legacy_log', sa.Column('id', sa.Integer(), nullable=False))
""", """
    op.drop_table('legacy_log')
    op.drop_table('Customer')
    op.drop_table('orders')
""")


def _line(text: str, needle: str) -> int:
    """The line of the last occurrence of ``needle`` (in downgrade(), below upgrade())."""
    return text[: text.rindex(needle)].count("\n") + 1


def _kinds(tmp_path: Path, text: str, initial: str = INITIAL) -> list[tuple[str, int]]:
    name = "migrations/versions/b2b2b2b2b2b2_change.py"
    write_files(tmp_path, {"migrations/env.py": ENV, "migrations/versions/a1a1a1a1a1a1_initial.py": initial,
                           name: text})
    found = scan(str(tmp_path / name), (), False, 2_000_000)
    assert isinstance(found, list), found
    return [(issue.kind, issue.line) for issue in found]


TABLES = """
TABLES = {
    'Customer': 'customer',
    'OrderLine': 'order_line',
}
"""


# --- a downgrade() that renames the same way as upgrade() ------------------------------


def test_downgrade_repeating_the_loop_of_renames_is_caught(tmp_path: Path) -> None:
    # downgrade() builds the inverted dict and loops over the original one again
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        for table in TABLES:
            op.rename_table(table, TABLES[table])
    """, """
        old_tables = {TABLES[table]: table for table in TABLES}

        for table in TABLES:
            op.rename_table(table, TABLES[table])
    """, TABLES)
    assert _kinds(tmp_path, text) == [("rename-repeated", _line(text, "op.rename_table"))]


def test_downgrade_repeating_a_column_rename_is_caught(tmp_path: Path) -> None:
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        op.alter_column('orders', 'notify_done', new_column_name='notified')
    """, """
        op.alter_column('orders', 'notify_done', new_column_name='notified')
    """)
    assert _kinds(tmp_path, text) == [("rename-repeated", _line(text, "op.alter_column"))]


@pytest.mark.parametrize("downgrade", [
    # the inverted dict, used
    """
    old_tables = {TABLES[table]: table for table in TABLES}
    for table in old_tables:
        op.rename_table(table, old_tables[table])
    """,
    """
    for old, new in TABLES.items():
        op.rename_table(new, old)
    """,
    """
    for table, lower in [('Customer', 'customer'), ('OrderLine', 'order_line')]:
        op.rename_table(lower, table)
    """,
    # names not read (a function of the module, a computed list): no finding
    """
    for table in sorted(TABLES):
        op.rename_table(table, TABLES[table])
    """,
    """
    if op.get_context().dialect.name == 'postgresql':
        for table in TABLES:
            op.rename_table(table, TABLES[table])
    """,
])
def test_downgrade_renaming_back_or_unread_is_left_alone(tmp_path: Path, downgrade: str) -> None:
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        for table in TABLES:
            op.rename_table(table, TABLES[table])
    """, downgrade, TABLES)
    assert _kinds(tmp_path, text) == []


def test_rebuild_through_a_scratch_name_both_ways_is_left_alone(tmp_path: Path) -> None:
    # SQLite's rebuild: move aside, create, copy, drop the scratch table (in both directions)
    rebuild = """
        op.rename_table('orders', 'orders_old')
        op.create_table('orders', sa.Column('id', sa.Integer(), nullable=False))
        op.execute('INSERT INTO orders (id) SELECT id FROM orders_old')
        op.drop_table('orders_old')
    """
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", rebuild, rebuild)
    assert "rename-repeated" not in [kind for kind, _ in _kinds(tmp_path, text)]


def test_rename_column_back_in_a_batch_is_left_alone(tmp_path: Path) -> None:
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        with op.batch_alter_table('orders') as batch_op:
            batch_op.alter_column('notify_done', new_column_name='notified')
    """, """
        with op.batch_alter_table('orders') as batch_op:
            batch_op.alter_column('notified', new_column_name='notify_done')
    """)
    assert _kinds(tmp_path, text) == []


# --- a downgrade() that drops what its upgrade() never added ---------------------------


def test_downgrade_dropping_a_column_of_an_earlier_revision_is_caught(tmp_path: Path) -> None:
    # autogenerate drift: the add_column is commented out in upgrade(), the drop left in downgrade()
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        # op.add_column('orders', sa.Column('notify_done', sa.Boolean(), nullable=False))
        op.alter_column('orders', 'id', existing_type=sa.Integer(), nullable=False)
    """, """
        op.alter_column('orders', 'id', existing_type=sa.Integer(), nullable=True)
        op.drop_column('orders', 'notify_done')
    """)
    assert _kinds(tmp_path, text) == [("drop-not-added", _line(text, "op.drop_column"))]


def test_downgrade_dropping_a_misspelt_column_is_caught(tmp_path: Path) -> None:
    # the column is added to one table and dropped from another: the rollback fails
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))
    """, """
        op.drop_column('order', 'note')
    """)
    assert _kinds(tmp_path, text) == [("drop-not-added", _line(text, "op.drop_column"))]


def test_downgrade_dropping_a_table_of_an_earlier_revision_is_caught(tmp_path: Path) -> None:
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        op.create_index('ix_orders_id', 'orders', ['id'])
    """, """
        op.drop_index('ix_orders_id', table_name='orders')
        op.drop_table('legacy_log')
    """)
    assert _kinds(tmp_path, text) == [("drop-not-added", _line(text, "op.drop_table"))]


def test_downgrade_dropping_a_table_no_revision_creates_is_left_alone(tmp_path: Path) -> None:
    # the models' metadata.create_all() makes new tables at start-up: dropping one may be the undo
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        op.drop_column('orders', 'notify_done')
    """, """
        op.add_column('orders', sa.Column('notify_done', sa.Boolean(), nullable=True))
        op.drop_table('order_links')
    """)
    assert _kinds(tmp_path, text) == []


def test_an_irreversible_comment_accepts_the_drop(tmp_path: Path) -> None:
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        op.create_index('ix_orders_id', 'orders', ['id'])
    """, """
        op.drop_index('ix_orders_id', table_name='orders')
        # irreversible: legacy_log is retired with this release, the rollback removes it on purpose
        op.drop_table('legacy_log')
    """)
    assert _kinds(tmp_path, text) == []


@pytest.mark.parametrize("upgrade", [
    # the column is added in ways the hook reads ...
    "op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))",
    """
    with op.batch_alter_table('orders') as batch_op:
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=True))
    """,
    "op.alter_column('orders', 'remark', new_column_name='note')",
    # ... or in ways it does not read to the end: no finding
    "op.execute('ALTER TABLE orders ADD COLUMN note TEXT')",
    "_add_columns('orders', ['note'])",
    """
    for column in COLUMNS:
        op.add_column('orders', sa.Column(column, sa.Text(), nullable=True))
    """,
    """
    bind = op.get_bind()
    if not sa.inspect(bind).has_table('orders'):
        return
    op.add_column('orders', sa.Column('note', sa.Text(), nullable=True))
    """,
])
def test_downgrade_dropping_what_upgrade_adds_is_left_alone(tmp_path: Path, upgrade: str) -> None:
    head = """
        COLUMNS = ['note']


        def _add_columns(table, names):
            for name in names:
                op.add_column(table, sa.Column(name, sa.Text(), nullable=True))
    """
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", upgrade, "op.drop_column('orders', 'note')", head)
    assert _kinds(tmp_path, text) == []


def test_downgrade_dropping_a_table_it_created_or_the_upgrade_created_is_left_alone(tmp_path: Path) -> None:
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", """
        op.create_table('refund', sa.Column('id', sa.Integer(), nullable=False))
    """, """
        op.create_table('refund_tmp', sa.Column('id', sa.Integer(), nullable=False))
        op.drop_table('refund_tmp')
        op.drop_table('refund')
    """)
    assert _kinds(tmp_path, text) == []


def test_the_base_revision_is_not_judged(tmp_path: Path) -> None:
    name = "migrations/versions/a1a1a1a1a1a1_initial.py"
    initial = _revision("a1a1a1a1a1a1", None, "op.create_table('x', sa.Column('id', sa.Integer()))",
                        "op.drop_table('y')")
    write_files(tmp_path, {"migrations/env.py": ENV, name: initial})
    assert scan(str(tmp_path / name), (), False, 2_000_000) == []


def test_the_hook_names_the_step_in_its_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = _revision("b2b2b2b2b2b2", "a1a1a1a1a1a1", "op.alter_column('orders', 'id', nullable=False)",
                     "op.alter_column('orders', 'id', nullable=True)\nop.drop_column('orders', 'notify_done')")
    name = "migrations/versions/b2b2b2b2b2b2_change.py"
    write_files(tmp_path, {"migrations/env.py": ENV, "migrations/versions/a1a1a1a1a1a1_initial.py": INITIAL,
                           name: text})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LEGACY_CONFIG_HOOKS_NO_CACHE", "1")
    assert main([name]) == 1
    out = capsys.readouterr().out
    assert f"{name}:{_line(text, 'op.drop_column')}:" in out
    assert "drop_column orders.notify_done is dropped by downgrade() but never added by upgrade()" in out
