"""The numpy MinHash gives datasketch's signatures exactly (so dedupe links are unchanged) without its import."""

from __future__ import annotations

import random

import numpy as np
import pytest

from storyline.ingest.minhash import LSH_LAYOUTS, lsh_layout, minhash_values

datasketch = pytest.importorskip("datasketch")


def _datasketch_values(shingles: list[bytes], num_perm: int, seed: int = 1) -> np.ndarray:
    reference = datasketch.MinHash(num_perm=num_perm, seed=seed)
    reference.update_batch(shingles)
    return reference.hashvalues


def _shingles(words: list[str], width: int = 5) -> list[bytes]:
    return [" ".join(words[i : i + width]).encode("utf-8") for i in range(len(words) - width + 1)]


@pytest.mark.parametrize(
    "shingles",
    [
        [b"x"],
        [b"", b"\x00\xff"],  # empty and non-text bytes
        _shingles("the convoy was stopped at the checkpoint north of the river crossing on tuesday".split()),
        _shingles("ölçüm yapıldı – «citations» 北京 the ministry said ß straße".split(), width=2),
        [random.Random(7).randbytes(30) for _ in range(700)],
    ],
)
def test_values_equal_datasketch(shingles: list[bytes]) -> None:
    mine = minhash_values(shingles, 96)
    assert mine.dtype == np.uint32
    assert np.array_equal(mine, _datasketch_values(shingles, 96))


def test_other_seed_and_size_also_equal_datasketch() -> None:
    shingles = _shingles("rescue teams reached the village after the bridge collapsed in the flood".split(), 3)
    assert np.array_equal(minhash_values(shingles, 40, seed=9), _datasketch_values(shingles, 40, seed=9))


def test_order_and_repeats_do_not_change_the_signature() -> None:
    shingles = _shingles("aid trucks waited at the border for a third day as talks stalled again".split())
    assert np.array_equal(minhash_values(shingles, 96), minhash_values(list(reversed(shingles)) + shingles, 96))


def test_no_shingles_gives_the_maximum_everywhere() -> None:
    assert (minhash_values([], 16) == np.uint32(0xFFFFFFFF)).all()


def test_share_of_equal_values_estimates_jaccard() -> None:
    base = [f"shingle {i}".encode() for i in range(400)]
    edited = base[:360] + [f"other {i}".encode() for i in range(40)]  # Jaccard 360 / 440 ≈ 0.82
    unrelated = [f"unrelated {i}".encode() for i in range(400)]
    first = minhash_values(base, 96)
    assert abs(np.mean(first == minhash_values(edited, 96)) - 360 / 440) < 0.15
    assert np.mean(first == minhash_values(unrelated, 96)) < 0.1


@pytest.mark.parametrize(("threshold", "num_perm"), sorted(LSH_LAYOUTS))
def test_tabled_lsh_layouts_are_datasketchs(threshold: float, num_perm: int) -> None:
    reference = datasketch.MinHashLSH(threshold=threshold, num_perm=num_perm)
    assert lsh_layout(threshold, num_perm) == (reference.b, reference.r)


def test_untabled_lsh_layout_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError, match="no LSH layout"):
        lsh_layout(0.75, 128)
