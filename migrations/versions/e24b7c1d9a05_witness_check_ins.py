"""check-ins for a witness's own referrals: whose a check-in is (check_ins.witness_link_id)

Revision ID: e24b7c1d9a05
Revises: d24a9c3e5f04
Create Date: 2026-12-04 15:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e24b7c1d9a05'
down_revision = 'd24a9c3e5f04'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('witness_link_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_check_ins_witness_link_id'), ['witness_link_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_check_ins_witness_link_id_witness_links'), 'witness_links',
                                    ['witness_link_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint('witness_only_on_referral',
                                         'witness_link_id IS NULL OR referral_id IS NOT NULL')


def downgrade():
    # A witness's check-ins have no place once the column is gone: they would count as the victim's.
    op.execute('DELETE FROM check_ins WHERE witness_link_id IS NOT NULL')
    with op.batch_alter_table('check_ins', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_check_ins_witness_only_on_referral'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_check_ins_witness_link_id_witness_links'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_check_ins_witness_link_id'))
        batch_op.drop_column('witness_link_id')
