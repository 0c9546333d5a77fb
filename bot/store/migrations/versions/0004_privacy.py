"""privacy: when the retention purge ran

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:16:29.975715
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('eventstate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purged_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('eventstate', schema=None) as batch_op:
        batch_op.drop_column('purged_at')

