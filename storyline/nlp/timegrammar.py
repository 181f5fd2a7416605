"""The surface grammar of English time expressions, kept as data: word tables and one regex per rule.

Input: nothing (module constants). Output: ``RULES``, compiled ``(name, pattern)`` pairs whose named
groups ``storyline.nlp.times`` reads to normalize a match into a TIMEX3 value, and ``TRIGGERS``, the
words around which each rule is searched.
"""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
}  # fmt: skip
NUMBER_WORDS: dict[str, int | float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a dozen": 12, "a couple of": 2, "couple of": 2, "half a": 0.5, "half an": 0.5,
}  # fmt: skip
# Number words that multiply what precedes them: "a hundred years", "two thousand years".
MULTIPLIERS: dict[str, int] = {"hundred": 100, "thousand": 1000}
ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
    "last": 4, "final": 4,
}  # fmt: skip
# TIMEX3 unit letters: P2W, PT45M, P10Y (a decade is written as ten years).
UNIT_CODES: dict[str, tuple[str, int]] = {
    "second": ("TS", 1), "minute": ("TM", 1), "hour": ("TH", 1), "day": ("D", 1), "night": ("D", 1),
    "week": ("W", 1), "fortnight": ("W", 2), "month": ("M", 1), "quarter": ("Q", 1), "year": ("Y", 1),
    "decade": ("Y", 10), "century": ("Y", 100), "weekend": ("D", 2),
}  # fmt: skip
SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
    "mid-afternoon": "AF", "midafternoon": "AF", "mid afternoon": "AF", "tonight": "NI",
}  # fmt: skip
# Fixed-date holidays as (month, day); movable ones are computed in times.py.
HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's eve": (12, 31), "halloween": (10, 31),
    "independence day": (7, 4), "valentine's day": (2, 14), "veterans day": (11, 11),
}  # fmt: skip
SET_ADVERBS: dict[str, str] = {
    "hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
    "annually": "P1Y", "yearly": "P1Y", "biweekly": "P2W",
}  # fmt: skip
REFERENCE_WORDS: dict[str, str] = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "at present": "PRESENT_REF", "the present": "PRESENT_REF", "presently": "PRESENT_REF",
    "these days": "PRESENT_REF", "current": "PRESENT_REF",
    "recently": "PAST_REF", "the past": "PAST_REF",
    "recent years": "PAST_REF", "past years": "PAST_REF", "lately": "PAST_REF", "recent": "PAST_REF",
    "the future": "FUTURE_REF",
    "a later date": "FUTURE_REF", "the near future": "FUTURE_REF", "the near term": "FUTURE_REF",
    "the short term": "FUTURE_REF",
}  # fmt: skip
# Words after a weekday or month that make it a name, not a date ("Sunday Times", "May Day" stays).
NAME_CONTINUATIONS = frozenset(
    "times telegraph mirror express post herald tribune journal observer people school league "
    "massacre agreement revolution movement group party accords uprising".split()
)
# Nouns after "current"/"recent" that do not make a time reference ("current account").
# A lone "May"/"March" is a month only after one of these words ("in May", not "May said").
MONTH_CUES_BEFORE = frozenset(
    "in since by until till early late mid of during before after through last next this from "
    "throughout around end beginning start".split()
)
NON_TEMPORAL_AFTER_CURRENT = frozenset("account accounts affairs events flow flows liabilities assets".split())
# Words before a yearless date that put it ahead of the article date whatever the clause tense
# ("a dividend payable Dec. 7"), and deadline words that do so unless the clause is past ("by February").
FORWARD_CUES = frozenset("payable effective due".split())
DEADLINE_CUES = frozenset("by until till through starting beginning".split())
# Verbs whose "to"-infinitive complement happens later than the verb itself ("expected to join").
FUTURE_GOVERNORS = frozenset(
    "expect plan schedule intend hope aim set due slate prepare propose promise pledge vow agree "
    "decide threaten want seek".split()
)
# Rules whose "year" group is a year written out in the text: they set the narrative's year.
EXPLICIT_YEAR_RULES = frozenset("month_day day_month month year season holiday".split())
ZONES = r"(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|local\s+time)"


