"""services say whether they are step-free; a needs assessment records step-free and online-only needs

Revision ID: b7e3a91c5d20
Revises: 43de6613b371
Create Date: 2026-12-04 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3a91c5d20'
down_revision = '43de6613b371'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('support_services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_free', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('needs_assessments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step_free', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('online_only', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('needs_assessments', schema=None) as batch_op:
        batch_op.drop_column('online_only')
        batch_op.drop_column('step_free')
    with op.batch_alter_table('support_services', schema=None) as batch_op:
        batch_op.drop_column('step_free')
