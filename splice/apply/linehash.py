"""Polynomial hashes of line sequences: any window of a file compared with a block in
O(1), so finding a block costs O(candidates), not O(candidates x block length)."""

from __future__ import annotations

MOD = (1 << 61) - 1
BASE = 1_000_003


class LineHashes:
    """Prefix hashes over one list of line keys."""

    def __init__(self, keys: list[str]) -> None:
        self.prefix = [0]
        self.powers = [1]
        acc = 0
        power = 1
        for key in keys:
            acc = (acc * BASE + (hash(key) & 0xFFFFFFFFFFFF) + 1) % MOD
            power = power * BASE % MOD
            self.prefix.append(acc)
            self.powers.append(power)

    def window(self, start: int, n: int) -> int:
        return (self.prefix[start + n] - self.prefix[start] * self.powers[n]) % MOD

    @staticmethod
    def of(keys: list[str]) -> int:
        acc = 0
        for key in keys:
            acc = (acc * BASE + (hash(key) & 0xFFFFFFFFFFFF) + 1) % MOD
        return acc
