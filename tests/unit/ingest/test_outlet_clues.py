"""Outlet recovery for texts whose file names none: URLs, bylines, copyright and site-name furniture, the
publisher's own phrasing — and the traps where a named outlet is a source, a photo credit or a parent company."""

from __future__ import annotations

import pytest

from storyline.ingest.copyright_lines import NoHolder, copyright_holder
from storyline.ingest.metadata import Detected, outlet_from_text
from storyline.ingest.outlet_clues import (
    outlet_from_byline,
    outlet_from_self_reference,
    outlet_from_site_name,
    outlet_from_url,
    publisher_url,
)
from storyline.ingest.readers import find_outlet

BODY = (
    "Shelling resumed near the grain silos on the eastern bank late on Thursday, residents said.\n"
    "The district council said water pumps had stopped working and that two clinics had closed.\n"
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.thesun.co.uk/news/123/siege-ends/", Detected("The Sun", "url:registry")),
        ("https://edition.cnn.com/2019/01/02/world/x", Detected("CNN", "url:registry")),
        ("https://m.harbourtimes.example/story/7", Detected("harbourtimes.example", "url:domain")),
    ],
)
def test_url_names_its_site(url: str, expected: Detected) -> None:
    assert outlet_from_url(url) == expected


@pytest.mark.parametrize("url", ["https://twitter.com/someone/status/1", "https://bit.ly/3xyz", "not a url"])
def test_platform_and_shortener_urls_name_no_publisher(url: str) -> None:
    assert outlet_from_url(url) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Silos burn\nBy Ann Smith, Harbour Times\n" + BODY, "Harbour Times"),
        ("Silos burn\nBy ANN SMITH FOR MAILONLINE\n" + BODY, "Daily Mail"),
        ("Silos burn\nBy Ann Smith | Sky News | 14 March 2024\n" + BODY, "Sky News"),
        ("Silos burn\nBy Lakeside Gazette newsroom\n" + BODY, "Lakeside Gazette"),
        ("Silos burn\nANF NEWS DESK Wednesday, 26 Sep 2018, 10:11\n" + BODY, "ANF"),  # no "By"
    ],
)
def test_byline_naming_a_publication(text: str, name: str) -> None:
    assert outlet_from_byline(text) == Detected(name, "text:byline")


@pytest.mark.parametrize(
    "text",
    [
        "Silos burn\nBy Ann Smith, Middle East Correspondent\n" + BODY,  # a job, not a title
        "Silos burn\nBy Ann Smith | World News\n" + BODY,  # a section of the site
        "Silos burn\nBy Ann Smith in Beirut\n" + BODY,
        "Silos burn\nBy Ann Smith, Human Rights Watch\n" + BODY,  # a monitor writes reports, not this page
        "Silos burn\nWorld News Desk\n" + BODY,
    ],
)
def test_byline_without_a_publication(text: str) -> None:
    assert outlet_from_byline(text) is None


def test_url_line_only_as_furniture() -> None:
    assert publisher_url("Source: https://www.dawn.com/news/1/strike\n" + BODY) == "https://www.dawn.com/news/1/strike"
    assert (
        publisher_url(BODY + "https://www.lakesidegazette.example/a/1\n") == "https://www.lakesidegazette.example/a/1"
    )
    # A link in the middle of the text points somewhere else (the ministry's statement, a video).
    assert publisher_url(BODY + "https://ministry.example/statement\n" + BODY) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (BODY + "Follow Harbour Times on Twitter\n", "Harbour Times"),
        (BODY + "Popular on Gazetka\nLiving\n", "Gazetka"),
        (BODY + "Download the Al Jazeera app\n", "Al Jazeera"),
        (BODY + "Views expressed here do not necessarily reflect those of Radio Kivu.\n", "Radio Kivu"),
        (BODY + '"Lakeside Gazette" is a registered trademark.\n', "Lakeside Gazette"),
        (BODY + "Originally published on hillpress.com\n", "hillpress.com"),
    ],
)
def test_site_name_furniture(text: str, name: str) -> None:
    assert outlet_from_site_name(text) == Detected(name, "text:site-name")


