"""peer support: a witness's offer (peer_offers.witness_link_id); when a person could talk
(needs_assessments.peer_times)

Revision ID: d24a9c3e5f04
Revises: a24c0e5f1d01
Create Date: 2026-12-04 14:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd24a9c3e5f04'
down_revision = 'a24c0e5f1d01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('peer_offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('witness_link_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_peer_offers_witness_link_id'), ['witness_link_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_peer_offers_witness_link_id_witness_links'), 'witness_links',
                                    ['witness_link_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('needs_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('peer_times', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('needs_assessments', schema=None) as batch_op:
        batch_op.drop_column('peer_times')

    with op.batch_alter_table('peer_offers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_peer_offers_witness_link_id_witness_links'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_peer_offers_witness_link_id'))
        batch_op.drop_column('witness_link_id')
