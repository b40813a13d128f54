#!/usr/bin/python3
"""Writes tests/data/trainer_torch.json: short runs of the Trainer rebuilt in
PyTorch (tests/reference/torch_trainer.py: the same points, initial weights
and batches), which tests/cpp/test_trainer_torch.cpp replays with our
Trainer: per-step losses, evaluate() in eval and train mode, layer
statistics, and evaluate() after recalibrate() (torch.optim.swa_utils.update_bn).

    /usr/bin/python3 tests/reference/make_trainer_golden.py      (torch 1.13, CPU, 1 thread)
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_trainer import TorchTrainer  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "trainer_torch.json")
CASES = {
    "defaults": {},
    "tanh residual, BN after the activation, adam":
        dict(hidden=[16, 16, 16], residual=True, activation="tanh", normPlacement="after", optimizer="adam", lr=0.01),
    "sigmoid 12 layers, cumulative running statistics, momentum sgd":
        dict(dataset="moons", hidden=[8] * 12, activation="sigmoid", momentum=None, optimizer="momentum", lr=0.05, seed=4),
    "relu 30 residual BN layers, batch 64":
        dict(dataset="circles", hidden=[16] * 30, residual=True, lr=0.02, batchSize=64, seed=2),
    "residual without normalization":
        dict(dataset="xor", hidden=[8] * 8, residual=True, batchNorm=False, lr=0.01, seed=3),
    "batch 2, slow running statistics":
        dict(dataset="gaussians", samples=100, hidden=[8, 8], batchSize=2, momentum=0.001, lr=0.05, seed=9),
}
STEPS_ONE_BY_ONE, MORE_STEPS = 10, 10


def main():
    torch.set_num_threads(1)
    out = {"generator": "tests/reference/make_trainer_golden.py", "torch": torch.__version__,
           "about": f"per case: options (JS names), the losses of step(1) x {STEPS_ONE_BY_ONE}, then after "
                    f"step({MORE_STEPS}): evaluate(), layerStats(), and evaluate() after recalibrate()",
           "cases": []}
    for name, options in CASES.items():
        t = TorchTrainer(**options)
        losses = [t.step(1) for _ in range(STEPS_ONE_BY_ONE)]
        t.step(MORE_STEPS)
        evaluation, stats = t.evaluate(), t.layer_stats()
        t.recalibrate()
        out["cases"].append({"name": name, "options": options, "losses": losses, "evaluation": evaluation,
                             "layerStats": stats, "recalibrated": t.evaluate()})
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
