"""DuplicateIndex: exact and near duplicates, shared passages with spans in both texts, no boilerplate."""

from __future__ import annotations

from storyline.ingest.dedupe import MAX_ARTICLES_PER_GRAM, DuplicateIndex, is_duplicate
from storyline.records import ArticleLink

BASE = (
    "Floodwater swept through the lower town of Marlow Bridge on Sunday night after the river rose "
    "almost three metres in six hours, forcing hundreds of residents onto rooftops and into the upper "
    "floors of the parish church. Emergency crews used inflatable boats to move elderly people from a "
    "care home on Mill Lane, and the county council opened two sports halls as shelters. By Monday "
    "morning the water had started to fall, but engineers warned that a second surge was expected once "
    "rain from the hills reached the valley. Farmers upstream reported losing sheep and hay bales, and "
    "the main road to the coast stayed closed because a culvert had collapsed under the weight of debris. "
    "The council said it would publish an assessment of the damage within a week and asked people not to "
    "drive through standing water."
)

UNRELATED = (
    "The city orchestra announced a new principal conductor on Thursday, ending a search that lasted "
    "almost two years. The appointee, who has led ensembles in three countries, will begin with a season "
    "of contemporary works alongside the familiar symphonies, and has promised free concerts in schools. "
    "Ticket sales rose last year after the hall was renovated, the board said, and the orchestra hopes "
    "to tour abroad again next spring if funding from sponsors is confirmed."
)

QUOTE = "\u201cWe lost everything in one night and nobody warned us the barrier would fail,\u201d"
QUOTE_STRAIGHT = '"We lost everything in one night, and nobody warned us the barrier would fail,"'


def kinds(links: list[ArticleLink]) -> list[str]:
    return [link.kind for link in links]


def test_first_article_has_no_links() -> None:
    assert DuplicateIndex().add("a", BASE) == []


def test_exact_duplicate_ignores_case_spacing_and_quote_style() -> None:
    index = DuplicateIndex()
    index.add("a", BASE)
    copy = BASE.upper().replace(" ", "  ").replace(",", " ,")
    links = index.add("b", copy)
    assert kinds(links) == ["exact_duplicate"]
    assert links[0].target_id == "a" and links[0].source_id == "b"
    assert is_duplicate(links) == "a"


def test_near_duplicate_of_edited_copy() -> None:
    index = DuplicateIndex()
    index.add("a", BASE)
    index.add("other", UNRELATED)
    edited = BASE.replace("two sports halls", "three sports halls") + " Reporting by a staff writer."
    links = index.add("b", edited)
    near = [link for link in links if link.kind == "near_duplicate"]
    assert [link.target_id for link in near] == ["a"]
    assert 0.8 <= near[0].score < 1.0
    # A near duplicate is not reported again as a pile of shared passages with the same article.
    assert not [link for link in links if link.kind == "shared_passage" and link.target_id == "a"]
    assert is_duplicate(links) == "a"


def test_unrelated_article_stays_unlinked() -> None:
    index = DuplicateIndex()
    index.add("a", BASE)
    links = index.add("b", UNRELATED)
    assert links == []
    assert is_duplicate(links) is None


def test_shared_quote_found_with_spans_in_both_articles() -> None:
    first = (
        f"Residents of Marlow Bridge were angry on Monday. {QUOTE} said Edna Pollard, 71, whose "
        "ground floor was submerged. The council has promised an inquiry into the barrier."
    )
    second = (
        "Two days after the flood, the mood at the shelter in the sports hall was bitter. "
        f"One pensioner, Edna Pollard, told reporters: {QUOTE_STRAIGHT} Officials declined to comment."
    )
    index = DuplicateIndex()
    index.add("first", first)
    links = index.add("second", second)
    shared = [link for link in links if link.kind == "shared_passage"]
    assert len(shared) == 1
    link = shared[0]
    assert link.target_id == "first"
    assert link.source_span is not None and link.target_span is not None
    in_second = second[link.source_span[0] : link.source_span[1]]
    in_first = first[link.target_span[0] : link.target_span[1]]
    # Curly vs straight quotes and an extra comma do not break the match; spans start and end on words.
    assert in_first == "We lost everything in one night and nobody warned us the barrier would fail"
    assert in_second == "We lost everything in one night, and nobody warned us the barrier would fail"
    assert is_duplicate(links) is None


def test_syndicated_paragraph_inside_different_articles() -> None:
    paragraph = (
        "The river rose almost three metres in six hours, forcing hundreds of residents onto "
        "rooftops and into the upper floors of the parish church."
    )
    first = f"{UNRELATED}\n\n{paragraph}\n\nThe orchestra cancelled its weekend concert."
    second = f"Local schools stayed shut on Monday.\n\n{paragraph}\n\nBus services resumed in the afternoon."
    index = DuplicateIndex()
    index.add("first", first)
    links = index.add("second", second)
    assert kinds(links) == ["shared_passage"]
    start, end = links[0].source_span or (0, 0)
    assert second[start:end] == paragraph.rstrip(".")
    start, end = links[0].target_span or (0, 0)
    assert first[start:end] == paragraph.rstrip(".")


