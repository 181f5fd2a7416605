"""Line-level removal of web debris from an article's raw text, keeping exact offsets back to it.

Input: the raw text (and optionally the known title). Output: the cleaned text plus ``OffsetSegment``s
such that every character of the cleaned text is a copy of one raw character (spans stay traceable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from storyline.records import OffsetSegment


class LineKind(StrEnum):
    """Why a line was kept or dropped (reported by ``classify_lines`` for inspection and tests)."""

    CONTENT = "content"
    BLANK = "blank"
    REPEATED = "repeated"
    INTERFACE = "interface"
    CREDIT = "credit"
    SOURCE_TRAILER = "source_trailer"
    SOCIAL_EMBED = "social_embed"
    SYMBOLS = "symbols"
    TRAILING_DEBRIS = "trailing_debris"
    BYLINE = "byline"
    PAGE_DATE = "page_date"


@dataclass(frozen=True, slots=True)
class LineVerdict:
    """One raw line: the stripped span ``raw[start:end]`` and what it is."""

    start: int
    end: int
    kind: LineKind


# Debris vocabulary, matched against the lowercased stripped line. Each entry is (kind, pattern,
# max_words): a line matches only when it has at most max_words words, so that a sentence of the
# article that merely starts like a UI label ("Sign up rates fell…") is kept.
# fmt: off
DEBRIS_PATTERNS: tuple[tuple[LineKind, str, int], ...] = (
    # Navigation, teasers and buttons.
    (LineKind.INTERFACE, r"(show|read|see|load|view) (more|less|all|full story|comments?)\b.*", 6),
    (LineKind.INTERFACE, r"(related|recommended|more|top|latest|trending|popular) "
                         r"(articles?|stories|news|posts?|reads?|videos?|topics?|content)\b.*", 6),
    (LineKind.INTERFACE, r"(you (may|might) also like|more from|also read|read also|see also|"
                         r"recommended for you|don'?t miss|editor'?s picks?)\b.*", 8),
    (LineKind.INTERFACE, r"most (read|viewed|popular|shared|watched)( in\b.*)?", 8),
    (LineKind.INTERFACE, r"(back to top|scroll to top|skip to (main )?content|go to top)\b.*", 5),
    (LineKind.INTERFACE, r"(share|tweet|email|print|copy link|pin it)( (this|on|via|the)\b.*)?", 6),
    (LineKind.INTERFACE, r"(sign up|subscribe|register|log ?in|sign in)\b.*"
                         r"(newsletter|updates|alerts|inbox|email|free|now|today|account|here)\b.*", 14),
    (LineKind.INTERFACE, r"(sign up|subscribe|log ?in|sign in|menu|search|home|close|next|previous)", 2),
    (LineKind.INTERFACE, r"(leave a (reply|comment)|post a comment|\d+ comments?|comments?( \(\d+\))?|"
                         r"add (a|your) comment|join the (conversation|discussion))\b.*", 6),
    (LineKind.INTERFACE, r"(name|email|website|comment)\s*\*?", 2),
    (LineKind.INTERFACE, r"(save my name|notify me of (follow-up|new) (comments|posts))\b.*", 25),
    (LineKind.INTERFACE, r"(advertisement|advertising|sponsored( content)?|ad|promoted|"
                         r"story continues below( advertisement)?|continue reading( below)?)", 4),
    (LineKind.INTERFACE, r"(all rights reserved|copyright ©?|terms of (use|service)|privacy policy)\b.*", 14),
    # Photo and video credits / captions.
    (LineKind.CREDIT, r"(©|\(c\)|copyright ©).*", 60),
    (LineKind.CREDIT, r"(photo|image|picture|video|credit|caption|file photo|photograph)s?"
                      r"( credit)?\s*[:|].*", 60),
    (LineKind.CREDIT, r"(getty images|afp photo|reuters photo|ap photo|epa-efe)\b.*", 12),
    # Wire-story staff credits: "Reporting by A; Editing by B" (no full stop: a sentence would have one).
    (LineKind.CREDIT, r"(additional )?(reporting|writing|editing|compiled|produced) by [^.]*", 25),
    # When the page appeared: "Published: March 12, 2019 | Updated: 14:02 GMT" (a year must be stated).
    (LineKind.PAGE_DATE, r"(first |last )?(published|posted|updated|modified)( on| at)?\s*:?\s*"
                         r"(\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)"
                         r"[^.]*\b(19|20)\d\d\b[^.]*", 14),
    # Trailer naming where the text was taken from.
    (LineKind.SOURCE_TRAILER, r"(source|sources|via|origin(al)? source)\s*[:\-–]\s*\S.*", 8),
    # Social-media embeds.
    # Embedded posts themselves ("… pic.twitter.com/x", "— Ann Lee (@annlee) May 2, 2019") are kept: they
    # are statements with a named author and date, and extraction gold texts keep them too.
    (LineKind.SOCIAL_EMBED, r"(view this post on instagram|a post shared by|follow us on|"
                            r"watch on youtube|embedded (video|tweet|post))\b.*", 20),
)

# fmt: on

# A byline: "By Ann Smith", "By ANN SMITH | Reuters", "Written by Ann Smith and Bo Li, Staff Writers".
# Matched on the line as printed: its capitalised names are what tell it from "By Tuesday the river…".
# Words that follow "By" in prose ("By Tuesday, …", "By March the water …"), never a name.
BYLINE_NOT_NAMES = (
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|May|June|July|August|"
    r"September|October|November|December|Then|Now|Late|Early|End|Noon|Midday"
)
BYLINE = re.compile(
    rf"(?:(?:Written|Words|Story|Text) )?(?:[Bb]y|BY):? (?!(?:{BYLINE_NOT_NAMES})\b)"
    r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|der|al-\w+)){0,5}"
    r"(?:\s*[|,/–—-]\s*[^.!?]{2,50})?"
)
MAX_BYLINE_WORDS = 12

# fmt: off
# Phrases that mark a whole line as debris wherever they sit in it, with the same word limit (a cookie
# banner or a comment-form notice is rarely longer) and literal triggers: the regex runs only when one
# trigger occurs in the line, because regex search over every prose line was the main cost.
CONTAINED_PATTERNS: tuple[tuple[LineKind, str, int, tuple[str, ...]], ...] = (
    (LineKind.INTERFACE, r"your email address will not be published", 25, ("will not be published",)),
    (LineKind.INTERFACE, r"required fields are (marked|indicated)", 15, ("required fields",)),
    (LineKind.INTERFACE, r"\b(your browser|ad ?block(er)?|javascript (is )?(disabled|required)|"
                         r"enable javascript|whitelist (us|our site)|disable (your )?ad)\b", 30,
     ("browser", "block", "javascript", "whitelist", "disable")),
    (LineKind.INTERFACE, r"\b(we|this (web)?site) uses? cookies\b", 60, ("cookies",)),
    (LineKind.INTERFACE, r"\b(accept|manage|reject) (all )?cookies\b", 30, ("cookies",)),
    (LineKind.INTERFACE, r"\bcookie (policy|settings|preferences|consent)\b", 30, ("cookie ",)),
    # Bare "(AP)"/"(EPA)" are left out: a heading defining an acronym can end in "(ePA)".
    (LineKind.CREDIT, r"\((getty images|afp|reuters|ap photo|epa-efe|afp via getty images|"
                      r"file photo|handout)\)$", 60, (")",)),
)

# Trailing block: after the last long line, short lines (headings, button labels) are debris when at
# least this many vocabulary matches sit among them.
TRAILING_BLOCK_MIN_DEBRIS = 2
TRAILING_SHORT_LINE_WORDS = 8
# Repeats of the title or of the first HEADER_LINES content lines (the headline) are debris; elsewhere
# only a repeated line this long (a paragraph scraped twice) is: short repeated lines are structure
# ("Meal 2", "Eat every 2-3 hours", a table header) that belongs to the article.
HEADER_LINES = 1
REPEATED_PARAGRAPH_MIN_WORDS = 25

# fmt: on

_HORIZONTAL_SPACE_RUN = re.compile(r"[ \t]{2,}")
_WORD = re.compile(r"\w+")
_ALNUM = re.compile(r"[^\W_]")


_Bucket = tuple[int, re.Pattern[str], tuple[LineKind, ...]]


def _compile_buckets(table: tuple[tuple[LineKind, str, int], ...]) -> tuple[_Bucket, ...]:
    """One combined regex per word limit: a line of n words is tried only against the patterns that
    allow n words, so long prose lines meet a handful of patterns (speed) and the first matching
    branch decides without a word-count recheck."""
    buckets = []
    for limit in sorted({max_words for _, _, max_words in table}):
        allowed = [(kind, pattern) for kind, pattern, max_words in table if max_words >= limit]
        combined = "|".join(f"(?P<p{i}>{pattern})" for i, (_, pattern) in enumerate(allowed))
        kinds = tuple(kind for kind, _ in allowed)
        buckets.append((limit, re.compile(combined, re.DOTALL), kinds))
    return tuple(buckets)


_LINE_BUCKETS = _compile_buckets(DEBRIS_PATTERNS)
_CONTAINED = tuple(
    (kind, re.compile(pattern), max_words, triggers) for kind, pattern, max_words, triggers in CONTAINED_PATTERNS
)


def _anchored_match(line: str, n_words: int) -> LineKind | None:
    for limit, pattern, kinds in _LINE_BUCKETS:
        if limit >= n_words:
            match = pattern.fullmatch(line)
            return kinds[int(match.lastgroup[1:])] if match and match.lastgroup else None
    return None


def _contained_match(line: str, n_words: int) -> LineKind | None:
    for kind, pattern, max_words, triggers in _CONTAINED:
        if n_words <= max_words:
            for trigger in triggers:
                if trigger in line:
                    if pattern.search(line):
                        return kind
                    break
    return None


def debris_kind(line: str) -> LineKind | None:
    """The debris kind of one stripped line by vocabulary alone, or None when it looks like content."""
    return _debris_kind_of_key(_repeat_key(line)) or _byline_kind(line)


def _byline_kind(line: str) -> LineKind | None:
    if line[:1] not in "BbWST" or line.count(" ") >= MAX_BYLINE_WORDS:
        return None
    return LineKind.BYLINE if BYLINE.fullmatch(line) else None


def _debris_kind_of_key(key: str) -> LineKind | None:
    """Patterns are written in lower case and matched on the casefolded key: case-insensitive regexes
    lose the engine's literal-prefix scan and were several times slower."""
    if _ALNUM.search(key) is None:
        return LineKind.SYMBOLS
    n_words = key.count(" ") + 1
    return _anchored_match(key, n_words) or _contained_match(key, n_words)


