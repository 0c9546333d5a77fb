"""presence at the door: when an attendee was checked in, by whom, and walk-ins

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 18:00:00

``attendee.present_at`` and ``present_by``: checked in at the door (bot.staff.door); the
retention purge keeps the time (the turnout's counts) and blanks the staff member.
``attendee.walk_in``: added at the door rather than signed up by mail.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('attendee', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('present_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('present_by', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
        batch_op.add_column(sa.Column('walk_in', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('attendee', schema=None, recreate='never') as batch_op:
        for column in ('walk_in', 'present_by', 'present_at'):
            batch_op.drop_column(column)
