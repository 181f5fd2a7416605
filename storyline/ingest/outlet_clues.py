"""The publishing outlet of a document whose metadata names none: its URL, a byline, a URL or site-name line
in the page furniture, or — last — the publisher's own phrasing ("Radio X reporters on the road saw").

Input: a URL or raw text. Output: ``Detected(name, source)`` with source "url:registry", "url:domain",
"text:byline", "text:url", "text:site-name" or "text:self-reference"; None rather than a cited outlet.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from storyline.ingest.copyright_lines import OUTLET_NAME_WORDS
from storyline.ingest.metadata import HEAD_CHARS, TAIL_CHARS, Detected, canonical_outlet
from storyline.outlets import Outlet, default_registry, domain_of, match_outlet, outlet_key

# Hosts that carry other people's posts, links or copies: their domain says nothing about who published.
NOT_PUBLISHER_HOSTS = frozenset({
    "twitter.com", "x.com", "t.co", "facebook.com", "fb.com", "fb.watch", "instagram.com", "youtube.com",
    "youtu.be", "t.me", "telegram.me", "tiktok.com", "linkedin.com", "reddit.com", "google.com", "goo.gl",
    "bit.ly", "ow.ly", "tinyurl.com", "archive.org", "archive.ph", "archive.today", "archive.is",
    "wikipedia.org", "medium.com", "substack.com", "wordpress.com", "blogspot.com", "msn.com", "yahoo.com",
    "flipboard.com", "feedly.com", "pressreader.com", "newsnow.co.uk", "apple.news", "whatsapp.com",
    "scribd.com", "dropbox.com", "pastebin.com", "localhost", "example.com",
})  # fmt: skip
# Sub-domains that are a version of the same site, not a different outlet ("m.example.com").
SITE_VARIANT_PREFIXES = ("m.", "mobile.", "amp.", "edition.", "beta.")
# Registry kinds that publish news; a monitor or NGO "visiting" a camp is a source, not the publisher.
NEWS_KINDS = frozenset({"wire", "public broadcaster", "state-controlled", "commercial", "party/partisan-affiliated"})
# Words that make a byline part a job or a place of work rather than a publication.
NOT_OUTLET_WORDS = frozenset({
    "correspondent", "editor", "writer", "producer", "reporter", "reporters", "columnist", "analyst", "chief",
    "staff", "bureau", "in", "minister", "spokesman", "spokeswoman", "official", "officials", "army", "forces",
    "ministry", "government", "council", "police", "military", "group", "observatory", "watch", "said",
})  # fmt: skip
# Words that may open a capitalised run without being part of the name ("Last November The Sun joined").
LEADING_NON_NAME = frozenset({
    "last", "this", "on", "in", "then", "earlier", "later", "meanwhile", "now", "today", "yesterday", "and",
    "but", "so", "when", "as", "while", "after", "before", "since", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "week", "month", "year",
})  # fmt: skip
# Words that make an outlet-looking name a section of a site ("World News", "Breaking News").
SECTION_WORDS = frozenset({
    "world", "local", "breaking", "latest", "top", "international", "national", "regional", "business", "sport",
    "sports", "politics", "live", "home", "more", "all", "global", "africa", "europe", "asia", "middle", "east",
    "us", "uk", "opinion", "video", "tech", "science", "health", "entertainment", "fake", "good", "bad",
})  # fmt: skip
_POSSESSIVE = re.compile(r"(?:'s|’s)$")
# Trailing words of a byline part that name the outlet's team, not the outlet ("Ouaga Online newsroom").
TEAM_SUFFIX = re.compile(
    r"(?i)\s+(?:newsroom|news ?desk|desk|staff(?: writers?| reporters?)?|team|reporters?|"
    r"correspondents?|editorial(?: team| board)?)$"
)

_NAME = r"(?:[A-Z][\w'’.&-]*|al-[A-Z][\w'’-]*)(?:[ -](?:[A-Z][\w'’.&-]*|al-[A-Z][\w'’-]*|of|de|\d+)){0,5}"
_BYLINE = re.compile(r"(?m)^[ \t]*(?i:by)[ \t]+(?P<rest>[^\n]{3,160}?)[ \t]*$")
_DESK_LINE = re.compile(rf"(?m)^[ \t]*(?P<name>{_NAME}) (?i:news ?desk|newsroom)\b")
_BYLINE_PARTS = re.compile(r"\s*[|,/•·—–]\s*|\s+-\s+|\s+(?i:for)\s+")
_URL_LINE = re.compile(
    r"(?im)^[ \t]*(?P<label>(?:source|original(?:ly)? (?:published|posted|appeared)(?: (?:at|on|in))?|"
    r"original (?:article|story|url)|read (?:the )?(?:original|full) (?:article|story)(?: at| on)?|article url|"
    r"url|link|permalink)[ \t]*[:\-–—]?[ \t]*)?<?(?P<url>https?://[^\s<>\"]+|www\.[^\s<>\"]+)>?[ \t]*$"
)
# Page furniture that names the site itself, with how much the name alone must look like an outlet's:
# "weak" lines also name people ("Follow Ann Smith on Twitter"), so the name must be registered or
# contain an outlet word; "strong" lines only ever name the site ("Popular on IndieWire").
_DOMAIN = r"[a-z0-9][\w-]*(?:\.[\w-]+)*\.(?:com|net|org|co\.uk|co|news|info|tv|fm|io|ng|in|ca|com\.au|ie|me)"
SITE_NAME_LINES: tuple[tuple[str, str], ...] = (
    (
        rf"^(?i:follow|like|find) (?:us on )?(?P<outlet>{_NAME})(?: (?i:on (?:twitter|facebook|instagram|x|"
        r"telegram|youtube|linkedin|whatsapp|google news|threads|bluesky)\b.*))?$",
        "weak",
    ),
    (
        rf"^(?i:sign up (?:to|for)|subscribe to) (?P<outlet>{_NAME})(?:'s|’s)?(?: (?i:newsletters?|daily|morning|"
        r"evening|briefing|alerts|updates|pro|premium|plus|on)\b.*)?$",
        "weak",
    ),
    (rf"^(?i:more from|read more from|the latest from) (?P<outlet>{_NAME})$", "weak"),
    (rf"^(?i:download|install|get) (?:the )?(?P<outlet>{_NAME}) (?i:app)\b", "strong"),
    (rf"^(?P<outlet>{_NAME}) (?i:is not responsible for the content of external)", "strong"),
    (
        rf"^(?i:(?:this (?:article|story|report|piece) (?:was |is )?)?(?:first |originally )(?:published|appeared|"
        rf"posted) (?:on|in|by|at)) (?:the )?(?P<outlet>{_NAME}|{_DOMAIN})\.?$",
        "strong",
    ),
    (
        rf"(?i:do(?:es)? not necessarily reflect (?:those|the (?:views|opinions|position|policy)) of) (?:the )?"
        rf"(?P<outlet>{_NAME}|{_DOMAIN})\.?$",
        "strong",
    ),
    (rf"^[\"“]?(?P<outlet>{_NAME}|{_DOMAIN})[\"”]? (?i:is a registered (?:trade ?mark|service mark)\b)", "strong"),
    (
        rf"^(?P<outlet>{_NAME}|{_DOMAIN}) (?i:is (?:part of|a (?:division|subsidiary|publication|brand|member) of))"
        r"\b",
        "strong",
    ),
    (rf"^(?P<outlet>{_DOMAIN}) (?i:is (?:the|a|an|your)) ", "strong"),
    (
        rf"^(?i:popular|trending|most read|most popular|most viewed|most shared) (?i:on|at) (?P<outlet>{_NAME})$",
        "strong",
    ),
    (rf"^(?i:want more) (?P<outlet>{_NAME})\?", "strong"),
)
MAX_SITE_NAME_LINE_WORDS = 30
# What every SITE_NAME_LINES pattern starts with or contains: lines without it are not tried.
_SITE_LINE_HINT = re.compile(
    r"(?i)^(?:follow|like|find|sign up|subscribe|more from|read more|the latest|download|install|get|popular|"
    r"trending|most|want more|this|first|originally)\b|not responsible|necessarily reflect|registered (?:trade|"
    r"service)|\bis (?:part|a (?:division|subsidiary|publication|brand|member))\b|^[\w-]+\.[a-z]{2,}"
)
# The publisher describing its own reporting: its people saw/visited something, or it "can reveal". Each
# pattern is what follows the outlet's name; the name is then read backwards from there (fast: the verbs
# are rare, a name pattern tried at every position of the text is not).
SELF_REFERENCE_TRIGGERS = (
    r"(?:'s|’s)? (?:reporters?|correspondents?|journalists?|crews?|team|photographers?)\b[^.;!?\n]{0,100}?"
    r"\b(?:saw|witnessed|visited|found|counted|observed|reached|joined|accompanied|watched|filmed|"
    r"photographed|interviewed|spoke)\b",
    r" (?:can (?:now |exclusively )?reveal|has (?:learned|learnt|seen|obtained)|understands|joined|accompanied|"
    r"travell?ed with|embedded with|spoke (?:to|with)|has (?:reached out to|contacted))\b",
    r"(?:'s|’s) requests? for comment\b",
)
# Every trigger starts with (or, for "'s request", contains first) one of these words.
_TRIGGER_HINT = re.compile(
    r"reporter|correspondent|journalist|crew|team|photographer|reveal|learn|seen|obtained|understands|joined|"
    r"accompanied|travel|embedded|spoke|reached|contacted|request"
)
# The name right before a trigger; a determiner before it ("a Sun correspondent") makes it another outlet.
_NAME_BEFORE_TRIGGER = (
    rf"(?:^|(?<=[^\w'’.&-]))(?P<det>(?:[Aa]n?|[Oo]ne|[Aa]nother|[Tt]wo|[Tt]hree|[Ss]everal|[Oo]ther)\s+)?"
    rf"(?P<outlet>{_NAME})$"
)
NAME_WINDOW_CHARS = 80
# How the text can distance itself from an outlet it names ("according to X", "X reported").
_DISTANCING_BEFORE = re.compile(r"(?i)(?:according to|reported by|cited by|quoted by|via)\s+(?:the\s+)?$")
_CITING_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?:reported|reports|said|says|quoted|cited|added|adds|wrote|writes|claimed)\b"
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[tuple[re.Pattern[str], str], ...], re.Pattern[str], re.Pattern[str]]:
    return (
        tuple((re.compile(pattern), strength) for pattern, strength in SITE_NAME_LINES),
        re.compile("|".join(f"(?:{pattern})" for pattern in SELF_REFERENCE_TRIGGERS)),
        re.compile(_NAME_BEFORE_TRIGGER),
    )


def outlet_from_url(url: str, source: str = "url") -> Detected | None:
    """The registry outlet hosting ``url`` ("url:registry"), else its domain ("url:domain"); None for
    platforms, shorteners and archives, whose domain says nothing about the publisher."""
    host = domain_of(url)
    if host is None or "." not in host or _is_platform(host):
        return None
    registered = default_registry().match(host)
    if registered is not None:
        return Detected(registered.name, f"{source}:registry")
    for prefix in SITE_VARIANT_PREFIXES:
        host = host.removeprefix(prefix)
    return Detected(host, f"{source}:domain")


def _is_platform(host: str) -> bool:
    return any(host == name or host.endswith("." + name) for name in NOT_PUBLISHER_HOSTS)


def publisher_url(raw: str) -> str | None:
    """The article's own URL printed as page furniture: a "Source: https://…" line near the top or bottom,
    or a bare URL as the first or last line (a URL inside a sentence is a link to something else)."""
    head, tail = raw[:HEAD_CHARS], raw[-TAIL_CHARS:]
    lines = [line for line in raw.strip().splitlines() if line.strip()]
    edges = {lines[0].strip(), lines[-1].strip()} if lines else set()
    for region in (head, tail):
        for match in _URL_LINE.finditer(region):
            if match.group("label") or match.group(0).strip() in edges:
                return match.group("url").rstrip(".,;)")
    return None


def outlet_from_furniture(raw: str) -> Detected | None:
    """An outlet named by a byline, the article's URL line, or a site-name line (follow us, app, newsletter)."""
    byline = outlet_from_byline(raw)
    if byline is not None:
        return byline
    url = publisher_url(raw)
    from_url = outlet_from_url(url, "text") if url else None
    if from_url is not None:
        return Detected(from_url.value, "text:url")
    return outlet_from_site_name(raw)


