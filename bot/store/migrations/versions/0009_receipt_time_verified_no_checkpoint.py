"""receipt time, verified sender, no UID checkpoint

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 11:30:00

``inboundmessage.received_at`` is, from now on, when our mail server received the message (IMAP
INTERNALDATE), no longer when the bot recorded it; old rows keep the recording time, which is
close. ``inboundmessage.verified``: our server authenticated the sender and
the domain is allowed; old rows get it from their reasons (``dmarc_pass``, ``dkim_aligned_pass``),
where the desk used to read it. The ``mailboxstate`` table (a UID checkpoint that nothing read:
the inbox holds only unfiled mail, and the recorded rows say what was handled) and the unused
``attendee.role`` are dropped. SQLite adds and drops the columns itself: copying the table, as
batch mode otherwise does, would break the foreign keys that point at it. SQLite before 3.35
cannot drop a column; there ``attendee.role`` stays, unused (and nullable).
"""

import sqlite3

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

VERIFIED_BY = ("dmarc_pass", "dkim_aligned_pass")


def upgrade() -> None:
    with op.batch_alter_table('inboundmessage', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('verified', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    messages = sa.table('inboundmessage', sa.column('id', sa.Integer()),
                        sa.column('reasons', sa.JSON()), sa.column('verified', sa.Boolean()))
    connection = op.get_bind()
    verified = [row.id for row in connection.execute(sa.select(messages.c.id, messages.c.reasons))
                if set(row.reasons or ()) & set(VERIFIED_BY)]
    for start in range(0, len(verified), 500):
        connection.execute(messages.update().where(messages.c.id.in_(verified[start:start + 500]))
                           .values(verified=True))
    if connection.dialect.name != "sqlite" or sqlite3.sqlite_version_info >= (3, 35):
        with op.batch_alter_table('attendee', schema=None, recreate='never') as batch_op:
            batch_op.drop_column('role')
    op.drop_table('mailboxstate')


def downgrade() -> None:
    op.create_table('mailboxstate',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('folder', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('uidvalidity', sa.Integer(), nullable=False),
                    sa.Column('highest_uid', sa.Integer(), nullable=False),
                    sa.Column('last_poll_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                              nullable=True),
                    sa.PrimaryKeyConstraint('id'),
                    sa.UniqueConstraint('folder'))
    if 'role' not in {c['name'] for c in sa.inspect(op.get_bind()).get_columns('attendee')}:
        with op.batch_alter_table('attendee', schema=None, recreate='never') as batch_op:
            batch_op.add_column(sa.Column('role', sqlmodel.sql.sqltypes.AutoString(),
                                          nullable=True))
    with op.batch_alter_table('inboundmessage', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('verified')
