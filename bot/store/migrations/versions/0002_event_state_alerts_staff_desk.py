"""event state, alerts, the staff desk and covering indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:02:50.863720

The tables and columns added from issue 2 to issue 6. Written for databases at revision
0001 and for databases made by create_all at any commit in between (see the helpers below).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

ATTENDEE_FK = "outboundmail_attendee_id_fkey"  # the name PostgreSQL gives it under create_all


# Databases made with create_all before migrations existed got every table of their day but never
# a column added later, and their day may be anywhere between revision 0001 and this one: each
# step below is taken only where the database lacks it.

def _inspector():
    return sa.inspect(op.get_bind())


def _column(table, name):
    return next(c for c in _inspector().get_columns(table) if c["name"] == name)


def create_table_if_missing(name, *columns):
    if not _inspector().has_table(name):
        op.create_table(name, *columns)


def add_column_if_missing(batch_op, table, column) -> bool:
    if column.name in {c["name"] for c in _inspector().get_columns(table)}:
        return False
    batch_op.add_column(column)
    return True


def create_index_if_missing(batch_op, table, name, columns):
    if name not in {i["name"] for i in _inspector().get_indexes(table)}:
        batch_op.create_index(name, columns, unique=False)


def upgrade() -> None:
    create_table_if_missing('alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('alert', schema=None) as batch_op:
        create_index_if_missing(batch_op, 'alert', 'ix_alert_kind', ['kind'])

    create_table_if_missing('auditentry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('user', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    create_table_if_missing('eventstate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    create_table_if_missing('loginattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        for column in ('address', 'at', 'username'):
            create_index_if_missing(batch_op, 'loginattempt', f'ix_loginattempt_{column}',
                                    [column])

    create_table_if_missing('staffuser',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    create_table_if_missing('staffsession',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['staffuser.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    with op.batch_alter_table('attendee', schema=None) as batch_op:
        add_column_if_missing(batch_op, 'attendee', sa.Column(
            'undeliverable', sa.Boolean(), nullable=False, server_default='0'))
        add_column_if_missing(batch_op, 'attendee', sa.Column(
            'ics_sequence', sa.Integer(), nullable=False, server_default='0'))
        if not _column('attendee', 'email')['nullable']:  # copies the table on SQLite
            batch_op.alter_column('email', existing_type=sa.VARCHAR(), nullable=True)
        create_index_if_missing(batch_op, 'attendee', 'ix_attendee_seats', ['event', 'status'])

    with op.batch_alter_table('inboundmessage', schema=None) as batch_op:
        add_column_if_missing(batch_op, 'inboundmessage', sa.Column(
            'raw_complete', sa.Boolean(), nullable=False, server_default='1'))

    with op.batch_alter_table('outboundmail', schema=None) as batch_op:
        if add_column_if_missing(batch_op, 'outboundmail',
                                 sa.Column('attendee_id', sa.Integer(), nullable=True)):
            batch_op.create_foreign_key(ATTENDEE_FK, 'attendee', ['attendee_id'], ['id'])
        add_column_if_missing(batch_op, 'outboundmail', sa.Column(
            'automatic', sa.Boolean(), nullable=False, server_default='1'))
        create_index_if_missing(batch_op, 'outboundmail', 'ix_outbound_due',
                                ['status', 'next_attempt_at'])
        create_index_if_missing(batch_op, 'outboundmail', 'ix_outbound_limits',
                                ['recipient', 'created_at', 'automatic'])
        create_index_if_missing(batch_op, 'outboundmail', 'ix_outbound_recent',
                                ['created_at', 'automatic'])

    with op.batch_alter_table('question', schema=None) as batch_op:
        add_column_if_missing(batch_op, 'question', sa.Column(
            'answered_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('answered_by')

    with op.batch_alter_table('outboundmail', schema=None) as batch_op:
        batch_op.drop_constraint(ATTENDEE_FK, type_='foreignkey')
        batch_op.drop_index('ix_outbound_recent')
        batch_op.drop_index('ix_outbound_limits')
        batch_op.drop_index('ix_outbound_due')
        batch_op.drop_column('automatic')
        batch_op.drop_column('attendee_id')

    with op.batch_alter_table('inboundmessage', schema=None) as batch_op:
        batch_op.drop_column('raw_complete')

    with op.batch_alter_table('attendee', schema=None) as batch_op:
        batch_op.drop_index('ix_attendee_seats')
        batch_op.alter_column('email',
               existing_type=sa.VARCHAR(),
               nullable=False)
        batch_op.drop_column('ics_sequence')
        batch_op.drop_column('undeliverable')

    op.drop_table('staffsession')
    op.drop_table('staffuser')
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginattempt_username'))
        batch_op.drop_index(batch_op.f('ix_loginattempt_at'))
        batch_op.drop_index(batch_op.f('ix_loginattempt_address'))

    op.drop_table('loginattempt')
    op.drop_table('eventstate')
    op.drop_table('auditentry')
    with op.batch_alter_table('alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_kind'))

    op.drop_table('alert')
