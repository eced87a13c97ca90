"""refund decision note

Revision ID: 0f7940d010ed
Revises: 5f9193ba1ef0
Create Date: 2026-11-29 02:17:25.710488

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0f7940d010ed'
down_revision = '5f9193ba1ef0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_note', sa.Text(), nullable=True))



def downgrade():
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_column('decision_note')

