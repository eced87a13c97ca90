"""search: documents are searched without their spaces (한식도시락 finds 한식 도시락)

Revision ID: 3a5c0e7d9b21
Revises: f0c0d5df5836
Create Date: 2026-11-29 05:00:00

The stored search texts lose their spaces, and each document gains the bigrams that span the spaces it lost.
Search texts are already normalised (single spaces), so removing ' ' is all `search.document_text` does more.
The bigram rule is restated here rather than imported: a migration replays what was true when it was written.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '3a5c0e7d9b21'
down_revision = 'f0c0d5df5836'
branch_labels = None
depends_on = None

BATCH = 5000
DOCUMENTS = (("L", "listing", "id"), ("E", "enterprise_profile", "organization_id"))


def _grams(text):
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _within_words(text):
    return set().union(*(_grams(word) for word in text.split(" ")))


def upgrade():
    connection = op.get_bind()
    gram = sa.table("search_gram", sa.column("doc_type"), sa.column("gram"), sa.column("doc_id"))
    for doc_type, table, key in DOCUMENTS:
        last = None
        while True:
            after = "" if last is None else f"AND {key} > :last"
            rows = connection.execute(sa.text(
                f"SELECT {key}, search_text FROM {table} WHERE search_text LIKE '% %' {after} "
                f"ORDER BY {key} LIMIT {BATCH}"), {"last": last}).all()
            if not rows:
                break
            new = [{"doc_type": doc_type, "gram": g, "doc_id": doc_id} for doc_id, text in rows
                   for g in _grams(text.replace(" ", "")) - _within_words(text)]
            if new:
                connection.execute(sa.insert(gram), new)
            last = rows[-1][0]
        op.execute(f"UPDATE {table} SET search_text = REPLACE(search_text, ' ', '') WHERE search_text LIKE '% %'")


def downgrade():
    # The spaces are gone and the extra bigrams are harmless: searches still work, as they did before.
    pass
