"""the desk: who last opened a question, staff notes and saved replies

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 15:00:00

``question.opened_by`` and ``question.opened_at``: the staff member who last opened the question
and when, so that a colleague who opens it within minutes is warned (bot.staff.team). ``note``:
internal notes of staff on a question or an attendee (bot.staff.team). ``savedreply``: the
standard answers staff keep, in Dutch and English (bot.staff.saved).
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
    op.create_table('note',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('question_id', sa.Integer(), nullable=True),
                    sa.Column('attendee_id', sa.Integer(), nullable=True),
                    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                              nullable=False),
                    sa.ForeignKeyConstraint(['attendee_id'], ['attendee.id']),
                    sa.ForeignKeyConstraint(['question_id'], ['question.id']),
                    sa.PrimaryKeyConstraint('id'))
    op.create_index(op.f('ix_note_attendee_id'), 'note', ['attendee_id'], unique=False)
    op.create_index(op.f('ix_note_question_id'), 'note', ['question_id'], unique=False)
    op.create_table('savedreply',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('body_nl', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('body_en', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
                    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(),
                              nullable=False),
                    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(),
                              nullable=False),
                    sa.PrimaryKeyConstraint('id'),
                    sa.UniqueConstraint('title'))


def downgrade() -> None:
    op.drop_table('savedreply')
    op.drop_index(op.f('ix_note_question_id'), table_name='note')
    op.drop_index(op.f('ix_note_attendee_id'), table_name='note')
    op.drop_table('note')
    with op.batch_alter_table('question', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('opened_at')
        batch_op.drop_column('opened_by')
