"""the comparison sample: people who were not referred, drawn at random for cope-and-recover check-ins

Revision ID: a24c0e5f1d01
Revises: c24f2a7b3d03
Create Date: 2026-12-04 12:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.database


# revision identifiers, used by Alembic.
revision = 'a24c0e5f1d01'
down_revision = 'c24f2a7b3d03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'comparison_draws',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('drawn_at', portal.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column('chosen', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_comparison_draws_report_id_reports'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comparison_draws')),
        sa.UniqueConstraint('report_id', name=op.f('uq_comparison_draws_report_id')),
    )
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draw_id', sa.Integer(), nullable=True))
        batch_op.alter_column('referral_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('support_level', existing_type=sa.String(length=20), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_check_ins_draw_id_comparison_draws'), 'comparison_draws',
                                    ['draw_id'], ['id'], ondelete='CASCADE')
        batch_op.create_unique_constraint(batch_op.f('uq_check_ins_draw_id'), ['draw_id', 'weeks'])
        batch_op.create_check_constraint('referral_or_draw', '(referral_id IS NULL) <> (draw_id IS NULL)')


def downgrade():
    op.execute('DELETE FROM check_ins WHERE referral_id IS NULL')
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_check_ins_referral_or_draw'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_check_ins_draw_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_check_ins_draw_id_comparison_draws'), type_='foreignkey')
        batch_op.alter_column('support_level', existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column('organisation_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('referral_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('draw_id')
    op.drop_table('comparison_draws')