def outlet_from_byline(raw: str) -> Detected | None:
    """ "By Ann Smith, Sky News", "By ANN SMITH FOR MAILONLINE", "By Ouaga Online newsroom | 14 March 2024",
    "ANF NEWS DESK": a byline part that names a publication (registered, or with an outlet word in it)."""
    head = raw[:HEAD_CHARS]
    for match in _BYLINE.finditer(head):
        for part in _BYLINE_PARTS.split(match.group("rest")):
            name = _outlet_name(TEAM_SUFFIX.sub("", part.strip()))
            if name is not None:
                return Detected(name, "text:byline")
    desk = _DESK_LINE.search(head)  # "ANF NEWS DESK Wednesday, 26 Sep 2018": a byline without "By"
    name = _outlet_name(desk.group("name")) if desk else None
    return Detected(name, "text:byline") if name else None


def outlet_from_site_name(raw: str) -> Detected | None:
    """The site's name in its own furniture ("Follow Harbour Times on Twitter", "Popular on IndieWire",
    "X is a registered trademark"): the name most such lines give, if a majority of them agree."""
    site_lines, _, _ = _compiled()
    names: Counter[str] = Counter()
    for line in raw.splitlines():
        line = line.strip()
        if not line or len(line.split()) > MAX_SITE_NAME_LINE_WORDS or not _SITE_LINE_HINT.search(line):
            continue
        for pattern, strength in site_lines:
            match = pattern.search(line)
            if match is None:
                continue
            candidate = match.group("outlet")
            name = _outlet_name(candidate) if strength == "weak" else _site_name(candidate)
            if name is not None:
                names[name] += 1
                break
    if not names:
        return None
    (best, count), total = names.most_common(1)[0], sum(names.values())
    return Detected(best, "text:site-name") if count * 2 > total else None


