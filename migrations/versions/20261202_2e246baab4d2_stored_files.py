"""stored files

With FILE_STORAGE=database, uploaded files are kept in this table (every app server reaches it, and a file is
written in the transaction of the row that names it).

Revision ID: 2e246baab4d2
Revises: 3a7d2c9e5b10
Create Date: 2026-12-02 06:51:50.387246

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2e246baab4d2'
down_revision = '3a7d2c9e5b10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_stored_file'))
    )


def downgrade():
    op.drop_table('stored_file')
