"""reports: purchase totals, targets as amount or percent, proposals, shortfall reasons

Revision ID: c69053cdd7e6
Revises: 56d3316993b9
Create Date: 2026-11-29 01:52:43.266856

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c69053cdd7e6'
down_revision = '56d3316993b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('purchase_total',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=8), nullable=False),
    sa.Column('goods_krw', sa.BigInteger(), nullable=False),
    sa.Column('services_krw', sa.BigInteger(), nullable=False),
    sa.Column('works_krw', sa.BigInteger(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("stage IN ('planned', 'actual')", name=op.f('ck_purchase_total_stage')),
    sa.CheckConstraint('goods_krw >= 0 AND services_krw >= 0 AND works_krw >= 0', name=op.f('ck_purchase_total_amounts')),
    sa.ForeignKeyConstraint(['agency_id'], ['organization.id'], name=op.f('fk_purchase_total_agency_id_organization')),
    sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_purchase_total_set_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_purchase_total')),
    sa.UniqueConstraint('agency_id', 'year', 'stage', name='uq_purchase_total_agency_year_stage')
    )
    op.create_table('shortfall_reason',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['organization.id'], name=op.f('fk_shortfall_reason_agency_id_organization')),
    sa.ForeignKeyConstraint(['written_by_id'], ['user.id'], name=op.f('fk_shortfall_reason_written_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shortfall_reason')),
    sa.UniqueConstraint('agency_id', 'year', 'category', name='uq_shortfall_reason_agency_year_category')
    )
    op.create_table('target_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('targets', sa.JSON(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['organization.id'], name=op.f('fk_target_proposal_agency_id_organization')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_target_proposal_proposed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_proposal'))
    )
    with op.batch_alter_table('target_proposal', schema=None) as batch_op:
        batch_op.create_index('ix_target_proposal_agency_year', ['agency_id', 'year'], unique=False)
        batch_op.create_index('ix_target_proposal_status', ['status'], unique=False)

    with op.batch_alter_table('purchase_target', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis', sa.String(length=8), server_default='amount', nullable=False))
        batch_op.add_column(sa.Column('rate_bp', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('works_rate_bp', sa.Integer(), nullable=True))
        batch_op.alter_column('amount_krw',
               existing_type=sa.BIGINT(),
               nullable=True)
        batch_op.create_check_constraint(
            op.f('ck_purchase_target_basis'),
            "(basis = 'amount' AND amount_krw IS NOT NULL AND rate_bp IS NULL AND works_rate_bp IS NULL) "
            "OR (basis = 'percent' AND amount_krw IS NULL AND rate_bp BETWEEN 0 AND 10000 "
            "AND (works_rate_bp IS NULL OR works_rate_bp BETWEEN 0 AND 10000))")



def downgrade():
    # The old schema holds only amounts: a percentage target cannot go back.
    op.execute("DELETE FROM purchase_target WHERE basis = 'percent'")
    with op.batch_alter_table('purchase_target', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_purchase_target_basis'), type_='check')
        batch_op.alter_column('amount_krw',
               existing_type=sa.BIGINT(),
               nullable=False)
        batch_op.drop_column('works_rate_bp')
        batch_op.drop_column('rate_bp')
        batch_op.drop_column('basis')

    with op.batch_alter_table('target_proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_target_proposal_status')
        batch_op.drop_index('ix_target_proposal_agency_year')

    op.drop_table('target_proposal')
    op.drop_table('shortfall_reason')
    op.drop_table('purchase_total')
