"""Word tables for mention coreference: news event synonym groups, reporting verbs, context cues.

Input: none (data only, general news English, written by hand); output: the tables and ``stem``, the light
suffix stripper that lets inflections and nominalisations of one verb meet ("attack"/"attacked"/"attacks").
"""

from __future__ import annotations

# Words that name one kind of happening (general news vocabulary, not tied to any corpus): mentions whose
# head falls in the same group may corefer. Each group is keyed by its first word; a word listed in two
# groups keeps its first sense. Multi-word entries match the mention's lemmas plus its verb particle.
EVENT_SYNONYMS: tuple[tuple[str, ...], ...] = (
    (
        "kill",
        "murder",
        "slay",
        "death",
        "die",
        "dead",
        "fatal",
        "homicide",
        "slaying",
        "killing",
        "massacre",
        "pass away",
        "gun down",
        "manslaughter",
    ),
    ("shoot", "shooting", "shot", "gunfire", "gunshot", "open fire", "shootout", "crossfire", "gunplay"),
    ("earthquake", "quake", "tremor", "temblor"),
    ("blaze", "fire", "inferno", "burn", "flame", "set fire", "set ablaze", "torch", "catch fire"),
    ("arrest", "detain", "capture", "apprehend", "nab", "custody", "detention", "seize", "take into custody"),
    ("hit", "strike", "smash", "slam", "pound", "bomb", "bombing"),
    # A match has one result: one side's win is the other side's loss.
    ("win", "victory", "triumph", "beat", "defeat", "clinch", "lose", "loss"),
    ("injure", "wound", "hurt", "injury"),
    ("attack", "assault", "raid", "ambush", "offensive"),
    ("rob", "robbery", "heist", "steal", "theft", "burglary", "loot", "snatch", "mug", "mugging"),
    ("release", "launch", "unveil", "introduce", "issue", "roll", "debut"),
    ("buy", "acquire", "acquisition", "purchase", "takeover", "deal", "merger", "take over", "buy out"),
    ("sack", "dismiss", "oust", "axe", "fire"),
    ("resign", "quit", "resignation", "step down"),
    ("nominate", "nomination", "nominee", "appoint", "appointment", "name", "pick", "choose", "tap"),
    ("sentence", "jail", "imprison", "convict", "conviction"),
    ("charge", "accuse", "indict", "indictment", "allegation"),
    ("flee", "escape", "run"),
    ("crash", "collide", "collision", "accident", "wreck"),
    ("rescue", "save", "free"),
    ("enter", "check", "admit", "rehab", "check in", "check into"),
    ("host", "emcee", "present", "hosting"),
    ("protest", "demonstration", "rally", "march"),
    ("explode", "explosion", "blast", "detonate"),
    ("sink", "capsize", "founder"),
    ("hijack", "hijacking", "seize", "commandeer"),
    ("thwart", "foil", "prevent", "stop", "repel"),
    ("suicide", "overdose", "kill oneself", "hang oneself"),
    (
        "drunk",
        "dui",
        "dwi",
        "intoxicate",
        "drunk driving",
        "drunken driving",
        "drink drive",
        "drive under the influence",
        "drunk drive",
        "drunken drive",
    ),
    ("damage", "destroy", "devastate", "ravage", "level", "flatten", "raze", "destruction", "devastation"),
    ("find", "discover", "discovery", "locate", "uncover"),
    ("cut", "sever", "slash"),
    ("keep", "retain"),
    ("place", "put"),
    ("outage", "disruption", "disrupt", "downtime", "blackout", "go down", "go out"),
    ("riot", "rioting", "unrest", "disturbance", "clash"),
    ("overturn", "reverse", "quash", "annul", "reversal"),
    ("fix", "patch", "plug", "repair"),
    ("crackdown", "sweep", "blitz", "swoop", "bust", "roundup"),
    ("hack", "breach", "cyberattack", "intrusion"),
    ("cause", "spark", "trigger", "prompt", "provoke", "unleash"),
)

# General nouns a report uses to refer back to a specific happening it has named ("the bombing ... the
# attack"): inside one document such a noun joins the most mentioned of these specific classes.
GENERAL_EVENT_NOUNS: dict[str, tuple[str, ...]] = {
    "attack": ("bomb", "shoot", "explode", "hijack", "stab", "hack", "rob"),
    "assault": ("shoot", "stab", "bomb"),
    "incident": ("shoot", "crash", "blaze", "explode", "fall", "stab", "attack", "rob", "kill"),
    "tragedy": ("kill", "crash", "blaze", "shoot", "fall", "sink", "earthquake"),
    "crime": ("rob", "kill", "shoot", "stab", "hijack"),
    "disaster": ("earthquake", "crash", "sink", "blaze", "explode"),
    "violence": ("riot", "shoot", "attack"),
}

# Reporting acts are the same act in two documents only when the speaker is the same.
REPORTING_LEMMAS = frozenset(
    "say tell report announce confirm state add claim note explain reveal declare describe comment accord".split()
)

# Verbs that carry too little of an event to identify it across reports: light and support verbs ("give",
# "get"), aspectual ones ("remain", "begin") and ones relating two events ("follow", "lead to", "help").
# Inside one report the same such verb mostly repeats one act, so they link only within their document.
LIGHT_VERBS = frozenset(
    "be have do give get go come put set become seem remain continue begin start follow lead help use receive".split()
)

# A killing word that is the content of a legal step ("charged with murder", "faces a homicide count")
# names the charge, which news treats as its own event, not the killing itself.
LEGAL_GOVERNORS = frozenset(
    "charge accuse convict indict face arraign plead guilty acquit try trial count suspicion".split()
)
LEGAL_CONTENT_CLASSES = frozenset({"kill"})

# Words that make a verb act on its own subject ("killed himself" is a suicide, not a killing).
REFLEXIVES = frozenset("himself herself themselves itself myself yourself oneself".split())
# Particles spaCy sometimes attaches as adverbs ("passed away"): they still belong to the verb's phrase.
PARTICLE_ADVERBS = frozenset("away down up out off in into over".split())

# "fire" as a verb mostly means dismissing someone; with a projectile as object it means shooting.
FIRE_PROJECTILES = frozenset(
    "shot shots round rounds bullet bullets missile missiles rocket rockets gun weapon".split()
)

# Entity pronouns by person, number and gender: "him", "his" and "himself" stand for whoever "he" does.
PRONOUN_GROUPS: dict[str, str] = {
    **dict.fromkeys(("he", "him", "his", "himself"), "he"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "she"),
    **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), "they"),
    **dict.fromkeys(("it", "its", "itself"), "it"),
    **dict.fromkeys(("we", "us", "our", "ours", "ourselves"), "we"),
}

_SUFFIXES = ("ings", "ing", "ions", "ion", "ed", "es", "s")


def stem(word: str) -> str:
    """A light suffix-stripping stem so "shooting"/"shoot" and "checks"/"check" meet."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def synonym_index() -> dict[str, str]:
    """Stemmed word (or multi-word lemma phrase) → stem of its group's first word."""
    index: dict[str, str] = {}
    for group in EVENT_SYNONYMS:
        for word in group:
            index.setdefault(word if " " in word else stem(word), stem(group[0]))
    return index


SYNONYM_OF = synonym_index()
