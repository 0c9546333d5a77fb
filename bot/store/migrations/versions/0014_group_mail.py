"""mail to a group: the group mails staff send, and which outbox rows belong to one

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 19:00:00

``groupmail``: one mail staff sent to a group of an event's people (bot.staff.announce), unique
by the hash of its event and texts (not its group). ``outboundmail.group_mail_id``: the group
mail an outbox row is part of (its progress and results per person). Group mail goes out after every
mail a person waits for and before the notices to staff: the notices' priority moves from 3 to 4
(bot.outbound.pace.Priority).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table('groupmail',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('digest', text(), nullable=False),
                    sa.Column('event', text(), nullable=False),
                    sa.Column('group', text(), nullable=False),
                    sa.Column('subject_nl', text(), nullable=False),
                    sa.Column('body_nl', text(), nullable=False),
                    sa.Column('subject_en', text(), nullable=False),
                    sa.Column('body_en', text(), nullable=False),
                    sa.Column('created_by', text(), nullable=False),
                    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                              nullable=False),
                    sa.PrimaryKeyConstraint('id'),
                    sa.UniqueConstraint('digest'))
    with op.batch_alter_table('outboundmail', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('group_mail_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_outboundmail_group_mail_id'), 'outboundmail', ['group_mail_id'],
                    unique=False)
    op.execute("UPDATE outboundmail SET priority = 4 "
               "WHERE purpose IN ('staff_notice', 'staff_summary')")


def downgrade() -> None:
    op.execute("DELETE FROM outboundmail WHERE purpose = 'group_mail' AND status != 'sent'")
    op.execute("UPDATE outboundmail SET priority = 3 "
               "WHERE purpose IN ('staff_notice', 'staff_summary')")
    op.drop_index(op.f('ix_outboundmail_group_mail_id'), table_name='outboundmail')
    with op.batch_alter_table('outboundmail', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('group_mail_id')
    op.drop_table('groupmail')
