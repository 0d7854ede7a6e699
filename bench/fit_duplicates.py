"""Fit the duplicate scorer's logistic weights (``duplicates.WEIGHTS``) on the TRAIN pairs of every round.

Run: .venv/bin/python bench/fit_duplicates.py   — prints the ``WEIGHTS`` line to paste into duplicates.py.
     .venv/bin/python bench/fit_duplicates.py --cv  — five-fold cross-validation on TRAIN (folds by story or
     group), precision and recall per round at thresholds around the app's: how the threshold was chosen.

Newton's method with an L2 penalty; each round's TRAIN pairs weigh the same in total (no third-party package; deterministic). Held-out splits are never read.
Pairs in different areas (never duplicates, however alike) and pairs whose texts name two different places are
left out: the place factor multiplies the score after the
logistic part, so what it rejects would only teach the weights that alike-reading texts are not duplicates.
"""

from __future__ import annotations

import argparse
import math
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from duplicates import load_pairs  # noqa: E402

from yishiting.demands.suggest import duplicates  # noqa: E402
from yishiting.demands.suggest.features import features  # noqa: E402

L2 = 1.0  # on the summed log-likelihood; the bias is not shrunk
STEPS = 25
CV_THRESHOLDS = (0.45, 0.5, 0.55)


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


def _rows(pairs: dict[str, list[dict]], keep) -> list[tuple[tuple[float, ...], float, float]]:
    """(evidence with a leading 1, label, weight) for the TRAIN pairs ``keep`` accepts."""
    rows: list[tuple[tuple[float, ...], float, float]] = []
    for group in pairs.values():
        weight = sum(len(p) for p in pairs.values()) / len(pairs) / len(group)  # each round counts the same
        for p in group:
            fa, fb = features(p["a"]), features(p["b"])
            if not keep(p) or not p["same_area"] or duplicates._place_factor(fa, fb) < 1:
                continue
            found = duplicates.evidence(fa, fb)
            # The fitted part decides as far as the pair is short against long (``duplicates.score``).
            if found[-2]:
                rows.append(((1.0, *found), float(p["duplicate"]), weight * found[-2]))
    return rows


def _fold(pair: dict) -> int:
    return zlib.crc32(str(pair.get("group", pair["id"])).encode()) % 5


def cross_validate(train: dict[str, list[dict]]) -> None:
    counts: dict[tuple[str, float], list[int]] = {}
    shipped = duplicates.WEIGHTS
    try:
        for fold in range(5):
            duplicates.WEIGHTS = tuple(fit(_rows(train, lambda p, fold=fold: _fold(p) != fold)))
            for name, pairs in train.items():
                for p in (p for p in pairs if _fold(p) == fold):
                    score = duplicates.similarity(p["a"], p["b"]) if p["same_area"] else -1.0
                    for t in CV_THRESHOLDS:
                        tp_fp_fn = counts.setdefault((name, t), [0, 0, 0])
                        said = score >= t
                        tp_fp_fn[0] += said and p["duplicate"]
                        tp_fp_fn[1] += said and not p["duplicate"]
                        tp_fp_fn[2] += not said and p["duplicate"]
    finally:
        duplicates.WEIGHTS = shipped
    for (name, t), (tp, fp, fn) in sorted(counts.items()):
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        print(f"  {name:18} threshold {t:.2f}  precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="cross-validate on TRAIN instead of printing weights")
    args = parser.parse_args()
    train = {name: pairs for name, pairs in load_pairs().items() if name.endswith("train")}
    if args.cv:
        cross_validate(train)
        return
    rows = _rows(train, lambda p: True)
    w = fit(rows)
    print(f"# {len(rows)} TRAIN pairs; evidence: bias, " + ", ".join(duplicates.EVIDENCE))
    print("WEIGHTS = (" + ", ".join(f"{v:.3f}" for v in w) + ")")


if __name__ == "__main__":
    main()
