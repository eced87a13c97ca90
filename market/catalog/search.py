"""Korean-aware search on SQLite and PostgreSQL alike.

Text is normalised (NFC, lower case, whitespace collapsed) on write and on query. A document is stored without
its spaces (`document_text`): Korean is written with and without them (한식도시락, 한식 도시락), so a query word
must appear in the document whatever the spacing of either. Each searchable document stores that
`search_text` and, in `search_gram`, the set of its character bigrams. A query word of two or more characters
must have all of its bigrams in the document (an index lookup) and appear as a substring of `search_text` (the
exact check); a one-character word is checked by the substring test alone. Words are ANDed.

Two ways to read a page of listings, chosen by how many match (see `services.listings_page`): few are found
through the bigrams' index, the rarest bigram first, and sorted; many are found by walking the list's
display order and testing each row, which stops as soon as the page is full.
"""
from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from market.catalog.models import SearchGram
from market.extensions import db

LISTING = "L"
ENTERPRISE = "E"
MAX_WORDS = 5
# Bigrams are counted up to here to find the rarest: beyond it every bigram is common and any of them will do.
RAREST_COUNT_CAP = 5000
_SPACES = re.compile(r"\s+")


def normalize(text: str | None) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "").lower()).strip()


def document_text(parts) -> str:
    """What a document is searched by: its parts (None skipped), normalised, without spaces."""
    return normalize(" ".join(part for part in parts if part)).replace(" ", "")


def words(query: str | None) -> list[str]:
    return [w for w in normalize(query).split(" ") if w][:MAX_WORDS]


def bigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in normalize(text).split(" "):
        grams.update(word[i:i + 2] for i in range(len(word) - 1))
    return grams


def index_document(doc_type: str, doc_id: int, text: str) -> None:
    """Replace the document's bigrams (call after flush, with the document's id)."""
    index_documents(doc_type, {doc_id: text})


def index_documents(doc_type: str, texts: dict[int, str]) -> None:
    """Replace the bigrams of several documents ({id: search text}) in two statements."""
    if not texts:
        return
    db.session.execute(sa.delete(SearchGram).where(SearchGram.doc_type == doc_type, SearchGram.doc_id.in_(texts)))
    rows = [{"doc_type": doc_type, "gram": gram, "doc_id": doc_id}
            for doc_id, text in texts.items() for gram in bigrams(text)]
    if rows:
        db.session.execute(sa.insert(SearchGram), rows)


def matching(stmt, id_column, text_column, doc_type: str, query: str | None, grams: list[str] | None = None):
    """`stmt` narrowed to the documents holding every word of the query (unchanged when it is empty): joined to
    the index of each bigram of the words (one row per document), then confirmed by the substring test.

    `grams` gives the bigrams' order (default: alphabetical): SQLite drives from the first, so the rarest
    should lead (`grams_by_rarity`); PostgreSQL merges the bigrams' index scans, which it estimates better
    than an INTERSECT or a single bigram with the substring test (those made it scan every row)."""
    exact = contains_words(text_column, query)
    if exact is None:
        return stmt
    for gram in query_grams(query) if grams is None else grams:
        posting = aliased(SearchGram)
        stmt = stmt.join(posting, sa.and_(posting.doc_type == doc_type, posting.gram == gram,
                                          posting.doc_id == id_column))
    return stmt.where(exact)


def query_grams(query: str | None) -> list[str]:
    return sorted(set().union(*(bigrams(word) for word in words(query))))


def contains_words(text_column, query: str | None):
    """A SQL condition: the text holds every word of the query (the exact test; None when the query is empty)."""
    query_words = words(query)
    if not query_words:
        return None
    return sa.and_(*(text_column.contains(word, autoescape=True) for word in query_words))


def serial_plans() -> None:
    """PostgreSQL: plan the rest of this transaction without parallel workers.

    The planner takes a bigram's postings for ten times what they are and starts a worker for a lookup that
    costs less than the worker's start (bench, /listings?q=도시락 count: 9 ms with one worker, 2.5 ms without).
    SET LOCAL ends with the request's transaction; the reports' large aggregates keep their workers."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))


def grams_by_rarity(doc_type: str, query: str | None) -> list[str]:
    """The query's bigrams, the one held by the fewest documents first: one statement, whose counts stop at
    RAREST_COUNT_CAP, and none for a single bigram."""
    grams = query_grams(query)
    if len(grams) <= 1:
        return grams
    counts = db.session.execute(sa.select(*(
        sa.select(sa.func.count()).select_from(
            sa.select(SearchGram.doc_id).where(SearchGram.doc_type == doc_type, SearchGram.gram == gram)
            .limit(RAREST_COUNT_CAP).subquery()).scalar_subquery()
        for gram in grams))).one()
    return [gram for _count, gram in sorted(zip(counts, grams))]