@pytest.mark.parametrize(
    "text",
    [
        BODY + "Follow Ann Smith on Twitter\n",  # a journalist's account, not the site
        BODY + "Most read in Centre-Nord\n",  # a region section, not a site name
        BODY + "Follow Harbour Times on Twitter\nFollow Lakeside Gazette on Facebook\n",  # no majority
    ],
)
def test_site_name_traps(text: str) -> None:
    assert outlet_from_site_name(text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Silos burn\n" + BODY + "Radio Lakeside reporters on the road to the silos saw burnt trucks.\n",
            "Radio Lakeside",
        ),
        (BODY + "Last winter, The Sun Online joined soldiers on the front line.\n", "The Sun"),
        (BODY + "The Harbour Times can reveal that the pumps were sabotaged.\n", "The Harbour Times"),
        (BODY + "The ministry did not respond to the Lakeside Gazette's request for comment.\n", "Lakeside Gazette"),
    ],
)
def test_publisher_speaking_of_itself(text: str, name: str) -> None:
    assert outlet_from_self_reference(text) == Detected(name, "text:self-reference")


@pytest.mark.parametrize(
    "text",
    [
        # Another outlet's reporter: an indefinite article, and a report relayed second-hand.
        BODY + "A Sun correspondent embedded with the militia has reported heavy losses.\n",
        # The text distances itself from the outlet ("according to").
        BODY + "Harbour Times reporters saw the convoy, according to Harbour Times.\n",
        # Two outlets speak as themselves: ambiguous.
        BODY + "Radio Lakeside reporters saw the fire. The Harbour Times can reveal the cause.\n",
        # A monitor visiting is a source, never the publisher; people are not outlets.
        BODY + "Amnesty International researchers visited the camp in May.\n",
        BODY + "Local Council officials joined the convoy.\n",
        # "told X": a source of the story (the brief's example of what never names the publisher alone).
        "Residents told Radio Lakeside that the silos burned.\n" + BODY,
    ],
)
def test_self_reference_traps(text: str) -> None:
    assert outlet_from_self_reference(text) is None


@pytest.mark.parametrize(
    ("line", "holder"),
    [
        ("© 2018 Harbour Times. All rights reserved.", "Harbour Times"),
        ("Copyright © 2009 Lakeside Gazette", "Lakeside Gazette"),
        ("Â© 2019 Radio Kivu", "Radio Kivu"),  # mis-decoded © sign
        ("© 2019 The Hill Daily, a Lakeside Media Group publication", "The Hill Daily"),
        ("© News Group Newspapers Limited in England No. 679215", "The Sun"),  # the registry knows the owner
        ("Copyright 2011-2019 hillpress.example", "hillpress.example"),
    ],
)
def test_copyright_holder(line: str, holder: str) -> None:
    assert copyright_holder(line) == holder


@pytest.mark.parametrize(
    "line",
    [
        "© 2019 Gannett",  # owns hundreds of titles
        "Copyright © 2019 Lakeside Holdings, LLC. All Rights Reserved.",  # a company, not a title
        "All rights reserved | Terms of Use",
        "Copyright Policy",  # a footer link
        "©AFP – Army trucks cross the bridge outside the town before dawn",  # a photo caption
        "© Martin Osei",  # a photographer's credit
    ],
)
def test_copyright_lines_without_a_publication(line: str) -> None:
    assert isinstance(copyright_holder(line), NoHolder)


def test_caption_credit_at_the_end_is_no_outlet() -> None:
    assert outlet_from_text(BODY + "©AFP – Army trucks cross the bridge outside the town before dawn.\n") is None


def test_find_outlet_order_and_restraint() -> None:
    # The page's URL beats a wire credit (the site ran the wire's copy), and a credit beats self-reference.
    assert find_outlet("(AP) — " + BODY, "https://www.dawn.com/news/1") == Detected("Dawn", "url:registry")
    text = BODY + "Radio Lakeside reporters saw the fire.\n\nSource: Harbour Times"
    assert find_outlet(text, None) == Detected("Harbour Times", "text:credit")
    assert find_outlet(BODY + "Source: MailOnline", None) == Detected("Daily Mail", "text:credit")
    # Only quoted outlets: unknown beats a guess.
    quoted = "A commander told the Guardian the bridge had fallen. According to Reuters, 40 died.\n" + BODY
    assert find_outlet(quoted, None) is None
