"""Whether a text can be lowercased as a whole before matching ASCII words in it (a cheap shortcut).

Input: a text. Output: True when ``text.lower()`` keeps every offset and turns no non-ASCII character
into an ASCII letter, so words found in (or slices taken from) the lowered text equal lowered words.
"""

from __future__ import annotations

# The only characters whose lowercase holds an ASCII letter, apostrophe or hyphen (İ → "i̇", Kelvin sign
# → "k"); İ is also the only one whose lowercase is longer than one character (checked over all of Unicode).
_LOWERING_INTO_ASCII = ("\u0130", "\u212a")


def lowers_in_place(text: str) -> bool:
    return text.isascii() or not any(ch in text for ch in _LOWERING_INTO_ASCII)