def _repeat_key(line: str) -> str:
    """Case- and spacing-insensitive form of a line, to spot a headline printed twice."""
    return " ".join(line.casefold().split())


def _line_spans(raw: str) -> list[tuple[int, int]]:
    """(start, end) of every line's stripped content; empty span for blank lines."""
    spans = []
    position = 0
    for line in raw.split("\n"):
        stripped = line.strip()
        if stripped:
            start = position + line.index(stripped[0])
            spans.append((start, start + len(stripped)))
        else:
            spans.append((position, position))
        position += len(line) + 1
    return spans


def classify_lines(raw: str, *, title: str | None = None) -> list[LineVerdict]:
    """Decide for each raw line (split on "\\n") whether it is content, blank or which debris."""
    verdicts: list[LineVerdict] = []
    header_keys: set[str] = {_repeat_key(title)} if title else set()
    seen: set[str] = set()
    n_content = 0
    for start, end in _line_spans(raw):
        if start == end:
            verdicts.append(LineVerdict(start, end, LineKind.BLANK))
            continue
        key = _repeat_key(raw[start:end])
        kind = _debris_kind_of_key(key) or _byline_kind(raw[start:end])
        if kind is None and n_content and _is_repeat(key, seen, header_keys):
            kind = LineKind.REPEATED
        if kind is None:
            n_content += 1
            seen.add(key)
            if n_content <= HEADER_LINES:
                header_keys.add(key)
        verdicts.append(LineVerdict(start, end, kind or LineKind.CONTENT))
    _mark_trailing_block(raw, verdicts)
    return verdicts


