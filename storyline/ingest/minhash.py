"""MinHash signatures for near-duplicate search, the same values datasketch's ``MinHash`` gives (its default
"affine32" scheme, seed 1), computed with numpy alone: datasketch's package import pulls in SciPy (~1 s in
every worker process) and its per-object setup costs more than the hashing. Input: shingles as bytes;
output: a uint32 array of ``num_perm`` values. Also the LSH band layout datasketch picks for a threshold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from functools import cache

import numpy as np

SCHEME = "affine32"  # datasketch's name for this hashing scheme (recorded with each signature)
_MAX_HASH = np.uint32(0xFFFFFFFF)
# MurmurHash3's 32-bit finalizer (shift, multiplier, shift, multiplier, shift), as in datasketch's ``_fmix``:
# it spreads SHA-1's bits before the affine permutations.
_FMIX32 = (16, np.uint32(0x85EBCA6B), 13, np.uint32(0xC2B2AE35), 16)
# datasketch's MinHashLSH(threshold, num_perm) band layout (bands, rows per band), from its false positive /
# negative weighting. Computing it needs SciPy's integration; the layouts used here are tabled, and a test
# checks them against datasketch.
LSH_LAYOUTS: dict[tuple[float, int], tuple[int, int]] = {(0.6, 96): (16, 6)}


@cache
def permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h → a·h + b (mod 2³²) datasketch draws for ``seed``; ``a`` is odd (bijective)."""
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def minhash_values(shingles: Collection[bytes], num_perm: int, seed: int = 1) -> np.ndarray:
    """Per permutation, the least permuted hash of the shingles (all 2³²-1 for no shingles)."""
    if not shingles:
        return np.full(num_perm, _MAX_HASH, dtype=np.uint32)
    # SHA-1's first 4 bytes read little-endian: datasketch's ``sha1_hash32``.
    digests = b"".join([hashlib.sha1(shingle).digest()[:4] for shingle in shingles])
    hashes = _fmix32(np.frombuffer(digests, dtype="<u4").astype(np.uint32))
    a, b = permutations(num_perm, seed)
    # uint32 arithmetic wraps: the permutation is modulo 2³², as in datasketch.
    return (hashes[:, None] * a + b).min(axis=0)


def lsh_layout(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) of datasketch's MinHashLSH for these settings (tabled ones only)."""
    layout = LSH_LAYOUTS.get((threshold, num_perm))
    if layout is None:
        raise ValueError(f"no LSH layout tabled for threshold {threshold} and {num_perm} permutations")
    return layout


def _fmix32(values: np.ndarray) -> np.ndarray:
    shift1, multiplier1, shift2, multiplier2, shift3 = _FMIX32
    values = values ^ (values >> np.uint32(shift1))
    values = values * multiplier1
    values = values ^ (values >> np.uint32(shift2))
    values = values * multiplier2
    return values ^ (values >> np.uint32(shift3))
