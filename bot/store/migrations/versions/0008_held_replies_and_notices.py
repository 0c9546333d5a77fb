"""held replies and one-time notices

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 05:00:00

``outboundmail.held_reason``: a reply that a limit holds back stays in the outbox (status
``held``) with the limit's name and the time it was written (``held_since``), instead of being
dropped. ``outboundmail.unverified_recipient``:
only automatic replies to senders nobody verified count toward the circuit breaker.
``staffsession.notice``: the desk's "done" message travels in the server-side session, not in
the URL.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outboundmail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_reason', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
        batch_op.add_column(sa.Column('held_since', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('unverified_recipient', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('staffsession', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staffsession', schema=None) as batch_op:
        batch_op.drop_column('notice')
    with op.batch_alter_table('outboundmail', schema=None) as batch_op:
        batch_op.drop_column('unverified_recipient')
        batch_op.drop_column('held_since')
        batch_op.drop_column('held_reason')