def _is_repeat(key: str, seen: set[str], header_keys: set[str]) -> bool:
    if key in header_keys:
        return True
    return key in seen and key.count(" ") + 1 >= REPEATED_PARAGRAPH_MIN_WORDS


def _mark_trailing_block(raw: str, verdicts: list[LineVerdict]) -> None:
    """Mark the short lines left in the final block (teaser headlines between "Related Articles" and
    "Leave a Reply") as debris when the block holds at least TRAILING_BLOCK_MIN_DEBRIS debris lines."""
    block: list[int] = []
    debris_count = 0
    for index in range(len(verdicts) - 1, -1, -1):
        verdict = verdicts[index]
        if verdict.kind is LineKind.BLANK:
            continue
        n_words = len(_WORD.findall(raw[verdict.start : verdict.end]))
        if verdict.kind is not LineKind.CONTENT:
            debris_count += 1
            continue
        if n_words > TRAILING_SHORT_LINE_WORDS or raw[verdict.end - 1] in ".!?\"”’'":
            break
        block.append(index)
    if debris_count >= TRAILING_BLOCK_MIN_DEBRIS:
        for index in block:
            verdict = verdicts[index]
            verdicts[index] = LineVerdict(verdict.start, verdict.end, LineKind.TRAILING_DEBRIS)


