"""Cited briefs: every account sentence is copied from a cited article, copies are cited together, and the
Markdown/HTML/JSON renderings keep every field, resolve every citation and escape hostile article text."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from storyline.records import Article, ArticleAnalysis, ArticleLink, Claim, Entity, Evidence, Mention, Quantity
from storyline.report.brief import build_brief, render_brief, resolve_story
from storyline.report.brief_account import clause_length, dateline_length, is_account_sentence, sentence_spans
from storyline.report.brief_render import BriefFormatError
from storyline.report.brief_sections import roles_near
from storyline.report.brief_types import Brief, from_jsonable
from storyline.store import Store, schema

DAY1, DAY2 = datetime(2031, 4, 7, 8), datetime(2031, 4, 8, 8)
LEAD = "Rebels of the Free Hills Front seized the river town of Velmora on Monday after a week of fighting."
QUOTE = "“We will not leave Velmora until the last family is safe,”"
HOSTILE = "Witnesses said looters scrawled <script>alert('owned')</script> across the shuttered bank in Velmora."
TEXT_A = (f"{LEAD} Thirty people were killed in the assault, the regional governor said on Monday evening.\n"
          "The defence ministry denied that its aircraft had struck the crowded market near the old bridge.\n"
          f"{QUOTE} said commander Ardan Vosk of the Free Hills Front.\n{HOSTILE}\n"
          "Source: Northwind Wire\nLeave a Reply\n")
TEXT_B = (f"{LEAD} Doctors at the district hospital said 45 people were killed and dozens more were wounded.\n"
          f"{QUOTE} commander Ardan Vosk told reporters by telephone from the town.\n"
          "We could hear the shelling from our office across the valley all night long.\n"
          "Aid convoys waited on the highway south of Velmora because the bridge had been mined.\n")


def _span(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def _analysis(article: Article, killed: str, low: float) -> ArticleAnalysis:
    text, aid = article.text, article.id
    q_start, q_end = _span(text, QUOTE)
    k_start, k_end = _span(text, killed)
    v_start, v_end = _span(text, "Ardan Vosk")
    f_start, f_end = _span(text, "Free Hills Front")
    claims = [Claim(Evidence(aid, q_start, q_end), QUOTE, "Ardan Vosk", "named", speaker_key="Ardan Vosk",
                    cue="said", direct=True)]
    if "denied" in text:
        d_start, d_end = _span(text, "its aircraft had struck the crowded market")
        claims.append(Claim(Evidence(aid, d_start, d_end), text[d_start:d_end], "The defence ministry", "nominal",
                            cue="denied", stance="deny"))
    return ArticleAnalysis(
        article=article,
        mentions=(Mention(Evidence(aid, v_start, v_end), "Ardan Vosk", "PERSON", "Ardan Vosk"),
                  Mention(Evidence(aid, f_start, f_end), "Free Hills Front", "ORG", "Free Hills Front")),
        quantities=(Quantity(Evidence(aid, k_start, k_end), killed, low, low, low, counted="people",
                             state="killed"),),
        claims=tuple(claims),
    )


@pytest.fixture()
def story_store(tmp_path) -> tuple[Store, dict[str, Article]]:  # noqa: ANN001
    store = Store(tmp_path / "brief.db")
    a = Article.from_text(TEXT_A, published=DAY1, outlet="Northwind Wire", origin="mem:a",
                          title="Velmora falls <script>alert(1)</script>", url="https://northwind.example/velmora")
    b = Article.from_text(TEXT_B, published=DAY2, outlet="Southgate Times", origin="mem:b", title="Velmora toll rises")
    c = Article.from_text(TEXT_A + "Republished by arrangement.\n", published=DAY2, outlet="Eastern Post",
                          origin="mem:c", title="Velmora falls")  # a syndicated copy of A
    other = Article.from_text("An unrelated cycling race was held far away in the hills on Sunday morning.",
                              published=DAY1, outlet="Sports Daily", origin="mem:d")
    store.save_analysis(_analysis(a, "Thirty people were killed", 30))
    store.save_analysis(_analysis(b, "45 people were killed", 45))
    store.save_analysis(_analysis(c, "Thirty people were killed", 30), duplicate_of=a.id,
                        links=(ArticleLink(c.id, a.id, "near_duplicate", 0.97),))
    store.save_analysis(ArticleAnalysis(article=other))
    vosk = Entity("ent-vosk", "Ardan Vosk", "PERSON", ("Vosk",))
    store.save_entities([vosk], {(x.id, "Ardan Vosk"): vosk.id for x in (a, b, c)})
    store.replace_rows(schema.stories, [
        {"id": "velmora", "title": "Rebels seize Velmora", "first_published": DAY1, "last_published": DAY2,
         "profile": {}, "n_articles": 3},
        {"id": "cycling", "title": None, "first_published": DAY1, "last_published": DAY1, "profile": {},
         "n_articles": 1}])
    store.replace_rows(schema.story_articles, [{"story_id": "velmora", "article_id": x.id, "score": 1.0}
                                               for x in (a, b, c)]
                       + [{"story_id": "cycling", "article_id": other.id, "score": 1.0}])
    return store, {"a": a, "b": b, "c": c, "other": other}


def _brief(story_store: tuple[Store, dict[str, Article]]) -> Brief:
    brief = build_brief(story_store[0], "velmora")
    assert brief is not None
    return brief


def test_every_account_sentence_is_copied_from_each_cited_article(story_store) -> None:  # noqa: ANN001
    brief = _brief(story_store)
    texts = {c.number: story_store[0].rows(schema.articles, schema.articles.c.id == c.article_id)[0]["text"]
             for c in brief.citations}
    assert brief.account, "the story has reportorial sentences to pick"
    for sentence in brief.account:
        owner = next(c for c in brief.citations if c.article_id == sentence.article_id)
        assert texts[owner.number][sentence.start:sentence.end] == sentence.text
        for number in sentence.citations:
            assert sentence.text in texts[number]
    picked = [s.text for s in brief.account]
    assert not any("Leave a Reply" in s or s.startswith("Source:") for s in picked)  # web furniture
    assert not any(s.startswith("We could hear") for s in picked)  # first person: the writer, not the story
    assert not any(s.startswith("“") for s in picked)  # quotes go to the quotes section


def test_syndicated_sentence_is_listed_once_and_cited_to_all_carriers(story_store) -> None:  # noqa: ANN001
    store, articles = story_store
    brief = _brief(story_store)
    number = {c.article_id: c.number for c in brief.citations}
    leads = [s for s in brief.account if s.text == LEAD]
    assert len(leads) == 1
    assert set(leads[0].citations) == {number[articles[k].id] for k in ("a", "b", "c")}
    assert leads[0].origins == 2  # the Eastern Post copy of Northwind Wire is not an independent origin
    assert len({s.text for s in brief.account}) == len(brief.account)


def test_citations_resolve_and_story_membership_is_respected(story_store) -> None:  # noqa: ANN001
    store, articles = story_store
    brief = _brief(story_store)
    assert [c.number for c in brief.citations] == [1, 2, 3]
    assert articles["other"].id not in {c.article_id for c in brief.citations}
    assert brief.citations[0].outlet == "Northwind Wire"  # earliest first
    markdown = render_brief(brief, "md")
    used = {int(n) for n in re.findall(r"\[(\d+)\](?!\()", markdown)}
    assert used <= {c.number for c in brief.citations}
    assert "[1] Northwind Wire — Velmora falls" in markdown


def test_numbers_contested_points_quotes_and_dossier(story_store) -> None:  # noqa: ANN001
    brief = _brief(story_store)
    killed = [k for k in brief.key_numbers if "30" in k.value and "45" in k.value]
    assert killed and killed[0].verdict != "agree" and len(killed[0].citations) >= 2
    denials = [p for point in brief.contested for p in point.positions if p.stance == "deny"]
    assert denials and "denied that its aircraft" in denials[0].text
    vosk_quotes = [q for q in brief.quotes if "last family is safe" in q.quote]
    assert len(vosk_quotes) == 1  # reused by three articles, shown once
    assert vosk_quotes[0].speaker == "Ardan Vosk"
    assert set(vosk_quotes[0].outlets) == {"Northwind Wire", "Southgate Times", "Eastern Post"}
    dossier = next(d for d in brief.dossiers if d.name == "Ardan Vosk")
    assert "Vosk" in dossier.aliases and "commander" in dossier.roles
    assert dossier.quotes


def test_json_round_trips_with_iso_dates(story_store) -> None:  # noqa: ANN001
    brief = _brief(story_store)
    data = json.loads(render_brief(brief, "json"))
    assert data["citations"][0]["published"] == DAY1.isoformat()
    assert from_jsonable(Brief, data) == brief


def test_html_is_self_contained_and_escapes_hostile_text(story_store) -> None:  # noqa: ANN001
    html = render_brief(_brief(story_store), "html")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html
    assert "<style>" in html and "src=" not in html and "http-equiv" not in html
    with pytest.raises(BriefFormatError):
        render_brief(_brief(story_store), "pdf")


def test_resolve_story_by_rank_id_and_prefix(story_store) -> None:  # noqa: ANN001
    store = story_store[0]
    assert resolve_story(store, "1") == "velmora"
    assert resolve_story(store, "2") == "cycling"
    assert resolve_story(store, "3") is None
    assert resolve_story(store, "velm") == "velmora"
    assert resolve_story(store, "velmora") == "velmora"
    assert resolve_story(store, "nothing-like-it") is None
    assert build_brief(store, "nothing-like-it") is None


def test_sentence_spans_keep_offsets_through_quotes_and_lines() -> None:
    text = 'He left. “Go now!” she said. The U.N. team waited.\nA new line starts here.'
    pieces = [text[s:e] for s, e in sentence_spans(text)]
    assert pieces[0] == "He left."
    assert "“Go now!” she said." in pieces
    assert pieces[-1] == "A new line starts here."


@pytest.mark.parametrize("sentence, keep", [
    ("Fighters seized the northern town of Velmora on Monday after a long siege.", True),
    ("Leave a Reply to this article and share it with your friends today.", False),
    ("Source: the regional office of the ministry of information and culture.", False),
    ("We were told by several residents that the town had been emptied overnight.", False),
    ("“The town is ours now and nobody will take it back from us,” he said.", False),
    ("rebels said the town was theirs and that they would hold it for good.", False),
    ("Fighters seized the northern town of Velmora on Monday after a long siege", False),
])
def test_account_sentence_filter(sentence: str, keep: bool) -> None:
    assert is_account_sentence(sentence, title=None) is keep


def test_roles_are_read_next_to_names() -> None:
    text = "Rebel commander Ardan Vosk spoke. Mira Stol, head of the Velmora Relief Office, said more."
    vosk = text.index("Ardan Vosk")
    assert "Rebel commander" in roles_near(text, vosk, vosk + len("Ardan Vosk"))
    stol = text.index("Mira Stol")
    assert roles_near(text, stol, stol + len("Mira Stol")) == ["head of the Velmora Relief Office"]


def test_key_numbers_add_single_casualty_reports_after_shared_ones(tmp_path) -> None:  # noqa: ANN001
    store = Store(tmp_path / "numbers.db")
    text_a = "Gunmen killed 7 guards at the depot. The town has 2,000 residents. Twelve porters were wounded."
    text_b = "Seven guards died in the depot attack, police said on Tuesday morning in the capital."
    a = Article.from_text(text_a, published=DAY1, outlet="Wire A", origin="mem:na")
    b = Article.from_text(text_b, published=DAY2, outlet="Wire B", origin="mem:nb")

    def count(article: Article, fragment: str, value: float, counted: str, state: str | None) -> Quantity:
        start, end = _span(article.text, fragment)
        return Quantity(Evidence(article.id, start, end), fragment, value, value, value, counted=counted,
                        state=state)

    store.save_analysis(ArticleAnalysis(article=a, quantities=(
        count(a, "7", 7, "guards", "killed"), count(a, "2,000", 2000, "residents", None),
        count(a, "Twelve", 12, "porters", "wounded"))))
    store.save_analysis(ArticleAnalysis(article=b, quantities=(count(b, "Seven", 7, "guards", "killed"),)))
    store.replace_rows(schema.stories, [{"id": "depot", "title": "Depot attack", "first_published": DAY1,
                                         "last_published": DAY2, "profile": {}, "n_articles": 2}])
    store.replace_rows(schema.story_articles, [{"story_id": "depot", "article_id": x.id, "score": 1.0}
                                               for x in (a, b)])
    brief = build_brief(store, "depot")
    assert brief is not None
    rows = [(k.value, k.verdict, len(k.citations)) for k in brief.key_numbers]
    assert rows == [("7", "agree", 2), ("12", "single source", 1)]  # residents: no casualty, one report


@pytest.mark.parametrize("sentence, kept", [
    ("VELMORA (NWW) - Rebels entered the town at dawn.", "Rebels entered the town at dawn."),
    ("PORT ASHER, Veldania — The ferry sank late on Friday.", "The ferry sank late on Friday."),
    ("Rebels - who had waited for weeks - entered at dawn.", "Rebels - who had waited for weeks - entered at dawn."),
    ("US-backed militia entered the town at dawn.", "US-backed militia entered the town at dawn."),
])
def test_wire_datelines_are_trimmed_not_rewritten(sentence: str, kept: str) -> None:
    assert sentence[dateline_length(sentence):] == kept


def test_overlong_sentence_keeps_its_first_clause_only() -> None:
    first = "Engineers reopened the northern bridge over the Sava River after three days of repairs;"
    rest = " " + "the second crossing, damaged by floods that also cut power to several villages, " * 4 + "stays shut."
    assert clause_length(first + rest) == len(first)
    assert clause_length(first) == len(first)
    assert is_account_sentence(first, title=None)


def test_timeline_leaves_out_events_dated_only_by_an_estimated_article_date() -> None:
    from storyline.report.brief_sections import StoryRows, build_timeline

    text = "Gunmen stormed the depot. A second raid hit the port on 3 May 2031."
    estimated = {"id": "est", "text": text, "published": datetime(2031, 5, 3), "published_source": "estimated"}
    known = {"id": "known", "text": text, "published": datetime(2031, 5, 9), "published_source": "metadata"}

    def event(article_id: str, fragment: str, time_id: str | None, when: datetime) -> dict:
        start, end = _span(text, fragment)
        return {"article_id": article_id, "start_char": start, "end_char": end, "background": False,
                "event_date": when, "date_precision": "day", "sub_event_type": "Armed clash",
                "place_id": None, "time_id": time_id}

    rows = StoryRows(story={"id": "s"}, articles=[estimated, known], numbers={"est": 1, "known": 2},
                     origin_of={"est": "est", "known": "known"},
                     tables={"claims": [], "events": [
                         event("est", "Gunmen stormed the depot", None, datetime(2031, 5, 3)),
                         event("est", "A second raid hit the port", "t1", datetime(2031, 5, 3)),
                         event("known", "Gunmen stormed the depot", None, datetime(2031, 5, 9))]})
    timeline = build_timeline(rows)
    assert [(entry.date.day, entry.citations) for entry in timeline] == [(3, (1,)), (9, (2,))]
    assert timeline[0].text.startswith("A second raid")


def test_account_neither_dates_nor_favours_sentences_by_an_estimated_publication_date() -> None:
    from storyline.report.brief_account import AccountSpans, choose_account

    lead_a = "Floodwaters cut the coastal road to Marrow Bay after three days of heavy rain on the hills."
    lead_b = "Rescue teams reached the last cut-off villages near Marrow Bay by boat, the coast guard said."
    articles = [
        {"id": "est", "text": lead_a, "title": None, "published": datetime(2031, 4, 2),
         "published_source": "estimated"},
        {"id": "und", "text": lead_b, "title": None, "published": None, "published_source": None},
    ]
    picks = choose_account(articles, {"est": "est", "und": "und"}, AccountSpans({}, {}, {}))
    assert {p.sentence.article_id for p in picks} == {"est", "und"}
    assert all(p.date is None for p in picks)
    assert len({p.score for p in picks}) == 1  # same lead bonus; no recency bonus for the estimate


def test_coverage_line_says_how_many_dates_are_estimated_or_missing(story_store) -> None:  # noqa: ANN001
    import dataclasses

    from storyline.report.brief_render import coverage

    brief = _brief(story_store)
    assert (brief.n_undated, brief.n_estimated) == (0, 0) and "undated" not in coverage(brief)
    caveated = dataclasses.replace(brief, n_undated=4, n_estimated=1)
    assert "(1 estimated from the text; 4 undated)" in coverage(caveated)


def test_dates_are_written_no_finer_than_they_are_known() -> None:
    from storyline.report.brief_render import as_precise_as

    when = datetime(2024, 8, 1)
    assert as_precise_as(when, "month") == "2024-08"
    assert as_precise_as(when, "year") == "2024"
    assert as_precise_as(when, "quarter") == "2024-Q3"
    assert as_precise_as(when, "week") == "week of 2024-08-01"
    assert as_precise_as(datetime(2024, 8, 1, 14, 30), "minute") == "2024-08-01"
