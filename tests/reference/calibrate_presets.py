#!/usr/bin/python3
"""Trains every claim preset of web/js/presets-config.js in PyTorch over the
preset seeds and prints the table scripts/preset-table.mjs prints for our
trainer: the same networks, points, initial weights and batches
(tests/reference/torch_trainer.py), torch doing the arithmetic. The
thresholds in presets-config.js must hold here too.

    /usr/bin/python3 tests/reference/calibrate_presets.py [preset ...] [--seeds 1,2,3,4,5]

Each preset's metrics are computed as in scripts/preset-claims.mjs (keep the
two in step); the checks use the same thresholds. Not needed by any test.
"""
import json
import math
import os
import subprocess
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_trainer import TorchTrainer  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def load_config():
    script = ("import { PRESET_CONFIGS, PRESET_SEEDS } from './web/js/presets-config.js';"
              "console.log(JSON.stringify({ PRESET_CONFIGS, PRESET_SEEDS }));")
    out = subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def options(preset, panel, control, seed):
    pair = preset["panels"] if control is None else next(c for c in preset["controls"] if c["id"] == control)["panels"]
    return dict(preset["base"], **pair[panel], seed=seed)


def run(preset, panel, control, seed, checkpoints=None, recalibrate=False):
    """Trains one network; returns its evaluation at the end, layer stats at
    each checkpoint (and at the end), and for recalibrate the evaluation
    after recalibrate()."""
    t = TorchTrainer(**options(preset, panel, control, seed))
    stats = []
    done = 0
    for at in (checkpoints or []) + [preset["steps"]]:
        if at > done:
            t.step(at - done)
            done = at
        stats.append(None if t.diverged else t.layer_stats())
    result = {"evaluation": t.evaluate(), "stats": stats}
    if recalibrate:
        result["running"] = t.running_stats(0)
        t.recalibrate()
        result["recalibrated"] = t.evaluate()
        result["recalibratedRunning"] = t.running_stats(0)
    return result


def running_gap(s):
    """web/js/trainer-page/running-gap.js: averages over the units of
    |running - population| / population std (mean) and / population (var)."""
    n = len(s["runningMean"])
    mean = sum(abs(r - p) / math.sqrt(v) for r, p, v in zip(s["runningMean"], s["populationMean"], s["populationVar"]))
    var = sum(abs(r - v) / v for r, v in zip(s["runningVar"], s["populationVar"]))
    return mean / n, var / n


def accuracy(r):
    return r["evaluation"]["accuracy"]   # NaN once diverged


def std_range(r):
    """max over layers of (largest / smallest preStd over the checkpoints)."""
    layers = len(r["stats"][0])
    return max(max(s[l]["preStd"] for s in r["stats"]) / min(s[l]["preStd"] for s in r["stats"]) for l in range(layers))


def mean_abs(r):
    return max(abs(layer["preMean"]) for s in r["stats"] for layer in s)


def grad_ratio(r):
    last = r["stats"][-1]
    return last[0]["gradNorm"] / last[-1]["gradNorm"] if last else math.nan


def max_saturation(r):
    return max(layer["saturation"] for layer in r["stats"][-1]) if r["stats"][-1] else math.nan


def fails(acc, at_most):
    return math.isnan(acc) or acc <= at_most   # diverged, or stalled


