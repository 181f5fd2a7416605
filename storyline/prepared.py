"""Everything per-article a run needs before storing, computed where the article is analysed (worker process).

Input: a batch of read articles, a context and the stages; output: per article a ``PreparedArticle``: the
analysis flattened into database rows encoded for the store's dialect, and the dedupe signature. The main
process (local pool) or Dask driver then only inserts the signature into its index and the rows into the store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from storyline.ingest.dedupe import TextSignature, text_signature
from storyline.pipeline import Context, Stage, StageFunction, analyze_batch
from storyline.records import Article, DatePrecision
from storyline.store.rows import ArticleRows, analysis_rows


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """What a worker sends back for one article: compact rows (cheap to unpickle), not the records."""

    rows: ArticleRows
    signature: TextSignature


def prepare_batch(
    batch: list[Article], ctx: Context, functions: list[tuple[Stage, StageFunction]], dialect: str
) -> list[PreparedArticle]:
    """Date, analyse (spaCy once for the batch, then every stage), flatten and sign each article."""
    dated = [with_estimated_date(article) for article in batch]
    return [
        PreparedArticle(analysis_rows(analysis, dialect), text_signature(analysis.article.text))
        for analysis in analyze_batch(dated, ctx, functions)
    ]


def with_estimated_date(article: Article) -> Article:
    """Articles without a known date get one estimated from their own dated references, marked so."""
    if article.published is not None:
        return article
    from storyline.nlp.times import estimate_publication_date

    estimate = estimate_publication_date(article.text)
    if estimate is None:
        return article
    when, precision = estimate
    return replace(article, published=when, published_precision=DatePrecision(precision), published_source="estimated")
