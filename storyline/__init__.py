"""storyline: many news reports about developing stories → one cross-checked, source-attributed account."""

__version__ = "0.1.0"