def _alternation(words: list[str]) -> str:
    """Longest first so that "september" is tried before "sep"."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_FULL_MONTHS = [m for m in MONTHS if len(m) > 3 and m != "sept"] + ["may"]
_ABBREVIATIONS = [m for m in MONTHS if m not in _FULL_MONTHS]
# Month names are matched case-sensitively (Capitalised or UPPER) so "may" and "march" the verbs
# never match; abbreviations need a period or a following day number.
MONTH_FULL = "(?-i:" + "|".join(f"{m.capitalize()}|{m.upper()}" for m in _FULL_MONTHS) + ")"
MONTH_ANY = "(?:" + MONTH_FULL + "|(?-i:" + "|".join(f"{m.capitalize()}|{m.upper()}" for m in _ABBREVIATIONS) + r")\.?)"
WEEKDAY = "(?-i:" + "|".join(f"{d.capitalize()}|{d.upper()}" for d in WEEKDAYS) + ")"
ONES = "one|two|three|four|five|six|seven|eight|nine"
TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_WHOLE = rf"(?:(?:{TENS})(?:[\s-](?:{ONES}))?|{TEENS}|{ONES})"
# "a hundred", "two thousand", "one hundred and fifty": spelled numbers with a multiplier.
_HUNDREDS = rf"(?:(?:a|{_WHOLE})\s+(?:hundred|thousand)(?:\s+(?:and\s+)?{_WHOLE})?)"
# "5 1/2", "two and a half": a whole number with a fraction.
_FRACTION = r"(?:\s+(?:1/2|1/4|3/4)|\s+and\s+a\s+half)"
NUMBER = (
    rf"(?:\d+(?:\.\d+)?(?:\s+(?:1/2|1/4|3/4))?|{_HUNDREDS}|{_WHOLE}(?:{_FRACTION})?|a\s+couple\s+of"
    r"|couple\s+of|a\s+dozen|half\s+an?|a\s+few|several|few|many|some|dozens\s+of|a|an)"
)
UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|century|centurie)"
# Modifiers kept inside an expression's extent (TimeML mod="APPROX"/"MORE_THAN"...). Focus particles
# ("just", "only", "barely") stay outside, and so do "about"/"almost" before a duration, as TimeBank-style
# annotation leaves them out ("about [two weeks]") while it keeps them before "ago" ("about two weeks ago").
_APPROX_WORDS = (
    r"nearly|roughly|around|approximately|some|more\s+than|less\s+than|over|at\s+least|up\s+to|under"
    r"|the\s+better\s+part\s+of"
)
APPROX = rf"(?:(?:{_APPROX_WORDS})\s+)"
APPROX_AGO = rf"(?:(?:about|almost|{_APPROX_WORDS})\s+)"
# Kinds of day counted in a duration: "eight trading days", "five business days".
DAY_KINDS = r"(?:trading|business|working|calendar|school)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[6-9]\d\d|20\d\d)"
# "early", "late 1990", "mid-1996", "the end of November", "earlier this year", "later that day".
MODIFIER = (
    r"(?P<mod>(?:the\s+)?(?:very\s+)?(?:early|late|mid-?|middle\s+of(?:\s+the)?|end\s+of(?:\s+the)?"
    r"|beginning\s+of(?:\s+the)?|start\s+of(?:\s+the)?|earlier|later)[\s-]*)?"
)
RELATIVE = (
    r"(?P<rel>this\s+past|this\s+coming|the\s+past|the\s+last|the\s+next|the\s+coming|the\s+current"
    r"|the\s+previous|the\s+following|the\s+latest|the\s+same|last|next|this|that|past|coming|current"
    r"|previous|following)"
)
LEFT = r"(?<![\w$£€.-])"
RIGHT = r"(?![\w]|-(?:old|\w))"

# Case-sensitive: "good friday" or "labor day" in lower case is no holiday name.
HOLIDAY_NAMES = (
    r"Christmas(?:\s+(?:Day|Eve))?|New\s+Year's\s+(?:Day|Eve)|Halloween"
    r"|Independence\s+Day|Valentine's\s+Day|Veterans\s+Day|Thanksgiving(?:\s+Day)?"
    r"|Easter(?:\s+Sunday)?|Labor\s+Day|Memorial\s+Day|Good\s+Friday"
)
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("iso", rf"(?P<y>{YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:T(?P<hh>[0-2]\d):(?P<mm>[0-5]\d))?"),
    ("slash", rf"(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<y>{YEAR}|\d\d)"),
    (
        "month_day",
        rf"{MODIFIER}(?:(?P<wd>{WEEKDAY}),?\s+)?(?P<month>{MONTH_ANY})\s+(?P<day>{DAY})"
        rf"(?:,?\s+(?P<year>{YEAR}))?(?![\d,.]\d)",
    ),
    (
        "day_month",
        rf"{MODIFIER}(?:(?P<wd>{WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{DAY})\s+(?:of\s+)?(?P<month>{MONTH_ANY})"
        rf"(?:,?\s+(?P<year>{YEAR}))?",
    ),
    (
        "month",
        rf"{MODIFIER}(?:(?P<rel>last|next|this|this\s+past)\s+)?(?P<month>{MONTH_FULL})"
        rf"(?:,?\s+(?:of\s+)?(?P<year>{YEAR})|\s+(?:of\s+)?(?P<yrel>this|last|next)\s+year)?",
    ),
    (
        "clock",
        rf"(?:(?:around|about|approximately|shortly\s+after|shortly\s+before)\s+)?"
        rf"(?P<hour>[01]?\d)(?::(?P<minute>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)"
        rf"(?:\s+{ZONES})?(?:,?\s+(?P<wd>{WEEKDAY}|today|yesterday|tomorrow))?"
        rf"(?:,?\s+(?:on\s+)?(?P<month>{MONTH_ANY})\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?)?",
    ),
    ("noon", rf"(?P<word>noon|midnight|midday)(?:\s+(?P<wd>{WEEKDAY}|today|yesterday|tomorrow))?"),
    (
        "decade",
        rf"{MODIFIER}(?:the\s+)?(?:(?P<mod2>early|late|mid)[\s-]*)?(?:(?P<dec>1[6-9]\d0|20[0-9]0)s"
        rf"|'(?P<short>[0-9]0)s|(?P<word>(?:nineteen[\s-])?(?:twenties|thirties|forties|fifties"
        r"|sixties|seventies|eighties|nineties)))",
    ),
    ("century", r"(?P<the>the\s+)?(?:(?P<n>\d{1,2})(?:st|nd|rd|th)|(?P<this>this|last|next))\s+century"),
    ("year", rf"{MODIFIER}(?P<fiscal>fiscal(?:\s+year)?\s+)?(?P<year>{YEAR})(?![,.]\d|\s*(?:%|percent))"),
    ("spelled_year", rf"(?P<cent>nineteen|twenty)[\s-](?P<rest>(?:{TENS})(?:[\s-](?:{ONES}))?|{TEENS})"),
    (
        "quarter",
        r"(?P<the>the\s+)?(?:(?P<qrel>latest|current|past|last|previous|same|comparable|year-ago"
        r"|year-earlier|this\s+year's|last\s+year's|next\s+year's|fiscal|recent)[\s-]+)*"
        rf"(?:(?P<year0>{YEAR})\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)?[\s-]*(?:fiscal[\s-]+)?quarter"
        rf"(?:\s+of\s+(?:(?P<year>{YEAR})|(?P<yrel>this|last|next)\s+year))?"
        r"(?P<back>\s+a\s+year\s+(?:ago|earlier)|\s+last\s+year)?(?!\s+of\s+an?\b|-mile|-point)",
    ),
    (
        "half",
        rf"(?P<the>the\s+)(?P<ord>first|second|last|latter)\s+half(?:\s+of\s+(?:(?P<year>{YEAR})"
        r"|(?P<yrel>this|last|next)\s+year|the\s+year))?",
    ),
    (
        "period",
        rf"(?P<the>the\s+)(?:(?:(?P<prel>latest|year-ago|year-earlier|comparable|corresponding|same)[\s-]+)+"
        rf"|(?P<year>{YEAR})\s+)period(?P<back>\s+a\s+year\s+(?:ago|earlier)|\s+last\s+year)?",
    ),
    ("year_ago_adj", r"(?:the\s+)?year-(?:ago|earlier)"),
    (
        "season",
        rf"{MODIFIER}(?P<rel>this\s+past|last|next|this|the|that)?\s*(?P<season>spring|summer|fall|autumn"
        rf"|winter)(?:\s+(?:of\s+)?(?P<year>{YEAR}))?",
    ),
    ("holiday", rf"(?-i:(?P<name>{HOLIDAY_NAMES}))(?:\s+(?P<year>{YEAR}))?"),
    ("weekend", rf"{MODIFIER}(?P<rel>this\s+past|the\s+past|last|next|this|the|that)\s+weekend"),
    (
        "weekday",
        rf"(?:(?P<rel>this\s+past|this\s+coming|last|next|this|coming|that)\s+)?"
        rf"(?P<wd>{WEEKDAY})(?P<plural>s)?(?:\s+(?P<part>morning|afternoon|evening|night)(?P<parts>s)?)?",
    ),
    (
        "day_word",
        rf"{MODIFIER}(?:(?P<part0>mid-?afternoon|mid\s+afternoon)\s+)?(?P<word>today|yesterday|tomorrow|tonight"
        r"|overnight)(?:\s+(?P<part>morning|afternoon|evening|night))?",
    ),
    ("part_of_day", rf"{MODIFIER}(?P<rel>this|last|the|that)\s+(?P<part>morning|afternoon|evening|night)"),
    (
        "ago",
        rf"{APPROX_AGO}?(?P<num>{NUMBER})[\s-]+(?:or\s+so\s+)?(?P<unit>{UNIT})s?(?:\s+or\s+so)?"
        r"\s+(?P<dir>ago|earlier|before\s+now|from\s+now|hence)",
    ),
    ("relative_unit", rf"{MODIFIER}{RELATIVE}\s+(?:fiscal\s+)?(?P<unit>week|month|year|decade|century)"),
    (
        "set_every",
        rf"(?P<every>every|each)\s+(?:other\s+)?(?:(?P<num>{NUMBER})\s+)?(?:(?P<unit>{UNIT})s?"
        rf"|(?P<wd>{WEEKDAY})|(?P<month>{MONTH_FULL}))",
    ),
    ("set_adverb", r"(?P<word>hourly|daily|nightly|weekly|biweekly|monthly|annually|yearly)"),
    (
        "week_of",
        rf"the\s+week\s+of\s+(?P<month>{MONTH_ANY})\s+(?P<day>{DAY})(?:,?\s+(?P<year>{YEAR}))?",
    ),
    ("year_named", rf"the\s+year\s+(?:(?P<year>{YEAR})|(?P<word>two\s+thousand))"),
    # "for the year", "the full year", "during the week": the DCT's own year or week in news and
    # earnings prose, unless a clause anchors it elsewhere ("the year ended Sept. 30" is a duration).
    (
        "current_unit",
        r"(?:(?:(?P<mod>(?:the\s+)?(?:very\s+)?(?:end|beginning|start|middle)\s+of|(?:earlier|later)\s+in)\s+)?"
        r"the\s+(?:full\s+|fiscal\s+)?(?P<unit>year|month|week)|(?P<end>year[-\s]end|year's\s+end))"
        r"(?!\s+(?:ended|ending|to\s+date|before|after|earlier|ago|later|that|when|in\s+which|of)\b)",
    ),
    (
        "duration",
        rf"(?:(?P<the>the|these|those)\s+)?(?:(?P<drel>past|last|next|first|coming|previous|latest|final"
        rf"|remaining|following|recent|same|full|entire|whole|future)\s+)?{APPROX}?(?:(?P<num>{NUMBER})"
        rf"(?:\s+(?:to|or)\s+(?P<num2>{NUMBER}))?[\s-]+)?(?:more\s+|full\s+|{DAY_KINDS}\s+)?(?P<unit>{UNIT})(?P<plural>s)?(?P<half>\s+and\s+a\s+half)?(?P<ahead>\s+ahead)?"
        r"(?:-long)?",
    ),
    ("reference", "(?:" + _alternation(list(REFERENCE_WORDS)) + ")"),
)

RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(LEFT + "(?:" + body + ")" + RIGHT, re.IGNORECASE)) for name, body in _PATTERNS
)

# Speed: a rule whose every match contains one of these words is only run in a window around them
# (TRIGGER_BEFORE characters before, TRIGGER_AFTER after), not over the whole text. Rules without a
# trigger scan everything. Each trigger must occur in every match of its rule.
_UNITS = r"second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|centur"
_TRIGGER_WORDS: dict[str, str] = {
    "month_day": MONTH_ANY, "day_month": MONTH_ANY, "month": MONTH_FULL, "week_of": MONTH_ANY,
    "clock": r"\d+(?::\d\d)?\s*[ap]\.?\s?m", "noon": r"noon|midnight|midday", "year": YEAR, "year_named": r"year",
    "decade": r"\d*0s|'\d0s|\w+ties", "century": r"century", "quarter": r"quarter", "half": r"half",
    "period": r"period", "year_ago_adj": r"year-", "season": r"spring|summer|fall|autumn|winter",
    "weekend": r"weekend", "weekday": WEEKDAY, "day_word": r"today|yesterday|tomorrow|tonight|overnight",
    "part_of_day": r"morning|afternoon|evening|night", "ago": r"ago|earlier|before|from|hence",
    "relative_unit": r"week|month|year|decade|century", "set_every": r"every|each",
    "current_unit": r"year|month|week", "duration": _UNITS, "spelled_year": r"nineteen|twenty",
}  # fmt: skip
TRIGGERS: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"(?<![\w'])(?:{words})", re.IGNORECASE) for name, words in _TRIGGER_WORDS.items()
}
# One pass finds every trigger word; each hit is then assigned to the rules whose trigger it starts.
ANY_TRIGGER = re.compile(
    r"(?<![\w'])(?:" + "|".join(f"(?:{words})" for words in _TRIGGER_WORDS.values()) + ")", re.IGNORECASE
)
TRIGGER_BEFORE, TRIGGER_AFTER = 80, 60
# Speed, for rules without a trigger: the rule runs only when its prefilter is found somewhere in the
# text. A prefilter must match inside every match of its rule (a case-sensitive literal search is
# cheap; the rule's own scan, with its lookbehind at every position, is not).
PREFILTERS: dict[str, re.Pattern[str]] = {"holiday": re.compile(HOLIDAY_NAMES)}

# For publication-date estimation: full dates only, in the forms datelines use.
FULL_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(LEFT + rf"(?P<month>{MONTH_ANY})\s+(?P<day>{DAY}),?\s+(?P<year>{YEAR})" + RIGHT, re.IGNORECASE),
    re.compile(
        LEFT + rf"(?P<day>{DAY})\s+(?:of\s+)?(?P<month>{MONTH_ANY}),?\s+(?P<year>{YEAR})" + RIGHT,
        re.IGNORECASE,
    ),
    re.compile(LEFT + rf"(?P<year>{YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)" + r"(?!\d)"),
)
YEAR_PATTERN = re.compile(LEFT + rf"(?:in|since|of|during|by|until|from)\s+(?P<year>{YEAR})" + RIGHT, re.IGNORECASE)

# Tags of the word before "a year"/"a day" that make it a rate: "CDs a year", "$33 million a year".
COUNTED_TAGS_BEFORE_RATE = frozenset({"NNS", "CD"})
# "a second convoy" is an ordinal unless a time word follows ("a second or two", "a second later").
ORDINAL_SECOND = re.compile(r"(?:an?|one)\s+second", re.IGNORECASE)
DURATION_SECOND_FOLLOWERS = frozenset("or and later earlier ago before after to of in".split())
# What makes the following "a year"/"a day" a rate (SET): "$5,000 a year", "twice a day".
RATE_BEFORE = re.compile(r"(?:\b(?:once|twice|times|percent|cents?|dollars?|euros?)|[\d%])\s*$", re.IGNORECASE)