def _site_name(candidate: str) -> str | None:
    """A name a site prints about itself: any short capitalised name or domain, registry-spelled when listed."""
    name = _POSSESSIVE.sub("", canonical_outlet(candidate))
    registered = _registered(name) or (match_outlet(name) if domain_of(name) and " " not in name else None)
    if registered is not None:
        return registered.name
    words = name.split()
    lowered = {word.lower() for word in words}
    if not words or len(words) > 5 or lowered <= LEADING_NON_NAME | SECTION_WORDS | OUTLET_NAME_WORDS:
        return None
    if lowered & NOT_OUTLET_WORDS or not (name[0].isupper() or name[0].isdigit() or "." in name):
        return None
    return name


def outlet_from_self_reference(raw: str) -> Detected | None:
    """The one outlet the text speaks of as itself ("The Harbour Times can reveal", "Radio X reporters saw").
    None when candidates disagree, or when the text also distances itself from the candidate."""
    _, triggers, name_before = _compiled()
    names: set[str] = set()
    for trigger in _triggers(raw, triggers):
        window = raw[max(0, trigger.start() - NAME_WINDOW_CHARS) : trigger.start()]
        match = name_before.search(window)
        if match is None or match.group("det"):
            continue  # no name, or "a Sun correspondent has reported": another outlet's reporter
        name = _outlet_name(match.group("outlet"))
        if name is not None:
            names.add(name)
    if len(names) != 1:
        return None
    name = names.pop()
    return None if _distanced(raw, name) else Detected(name, "text:self-reference")


