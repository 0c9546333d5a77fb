"""who last opened a question in the desk

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 15:00:00

``question.opened_by`` and ``question.opened_at``: the staff member who last opened the question
and when, so that a colleague who opens it within minutes is warned (bot.staff.desk).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('question', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('opened_by', sqlmodel.sql.sqltypes.AutoString(),
                                      nullable=True))
        batch_op.add_column(sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('question', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('opened_at')
        batch_op.drop_column('opened_by')
