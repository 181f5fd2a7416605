"""A Dask task's inputs travel as one pickled blob: the blob is bytes, gives back equal inputs (odd text included),
and the signature task computes from it what ``text_signature`` computes on the driver."""

from __future__ import annotations

from datetime import datetime

from storyline.engines import packed_chunk, signature_chunk, unpacked_chunk
from storyline.ingest.dedupe import text_signature
from storyline.records import Article, OffsetSegment

TEXTS = [
    ("a1", "The ferry left the harbour at dawn, officials said.\n\nNo one was hurt."),
    ("a2", "Caf\u00e9 owners in Gen\u00e8ve \u2014 \u201cwe are closed\u201d \u2014 said nothing\x00 more."),
    ("a3", ""),  # a text without words
]


def test_a_packed_chunk_is_bytes_and_unpacks_to_equal_articles():
    articles = [
        Article(
            id=article_id,
            text=text,
            raw_text=text + "  ",
            segments=(OffsetSegment(0, 0, len(text)),),
            published=datetime(2018, 3, 4, 5, 6),
        )
        for article_id, text in TEXTS
    ]
    packed = packed_chunk(articles)
    assert isinstance(packed, bytes)
    assert unpacked_chunk(packed) == articles


def test_the_signature_task_reads_its_packed_texts():
    result = signature_chunk(packed_chunk(TEXTS))
    expected = [text_signature(text) for _, text in TEXTS]
    assert [s.exact_key for s in result.items] == [s.exact_key for s in expected]
    assert [list(s.grams) for s in result.items] == [list(s.grams) for s in expected]
    assert result.items[2].exact_key is None and result.items[0].exact_key != result.items[1].exact_key