def _triggers(raw: str, triggers: re.Pattern[str]) -> list[re.Match[str]]:
    """Trigger matches, looked for only around the rare words every trigger contains (the full pattern,
    tried at every position of a long text, costs about a millisecond)."""
    found: dict[int, re.Match[str]] = {}
    for hint in _TRIGGER_HINT.finditer(raw):
        for match in triggers.finditer(raw, max(0, hint.start() - 30), min(len(raw), hint.end() + 120)):
            found.setdefault(match.start(), match)
    return [found[start] for start in sorted(found)]


def _distanced(raw: str, name: str) -> bool:
    """True when the text cites ``name`` as someone else's report ("according to X", "X reported")."""
    registered = _registered(name)
    spellings = {name, name.removeprefix("The ")} | set(registered.aliases if registered else ())
    for spelling in spellings:
        start = raw.find(spelling)
        while start != -1:
            end = start + len(spelling)
            if _DISTANCING_BEFORE.search(raw[max(0, start - 30) : start]) or _CITING_AFTER.match(raw, end):
                return True
            start = raw.find(spelling, end)
    return False


def _outlet_name(candidate: str) -> str | None:
    """The registry's name for ``candidate`` (of a news kind), or the candidate itself when it reads like a
    publication's name ("Radio Centre-Nord", "Harbour Times"); None for people, jobs and organisations."""
    words = _POSSESSIVE.sub("", canonical_outlet(candidate)).split()
    while words and words[0].lower() in LEADING_NON_NAME:
        words = words[1:]
    if not words or len(words) > 6:
        return None
    name = " ".join(words)
    registered = _registered(name)
    if registered is not None:
        return registered.name if registered.kind in NEWS_KINDS else None
    lowered = {word.lower().strip(".'’") for word in words}
    if len(words) < 2 or lowered & NOT_OUTLET_WORDS or not lowered & OUTLET_NAME_WORDS:
        return None
    if (lowered - OUTLET_NAME_WORDS) & SECTION_WORDS:
        return None  # "World News", "Latest News": a section of the site, not its name
    if not all(word[0].isupper() or word[0].isdigit() or word in ("of", "de", "&") for word in words):
        return None
    return name


def _registered(name: str) -> Outlet | None:
    registry = default_registry()
    found = registry.by_key.get(outlet_key(name))
    if found is None and name.lower().endswith(" online"):
        found = registry.by_key.get(outlet_key(name[: -len(" online")]))  # "The Sun Online" is The Sun
    return found
