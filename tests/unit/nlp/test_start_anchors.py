""""since 2012" dates when a state began: events and claims in that sentence must not take it as their date."""

from __future__ import annotations

from datetime import datetime

from storyline.nlp.times import is_start_anchor
from storyline.pipeline import analyze_text

PUBLISHED = datetime(2019, 1, 20)


def test_start_anchor_detection(ctx):
    text = "The militia has fought the army since 2012. Rebels attacked the base on 3 January 2019."
    analysis = analyze_text(text, ctx, published=PUBLISHED)
    anchors = {t.text: is_start_anchor(text, t) for t in analysis.times}
    assert anchors.get("2012") is True
    assert anchors.get("3 January 2019") is False


def test_events_and_claims_do_not_take_since_dates(ctx):
    text = ('"We will never surrender," said commander Omar Haddad of the militia, which has been fighting '
            "the army since 2012.\n\nGunmen attacked a checkpoint on 3 January 2019, killing four soldiers.")
    analysis = analyze_text(text, ctx, published=PUBLISHED)
    for claim in analysis.claims:
        assert claim.said_on is None or claim.said_on.year != 2012
    for event in analysis.events:
        assert event.date is None or event.date.value != "2012"
    dated = [e for e in analysis.events if e.date is not None]
    assert any(e.date.value == "2019-01-03" for e in dated)
