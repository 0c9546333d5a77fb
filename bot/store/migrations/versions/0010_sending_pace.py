"""sending pace: priorities, claim times and the outbox's pause

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:00:00

``outboundmail.priority`` orders waiting mail (confirmations before acknowledgements before
reminders); ``outboundmail.claimed_at`` is when a mail was last handed to the SMTP server, which
the sending pace counts over a minute and a day (index ``ix_outbound_claimed``). Mail already
sent counts from its ``sent_at``. ``outboxpace`` is one row: the pause after a quota answer,
and the lock that keeps several workers to one budget.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outboundmail', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
    op.execute("UPDATE outboundmail SET claimed_at = sent_at WHERE sent_at IS NOT NULL")
    op.create_index('ix_outbound_claimed', 'outboundmail', ['claimed_at'], unique=False)
    op.create_table('outboxpace',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('paused_until', sqlmodel.sql.sqltypes.UTCDateTime(),
                              nullable=True),
                    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
                    sa.Column('strikes', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id'))


def downgrade() -> None:
    op.drop_table('outboxpace')
    op.drop_index('ix_outbound_claimed', table_name='outboundmail')
    with op.batch_alter_table('outboundmail', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('priority')
