#!/usr/bin/python3
"""Writes the golden data the C++ and JS tests replay, from PyTorch:
  tests/data/golden.json              torch.nn.BatchNorm1d on [batch, features]
  tests/data/golden_batchnorm.json    BatchNorm1d on [N, C, L], BatchNorm2d
  tests/data/golden_layernorm.json    LayerNorm
  tests/data/golden_groupnorm.json    GroupNorm
  tests/data/golden_instancenorm.json InstanceNorm2d
  tests/data/golden_errors.json       bad inputs, with torch's messages
The layers other than BatchNorm1d on 2-D come from golden_layers.py (same
formats, a `layer` and its torch constructor `args` per case, a `shape` per
step) and golden_errors.py; what follows describes golden.json.

Run:  /usr/bin/python3 tests/reference/make_golden.py      (torch 1.13, CPU)

Every case is a layer (features, eps, momentum or null, affine, optional
initial gamma/beta/running stats) and a sequence of steps. A step is one
forward in "train" or "eval" mode on x (float32, batch x features, row-major)
followed by one backward with dy. For each step the file holds

  torch  what torch.nn.BatchNorm1d in float32 gives: y, dx, dgamma, dbeta and
         the state after the step (running_mean, running_var,
         num_batches_tracked);
  truth  the same step computed by torch in float64 from the same float32
         inputs (x, dy and the float32 state torch held before the step);
  torch_error  how far torch float32 is from that truth, for y and dx:
         normwise    max_i |a_i - t_i| / max_i |t_i|
         elementwise max_i |a_i - t_i| / max(|t_i|, FLOOR * max_j |t_j|)
         so tests can check the accuracy ratio without torch.

Float32 values are written as the shortest decimal that reads back (through a
double, as JSON parsers and JS do) to the same float32; float64 values as the
shortest round-trip double. Seeds are fixed: the output is deterministic.
"""
import json
import math
import os

import numpy as np
import torch

import golden_errors
import golden_layers
from golden_format import FLOOR, f32_list, f64_list, normwise, elementwise

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
OUT = os.path.join(OUT_DIR, "golden.json")


def make_layer(features, eps, momentum, affine, dtype):
    layer = torch.nn.BatchNorm1d(features, eps=eps, momentum=momentum, affine=affine)
    return layer.to(dtype)


def copy_state(dst, src):
    """src's parameters and buffers into dst (cast to dst's dtype)."""
    with torch.no_grad():
        if src.affine:
            dst.weight.copy_(src.weight)
            dst.bias.copy_(src.bias)
        dst.running_mean.copy_(src.running_mean)
        dst.running_var.copy_(src.running_var)
        dst.num_batches_tracked.copy_(src.num_batches_tracked)


def run_step(layer, mode, x, dy, dtype):
    layer.train(mode == "train")
    if layer.affine:
        layer.weight.grad = None
        layer.bias.grad = None
    xt = torch.tensor(x, dtype=torch.float32).to(dtype).requires_grad_(True)
    y = layer(xt)
    y.backward(torch.tensor(dy, dtype=torch.float32).to(dtype))
    out = {
        "y": y.detach().numpy(),
        "dx": xt.grad.numpy(),
        "running_mean": layer.running_mean.detach().numpy().copy(),
        "running_var": layer.running_var.detach().numpy().copy(),
        "num_batches_tracked": int(layer.num_batches_tracked.item()),
    }
    if layer.affine:
        out["dgamma"] = layer.weight.grad.numpy().copy()
        out["dbeta"] = layer.bias.grad.numpy().copy()
    return out