class _SegmentBuilder:
    """Accumulates copied raw runs, merging runs contiguous in both texts."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.parts: list[str] = []
        self.segments: list[list[int]] = []  # [clean_start, raw_start, length]
        self.length = 0

    def copy(self, raw_start: int, raw_end: int) -> None:
        size = raw_end - raw_start
        if size <= 0:
            return
        last = self.segments[-1] if self.segments else None
        if last is not None and last[0] + last[2] == self.length and last[1] + last[2] == raw_start:
            last[2] += size
        else:
            self.segments.append([self.length, raw_start, size])
        self.parts.append(self.raw[raw_start:raw_end])
        self.length += size

    def copy_line(self, start: int, end: int) -> None:
        """Copy a line, collapsing runs of spaces/tabs inside it to their first character."""
        position = start
        if self.raw.find("  ", start, end) < 0 and self.raw.find("\t", start, end) < 0:
            self.copy(start, end)  # the common case: nothing to collapse
            return
        for run in _HORIZONTAL_SPACE_RUN.finditer(self.raw, start, end):
            self.copy(position, run.start() + 1)
            position = run.end()
        self.copy(position, end)


def clean_text(raw: str, *, title: str | None = None) -> tuple[str, tuple[OffsetSegment, ...]]:
    """Cleaned text and the segments mapping each of its characters back to ``raw``.

    Kept lines are joined by one newline, or by a blank line when the raw text had a blank line
    between them (a paragraph break); every newline written is one of the raw newlines.
    """
    verdicts = classify_lines(raw, title=title)
    builder = _SegmentBuilder(raw)
    previous_end: int | None = None
    blank_newline: int | None = None  # a raw "\n" ending a blank line since the previous kept line
    for verdict in verdicts:
        if verdict.kind is LineKind.BLANK:
            if previous_end is not None and blank_newline is None:
                found = raw.find("\n", verdict.start)
                blank_newline = found if found >= 0 else None
            continue
        if verdict.kind is not LineKind.CONTENT:
            continue
        if previous_end is not None:
            builder.copy(*_newline_after(raw, previous_end))
            if blank_newline is not None:
                builder.copy(blank_newline, blank_newline + 1)
        builder.copy_line(verdict.start, verdict.end)
        previous_end = verdict.end
        blank_newline = None
    segments = tuple(OffsetSegment(c, r, n) for c, r, n in builder.segments)
    return "".join(builder.parts), segments


def _newline_after(raw: str, position: int) -> tuple[int, int]:
    """The raw span of the newline that ends the line containing ``position``."""
    newline = raw.index("\n", position)
    return newline, newline + 1