def test_passage_starts_at_sentence_not_at_matching_context_words() -> None:
    said = "\u201cThe barrier was inspected in March and passed every test we have,\u201d said the engineer."
    first = f"Crews worked through the night to pump water out of the town. {said}\n\nCrews worked hard."
    second = f"Anger grew as more homes were flooded across the town. {said} Crews worked on."
    index = DuplicateIndex()
    index.add("first", first)
    (link,) = index.add("second", second)
    assert link.source_span is not None and link.target_span is not None
    expected = "The barrier was inspected in March and passed every test we have,\u201d said the engineer"
    assert second[link.source_span[0] : link.source_span[1]] == expected
    assert first[link.target_span[0] : link.target_span[1]] == expected


def test_one_changed_word_does_not_split_a_copied_paragraph() -> None:
    paragraph = (
        "Engineers said the culvert under the coast road had been inspected in the spring and "
        "showed no sign of weakness before the storm brought down trees and debris from the hills."
    )
    edited = paragraph.replace("in the spring", "in the summer")
    index = DuplicateIndex()
    index.add("first", f"The coast road is closed. {paragraph} Drivers face long detours.")
    links = index.add("second", f"Traffic chaos continued on Monday. {edited} A bus service will run.")
    assert len(links) == 1
    source = links[0].source_span or (0, 0)
    assert source[1] - source[0] == len(edited) - 1  # the whole paragraph but its final full stop


def test_short_common_phrase_is_not_a_passage() -> None:
    index = DuplicateIndex()
    index.add("a", "Fighting resumed, according to the local monitoring group for human rights, near a dam.")
    links = index.add("b", "Shells hit a market, according to the local monitoring group for human rights.")
    assert links == []  # nine shared words: a stock phrase, below MIN_PASSAGE_WORDS


def test_passage_needs_ten_shared_words_in_a_row() -> None:
    # Eight or nine shared words (one or two matching 8-grams) are below MIN_PASSAGE_WORDS; ten make a passage.
    shared = "marble pigeons quietly audited seventeen lantern factories beside cold harbour walls"
    for words, linked in ((8, False), (9, False), (10, True), (12, True)):
        run = " ".join(shared.split()[:words])
        index = DuplicateIndex()
        index.add("a", f"Northern valley farmers sold wool today {run} and then the choir rehearsed.")
        links = index.add("b", f"Committee lawyers drafted budgets yesterday {run} while sailors painted boats.")
        passages = [link for link in links if link.kind == "shared_passage"]
        assert bool(passages) is linked, words
        if linked:
            start, end = passages[0].source_span or (0, 0)
            assert (end - start) == len(run)


def test_boilerplate_ngrams_shared_by_many_articles_are_ignored() -> None:
    footer = (
        "This report was produced with support from the regional journalism fund and may be "
        "republished free of charge with credit to the newsroom."
    )
    stories = [
        "The orchestra named a new conductor after a long search.",
        "A bakery on the high street won a national award for its sourdough.",
        "Council workers began repairing the collapsed culvert on the coast road.",
        "The football club confirmed its captain will miss the rest of the season.",
        "A new bus timetable comes into force next month with fewer night services.",
        "Volunteers planted two hundred trees along the riverbank on Saturday.",
        "The library will extend its opening hours during the exam period.",
        "A local chess player qualified for the national championship final.",
    ]
    index = DuplicateIndex()
    found = [index.add(f"s{i}", f"{story} {footer}") for i, story in enumerate(stories)]
    assert found[1] and all(link.kind == "shared_passage" for link in found[1])
    # Once the footer is in MAX_ARTICLES_PER_GRAM articles it is boilerplate: no more links.
    assert all(links == [] for links in found[MAX_ARTICLES_PER_GRAM:])


def test_readding_known_id_returns_same_links_and_rebuild_is_deterministic() -> None:
    texts = [("a", BASE), ("b", BASE.lower()), ("c", UNRELATED)]
    first = DuplicateIndex()
    results = [first.add(i, t) for i, t in texts]
    assert first.add("b", BASE.lower()) == results[1]
    rebuilt = DuplicateIndex()
    assert [rebuilt.add(i, t) for i, t in texts] == results
    assert len(rebuilt) == 3


def test_empty_texts_are_not_duplicates_of_each_other() -> None:
    index = DuplicateIndex()
    index.add("a", "")
    assert index.add("b", "  \n ") == []


def test_is_duplicate_prefers_exact_then_best_near() -> None:
    links = [
        ArticleLink("x", "p", "shared_passage", 0.9, (0, 5), (0, 5)),
        ArticleLink("x", "n1", "near_duplicate", 0.82),
        ArticleLink("x", "n2", "near_duplicate", 0.91),
    ]
    assert is_duplicate(links) == "n2"
    assert is_duplicate([*links, ArticleLink("x", "e", "exact_duplicate")]) == "e"
    assert is_duplicate(links[:1]) is None


def test_many_syndicated_copies_link_to_original_and_do_not_turn_it_into_boilerplate() -> None:
    index = DuplicateIndex()
    index.add("original", BASE)
    for copy in range(MAX_ARTICLES_PER_GRAM + 4):
        links = index.add(f"copy{copy}", f"{BASE} Distributed by partner outlet number {copy}.")
        assert is_duplicate(links) == "original"
    excerpt = (
        "Emergency crews used inflatable boats to move elderly people from a care home on Mill Lane, "
        "and the county council opened two sports halls as shelters."
    )
    links = index.add("follow-up", f"{UNRELATED} {excerpt}")
    assert [(link.kind, link.target_id) for link in links] == [("shared_passage", "original")]