def build_case(name, features, steps, eps=1e-5, momentum=0.1, affine=True, init=None,
               large_offset=False, note=""):
    """steps: list of (mode, x float32 [m, n], dy float32 [m, n])."""
    f32 = make_layer(features, eps, momentum, affine, torch.float32)
    init = init or {}
    with torch.no_grad():
        if "gamma" in init: f32.weight.copy_(torch.tensor(init["gamma"]))
        if "beta" in init: f32.bias.copy_(torch.tensor(init["beta"]))
        if "running_mean" in init: f32.running_mean.copy_(torch.tensor(init["running_mean"]))
        if "running_var" in init: f32.running_var.copy_(torch.tensor(init["running_var"]))
    f64 = make_layer(features, eps, momentum, affine, torch.float64)
    case = {
        "name": name, "note": note, "features": features, "eps": eps, "momentum": momentum,
        "affine": affine, "large_offset": large_offset,
        "init": {k: f32_list(v) for k, v in init.items()},
        "steps": [],
    }
    for mode, x, dy in steps:
        x = np.asarray(x, np.float32)
        dy = np.asarray(dy, np.float32)
        assert x.shape == dy.shape and x.shape[1] == features
        copy_state(f64, f32)  # truth starts from torch's float32 state
        truth = run_step(f64, mode, x, dy, torch.float64)
        torch_out = run_step(f32, mode, x, dy, torch.float32)
        step = {
            "mode": mode, "batch": int(x.shape[0]),
            "x": f32_list(x), "dy": f32_list(dy),
            "torch": {k: (v if k == "num_batches_tracked" else f32_list(v)) for k, v in torch_out.items()},
            "truth": {k: (v if k == "num_batches_tracked" else f64_list(v)) for k, v in truth.items()},
            "torch_error": {
                "y": {"normwise": normwise(torch_out["y"], truth["y"]),
                      "elementwise": elementwise(torch_out["y"], truth["y"])},
                "dx": {"normwise": normwise(torch_out["dx"], truth["dx"]),
                       "elementwise": elementwise(torch_out["dx"], truth["dx"])},
            },
        }
        case["steps"].append(step)
    return case


def main():
    torch.set_num_threads(1)
    rng = np.random.default_rng(20240601)

    def randn(m, n, scale=1.0, offset=0.0):
        return (offset + scale * rng.standard_normal((m, n))).astype(np.float32)

    def train_steps(count, m, n, **kw):
        return [("train", randn(m, n, **kw), randn(m, n)) for _ in range(count)]

    def eval_step(m, n, **kw):
        return ("eval", randn(m, n, **kw), randn(m, n))

    cases = []
    cases.append(build_case("shape 3x5, defaults", 5, train_steps(3, 3, 5) + [eval_step(3, 5)]))
    cases.append(build_case(
        "shape 7x13, momentum 0.5, gamma/beta set", 13,
        train_steps(4, 7, 13, scale=2.0, offset=0.5) + [eval_step(7, 13, scale=2.0, offset=0.5)],
        momentum=0.5, init={"gamma": randn(1, 13, scale=0.5, offset=1.0)[0], "beta": randn(1, 13)[0]}))
    cases.append(build_case(
        "shape 64x33, momentum null (cumulative average)", 33,
        train_steps(1, 64, 33, scale=3.0, offset=-1.0) + train_steps(1, 9, 33, scale=3.0, offset=-1.0)
        + [eval_step(3, 33, scale=3.0, offset=-1.0)],
        momentum=None))
    cases.append(build_case("batch 2", 6, train_steps(3, 2, 6) + [eval_step(2, 6)]))
    cases.append(build_case("one feature", 1, train_steps(3, 9, 1, offset=2.0) + [eval_step(5, 1, offset=2.0)],
                            momentum=None))
    cases.append(build_case("affine false", 6, train_steps(3, 10, 6, scale=0.3) + [eval_step(10, 6, scale=0.3)],
                            affine=False))
    cases.append(build_case("affine false, momentum null", 4, train_steps(4, 5, 4) + [eval_step(3, 4)],
                            affine=False, momentum=None))
    # A constant feature: zero batch variance, so xhat = 0 and invstd = 1/sqrt(eps).
    const_steps = []
    for _ in range(3):
        x = randn(8, 5)
        x[:, 1] = 3.25
        x[:, 4] = -0.1
        const_steps.append(("train", x, randn(8, 5)))
    x = randn(4, 5)
    x[:, 1] = 3.25
    const_steps.append(("eval", x, randn(4, 5)))
    cases.append(build_case("constant feature (zero variance)", 5, const_steps,
                            init={"gamma": randn(1, 5, offset=1.0)[0], "beta": randn(1, 5)[0]}))
    cases.append(build_case("eps 1e-3, momentum 0", 4, train_steps(2, 5, 4, scale=0.05) + [eval_step(5, 4, scale=0.05)],
                            eps=1e-3, momentum=0.0))
    cases.append(build_case(
        "eval first with set running stats, then train", 7,
        [eval_step(6, 7, scale=2.0, offset=1.0), eval_step(1, 7, scale=2.0, offset=1.0)]
        + train_steps(2, 6, 7, scale=2.0, offset=1.0) + [eval_step(6, 7, scale=2.0, offset=1.0)],
        momentum=1.0,
        init={"running_mean": randn(1, 7)[0], "running_var": (0.5 + rng.random(7)).astype(np.float32),
              "gamma": randn(1, 7, offset=1.0)[0], "beta": randn(1, 7)[0]}))
    # Large offsets: float32 storage loses digits in x*alpha - mean*alpha forms.
    cases.append(build_case(
        "large offset: x = 1000 + 0.01 noise", 12,
        train_steps(3, 16, 12, scale=0.01, offset=1000.0) + [eval_step(16, 12, scale=0.01, offset=1000.0)],
        momentum=None, large_offset=True,
        init={"gamma": randn(1, 12, scale=0.3, offset=1.0)[0], "beta": randn(1, 12)[0]}))
    cases.append(build_case(
        "large offset: x = 1e4 + 0.5 noise", 10,
        train_steps(3, 32, 10, scale=0.5, offset=1e4) + [eval_step(8, 10, scale=0.5, offset=1e4)],
        momentum=0.5, large_offset=True))
    cases.append(build_case(
        "large offset: x = 1000 + noise, batch 2 and 5 features", 5,
        train_steps(2, 2, 5, scale=0.05, offset=1000.0) + train_steps(1, 37, 5, scale=0.05, offset=1000.0),
        large_offset=True))
    cases.append(build_case(
        "large offset per feature (-3000 .. 5000), affine false", 9,
        [("train", (np.linspace(-3000, 5000, 9) + 0.1 * rng.standard_normal((24, 9))).astype(np.float32),
          randn(24, 9)) for _ in range(2)],
        affine=False, large_offset=True))
    cases.append(build_case(
        "large scale: x = 1e5 noise", 8,
        train_steps(3, 12, 8, scale=1e5) + [eval_step(12, 8, scale=1e5)], momentum=0.1))
    cases.append(build_case(
        "tiny scale: x = 1e-3 noise + 1", 8,
        train_steps(2, 12, 8, scale=1e-3, offset=1.0) + [eval_step(12, 8, scale=1e-3, offset=1.0)]))

    data = {
        "generator": "tests/reference/make_golden.py",
        "torch": torch.__version__,
        "definitions": {
            "layout": "x[i * features + k] is row i, feature k",
            "normwise": "max_i |a_i - t_i| / max_i |t_i|",
            "elementwise": "max_i |a_i - t_i| / max(|t_i|, floor * max_j |t_j|)",
            "floor": FLOOR,
            "truth": "torch float64, same float32 inputs and the float32 state torch held before the step",
        },
        "cases": cases,
    }
    write(OUT, data)
    size = os.path.getsize(OUT)
    print(f"wrote {os.path.normpath(OUT)}: {len(cases)} cases, "
          f"{sum(len(c['steps']) for c in cases)} steps, {size} bytes")
    for c in cases:
        worst_y = max(s["torch_error"]["y"]["normwise"] for s in c["steps"] if s["mode"] == "train")
        worst_dx = max(s["torch_error"]["dx"]["normwise"] for s in c["steps"] if s["mode"] == "train")
        print(f"  {c['name']:<55} torch f32 normwise error (train steps): y {worst_y:.2e}  dx {worst_dx:.2e}")


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