def measure(pid, preset, seed):
    """Returns (metrics, checks) for one preset and seed."""
    t = preset["thresholds"]
    if pid == "aggressive":
        m = {"bn": accuracy(run(preset, "bn", None, seed)), "plain": accuracy(run(preset, "plain", None, seed)),
             "modestBn": accuracy(run(preset, "bn", "modest", seed)),
             "modestPlain": accuracy(run(preset, "plain", "modest", seed))}
        checks = {"bn trains at the high rate": m["bn"] >= t["bnAccuracyMin"],
                  "plain fails at the high rate": fails(m["plain"], t["plainAccuracyMax"]),
                  "both train at the modest rate": min(m["modestBn"], m["modestPlain"]) >= t["modestAccuracyMin"]}
    elif pid == "standardized":
        bn = run(preset, "bn", None, seed, preset["checkpoints"])
        plain = run(preset, "plain", None, seed, preset["checkpoints"])
        m = {"bnStdRange": std_range(bn), "bnMeanAbs": mean_abs(bn), "plainStdRange": std_range(plain),
             "plainMeanAbs": mean_abs(plain), "bnAccuracy": accuracy(bn), "plainAccuracy": accuracy(plain)}
        checks = {"bn holds the spread": m["bnStdRange"] <= t["bnStdRangeMax"],
                  "plain's spread drifts": m["plainStdRange"] >= t["plainStdRangeMin"]}
    elif pid == "noise":
        bn, plain = run(preset, "bn", None, seed)["evaluation"], run(preset, "plain", None, seed)["evaluation"]
        full = run(preset, "bn", "fullBatch", seed)["evaluation"]
        m = {"bnTestLoss": bn["testLoss"], "plainTestLoss": plain["testLoss"], "fullBatchBnTestLoss": full["testLoss"],
             "bnTestAccuracy": bn["testAccuracy"], "plainTestAccuracy": plain["testAccuracy"],
             "fullBatchBnTestAccuracy": full["testAccuracy"], "bnTrainAccuracy": bn["trainAccuracy"],
             "plainTrainAccuracy": plain["trainAccuracy"]}
        checks = {"bn below plain": m["plainTestLoss"] - m["bnTestLoss"] >= t["testLossMarginOverPlain"],
                  "bn below full batch": m["fullBatchBnTestLoss"] - m["bnTestLoss"] >= t["testLossMarginOverFullBatch"]}
    elif pid == "deep":
        bn, plain = run(preset, "bn", None, seed), run(preset, "plain", None, seed)
        shallow = run(preset, "plain", "shallow", seed)
        m = {"bn": accuracy(bn), "plain": accuracy(plain), "shallowPlain": accuracy(shallow),
             "plainGradRatio": grad_ratio(plain), "bnGradRatio": grad_ratio(bn)}
        checks = {"bn trains": m["bn"] >= t["bnAccuracyMin"], "plain cannot move": fails(m["plain"], t["plainAccuracyMax"]),
                  "a shallow plain net trains": m["shallowPlain"] >= t["shallowAccuracyMin"],
                  "plain gradients vanish": m["plainGradRatio"] <= t["plainGradRatioMax"]}
    elif pid == "residual100":
        m = {"residualBn": accuracy(run(preset, "bn", None, seed)), "plain": accuracy(run(preset, "plain", None, seed)),
             "bnAlone": accuracy(run(preset, "bn", "alone", seed)),
             "residualAlone": accuracy(run(preset, "plain", "alone", seed))}
        checks = {"residual + bn trains": m["residualBn"] >= t["bothAccuracyMin"],
                  "plain fails": fails(m["plain"], t["aloneAccuracyMax"]),
                  "bn alone fails": fails(m["bnAlone"], t["aloneAccuracyMax"]),
                  "residual alone fails": fails(m["residualAlone"], t["aloneAccuracyMax"])}
    elif pid == "placement":
        before, after = run(preset, "bn", None, seed), run(preset, "plain", None, seed)
        # train-mode accuracy: see scripts/preset-claims.mjs (eval mode flips on seed 2)
        m = {"beforeAccuracy": before["evaluation"]["trainModeAccuracy"],
             "afterAccuracy": after["evaluation"]["trainModeAccuracy"],
             "beforeSaturation": max_saturation(before), "afterSaturation": max_saturation(after)}
        checks = {"both train": min(m["beforeAccuracy"], m["afterAccuracy"]) >= t["accuracyMin"],
                  "before: few saturate": m["beforeSaturation"] <= t["beforeSaturationMax"],
                  "after: many saturate": m["afterSaturation"] >= t["afterSaturationMin"]}
    elif pid == "slowStats":
        slow = run(preset, "bn", None, seed, recalibrate=True)
        fast = run(preset, "plain", None, seed, recalibrate=True)
        control = fast["evaluation"]
        e, r = slow["evaluation"], slow["recalibrated"]
        lag, follows, snapped = running_gap(slow["running"]), running_gap(fast["running"]), running_gap(slow["recalibratedRunning"])
        m = {"evalBefore": e["accuracy"], "trainMode": e["trainModeAccuracy"], "evalAfter": r["accuracy"],
             "gap": e["trainModeAccuracy"] - e["accuracy"], "afterGap": abs(r["accuracy"] - r["trainModeAccuracy"]),
             "controlGap": control["trainModeAccuracy"] - control["accuracy"],
             # running vs population statistics of layer 1 (shown, not checked: tests/js/trainer-running-stats.test.mjs)
             "runningVarGap": lag[1], "controlRunningVarGap": follows[1], "recalibratedRunningVarGap": snapped[1],
             "runningMeanGap": lag[0], "controlRunningMeanGap": follows[0], "recalibratedRunningMeanGap": snapped[0]}
        checks = {"large gap": m["gap"] >= t["gapMin"], "recalibrate closes it": m["afterGap"] <= t["recalibratedWithin"],
                  "no gap at momentum 0.1": m["controlGap"] <= t["controlGapMax"]}
    else:
        raise ValueError(pid)
    return m, checks


def fmt(v):
    if isinstance(v, float) and math.isnan(v):
        return "div"
    return f"{v:.3g}" if abs(v) < 1e-2 and v != 0 else f"{v:.3f}"


def main():
    torch.set_num_threads(1)
    args = sys.argv[1:]
    config = load_config()
    seeds = config["PRESET_SEEDS"]
    if "--seeds" in args:
        seeds = [int(s) for s in args[args.index("--seeds") + 1].split(",")]
        del args[args.index("--seeds"):args.index("--seeds") + 2]
    ids = args or list(config["PRESET_CONFIGS"])
    print(f"# Preset claims in PyTorch {torch.__version__} (1 thread), seeds {', '.join(map(str, seeds))}\n")
    failed = 0
    for pid in ids:
        preset = config["PRESET_CONFIGS"][pid]
        started = time.time()
        per_seed = [measure(pid, preset, s) for s in seeds]
        print(f"## {preset['name']} ({pid}, {preset['steps']} steps)\n")
        print("| metric | " + " | ".join(f"seed {s}" for s in seeds) + " | mean |")
        print("|---|" + "---|" * (len(seeds) + 1))
        for key in per_seed[0][0]:
            values = [m[key] for m, _ in per_seed]
            finite = [v for v in values if not math.isnan(v)]
            mean = sum(finite) / len(finite) if finite else math.nan
            print(f"| {key} | " + " | ".join(fmt(v) for v in values) + f" | {fmt(mean)} |")
        for name in per_seed[0][1]:
            ok = [c[name] for _, c in per_seed]
            failed += not all(ok)
            print(f"| check: {name} | " + " | ".join("ok" if v else "FAIL" for v in ok) + " | |")
        print(f"\n({time.time() - started:.0f} s)\n")
    print(f"checks failing on some seed: {failed}")


if __name__ == "__main__":
    main()
