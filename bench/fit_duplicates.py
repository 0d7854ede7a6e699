"""Fit the duplicate scorer's logistic weights (``duplicates.WEIGHTS``) on the TRAIN pairs of every round.

Run: .venv/bin/python bench/fit_duplicates.py   — prints the ``WEIGHTS`` line to paste into duplicates.py.

Newton's method with an L2 penalty; each round's TRAIN pairs weigh the same in total (no third-party package; deterministic). Held-out splits are never read.
Pairs in different areas (never duplicates, however alike) and pairs whose texts name two different places are
left out: the place factor multiplies the score after the
logistic part, so what it rejects would only teach the weights that alike-reading texts are not duplicates.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from duplicates import load_pairs  # noqa: E402

from yishiting.demands.suggest import duplicates  # noqa: E402
from yishiting.demands.suggest.features import features  # noqa: E402

L2 = 1.0  # on the summed log-likelihood; the bias is not shrunk
STEPS = 25


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the system is small and positive definite)."""
    n = len(vector)
    m = [row[:] + [v] for row, v in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def fit(rows: list[tuple[tuple[float, ...], float, float]]) -> list[float]:
    """Newton's method on the L2-penalised log-likelihood."""
    width = len(rows[0][0])
    w = [0.0] * width
    for _ in range(STEPS):
        grad = [(L2 * w[i] if i else 0.0) for i in range(width)]
        hess = [[(L2 if i == j and i else 0.0) for j in range(width)] for i in range(width)]
        for x, y, weight in rows:
            p = 1 / (1 + math.exp(-sum(wi * xi for wi, xi in zip(w, x, strict=True))))
            for i in range(width):
                grad[i] += weight * (p - y) * x[i]
                for j in range(width):
                    hess[i][j] += weight * p * (1 - p) * x[i] * x[j]
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
    return w


def main() -> None:
    rows: list[tuple[tuple[float, ...], float, float]] = []
    train = {name: pairs for name, pairs in load_pairs().items() if name.endswith("train")}
    for name, pairs in train.items():
        weight = sum(len(p) for p in train.values()) / len(train) / len(pairs)  # each round counts the same
        for p in pairs:
            fa, fb = features(p["a"]), features(p["b"])
            if not p["same_area"] or duplicates._place_factor(fa, fb) < 1:
                continue
            found = duplicates.evidence(fa, fb)
            # The fitted part decides as far as the pair is short against long (``duplicates.score``).
            if found[-2]:
                rows.append(((1.0, *found), float(p["duplicate"]), weight * found[-2]))
    w = fit(rows)
    print(f"# {len(rows)} TRAIN pairs; evidence: bias, " + ", ".join(duplicates.EVIDENCE))
    print("WEIGHTS = (" + ", ".join(f"{v:.3f}" for v in w) + ")")


if __name__ == "__main__":
    main()