def write_layers():
    """The other layers' files (golden_layers.py) and the bad inputs (golden_errors.py)."""
    for name, make in golden_layers.FILES.items():
        path = os.path.join(OUT_DIR, name)
        cases = make()
        write(path, {
            "generator": "tests/reference/make_golden.py (golden_layers.py)",
            "torch": torch.__version__,
            "definitions": {
                "layout": "x and dy row-major in the step's shape (NCHW)",
                "normwise": "max_i |a_i - t_i| / max_i |t_i|",
                "elementwise": "max_i |a_i - t_i| / max(|t_i|, floor * max_j |t_j|)",
                "floor": FLOOR,
                "truth": "torch float64, same float32 inputs and the float32 state torch held before the step",
            },
            "cases": cases,
        })
        print(f"wrote {os.path.normpath(path)}: {len(cases)} cases, "
              f"{sum(len(c['steps']) for c in cases)} steps, {os.path.getsize(path)} bytes")
        for c in cases:
            worst_y = max(s["torch_error"]["y"]["normwise"] for s in c["steps"])
            worst_dx = max(s["torch_error"]["dx"]["normwise"] for s in c["steps"])
            print(f"  {c['name']:<72} torch f32 normwise error: y {worst_y:.2e}  dx {worst_dx:.2e}")
    path = os.path.join(OUT_DIR, "golden_errors.json")
    errors = golden_errors.cases()
    write(path, {"generator": "tests/reference/make_golden.py (golden_errors.py)", "torch": torch.__version__,
                 "cases": errors})
    print(f"wrote {os.path.normpath(path)}: {len(errors)} bad inputs, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
    write_layers()
