#!/usr/bin/python3
"""Writes tests/data/golden_fuse.json: batch norm folded into the Linear or
Conv2d layer before it by torch.nn.utils.fusion (fuse_linear_bn_eval,
fuse_conv_bn_eval), replayed by the C++ and JS tests of bn.fuseLinearBnEval /
bn.fuseConvBnEval.

Run:  /usr/bin/python3 tests/reference/make_golden_fuse.py      (torch 1.13, CPU)

Every case is a layer (Linear [out, in] or Conv2d [out, in, kh, kw], with or
without bias) followed by a BatchNorm1d / BatchNorm2d of `out` channels in
eval mode (eps, affine, running statistics, gamma, beta). For each case the
file holds the float32 inputs and

  torch  the fused weight and bias torch computes in float32;
  truth  the same fold computed by torch in float64 from the same float32
         inputs (the exact answer, to ~1e-16).

torch 1.13's fuse_linear_bn_eval raises a TypeError when the batch norm has
affine=False (it multiplies bn.weight, which is None); for those cases the
torch column comes from fuse_linear_bn_weights with gamma = ones and beta =
zeros, which is what the fold means (fuse_conv_bn_eval handles None itself).

Float32 values are written as the shortest decimal that reads back (through a
double) to the same float32; float64 values as the shortest round-trip
double. Seeds are fixed: the output is deterministic. (make_golden.py writes
the BatchNorm1d cases; this file is kept apart from it.)
"""
import copy
import json
import os

import numpy as np
import torch
from torch.nn.utils import fusion

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "golden_fuse.json")


def f32_list(a):
    """float32 values as shortest decimals that round-trip via a double."""
    out = []
    for v in np.asarray(a, dtype=np.float32).ravel():
        s = float(str(v))
        if np.float32(s) != v:
            s = float(v)
        out.append(s)
    return out


def f64_list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


# name, kind, out, in, (kh, kw), bias, affine, eps, running-variance kind
CASES = [
    ("linear 3x5 with bias", "linear", 3, 5, None, True, True, 1e-5, "normal"),
    ("linear 7x1 bias None", "linear", 7, 1, None, False, True, 1e-5, "normal"),
    ("linear 13x11 odd sizes", "linear", 13, 11, None, True, True, 1e-5, "normal"),
    ("linear 4x6 affine False", "linear", 4, 6, None, True, False, 1e-5, "normal"),
    ("linear 5x3 eps 1e-3", "linear", 5, 3, None, True, True, 1e-3, "normal"),
    ("linear 6x4 large running var", "linear", 6, 4, None, True, True, 1e-5, "large"),
    ("linear 6x4 tiny running var", "linear", 6, 4, None, True, True, 1e-5, "tiny"),
    ("linear 1x1", "linear", 1, 1, None, True, True, 1e-5, "normal"),
    ("conv 3x2 k3x3 with bias", "conv", 3, 2, (3, 3), True, True, 1e-5, "normal"),
    ("conv 5x3 k1x1 bias None", "conv", 5, 3, (1, 1), False, True, 1e-5, "normal"),
    ("conv 4x1 k2x3 affine False", "conv", 4, 1, (2, 3), True, False, 1e-5, "normal"),
    ("conv 7x5 k3x1 odd sizes", "conv", 7, 5, (3, 1), True, True, 1e-5, "normal"),
    ("conv 2x3 k5x5 eps 1e-3", "conv", 2, 3, (5, 5), True, True, 1e-3, "normal"),
    ("conv 3x2 k3x3 large running var", "conv", 3, 2, (3, 3), False, True, 1e-5, "large"),
    ("conv 3x2 k3x3 tiny running var", "conv", 3, 2, (3, 3), True, True, 1e-5, "tiny"),
]


def running_var(kind, n, rng):
    if kind == "large":
        return rng.uniform(1e5, 1e7, n)
    if kind == "tiny":
        v = 10.0 ** rng.uniform(-9, -5, n)
        v[0] = 0.0   # a constant channel: only eps is left under the root
        return v
    return rng.uniform(0.05, 4.0, n)


def make_case(seed, name, kind, out, inner, kernel, with_bias, affine, eps, var_kind):
    rng = np.random.RandomState(seed)
    if kind == "linear":
        layer = torch.nn.Linear(inner, out, bias=with_bias)
        bn = torch.nn.BatchNorm1d(out, eps=eps, affine=affine)
        shape = (out, inner)
    else:
        layer = torch.nn.Conv2d(inner, out, kernel, bias=with_bias)
        bn = torch.nn.BatchNorm2d(out, eps=eps, affine=affine)
        shape = (out, inner) + tuple(kernel)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(rng.normal(0, 1, shape), dtype=torch.float32))
        if with_bias:
            layer.bias.copy_(torch.tensor(rng.normal(0, 1, out), dtype=torch.float32))
        offset = 100.0 if var_kind == "large" else 1.0
        bn.running_mean.copy_(torch.tensor(rng.normal(0, offset, out), dtype=torch.float32))
        bn.running_var.copy_(torch.tensor(running_var(var_kind, out, rng), dtype=torch.float32))
        if affine:
            bn.weight.copy_(torch.tensor(rng.uniform(-2, 2, out), dtype=torch.float32))
            bn.bias.copy_(torch.tensor(rng.normal(0, 1, out), dtype=torch.float32))
    layer.eval()
    bn.eval()

    if kind == "linear" and affine:
        fused = fusion.fuse_linear_bn_eval(layer, bn)
        torch_w, torch_b = fused.weight, fused.bias
    elif kind == "linear":
        ones, zeros = torch.ones(out), torch.zeros(out)
        torch_w, torch_b = fusion.fuse_linear_bn_weights(layer.weight, layer.bias, bn.running_mean, bn.running_var,
                                                         bn.eps, ones, zeros)
    else:
        fused = fusion.fuse_conv_bn_eval(layer, bn)
        torch_w, torch_b = fused.weight, fused.bias

    # The float64 truth from the same float32 inputs.
    layer64, bn64 = copy.deepcopy(layer).double(), copy.deepcopy(bn).double()
    gamma64 = bn64.weight if affine else torch.ones(out, dtype=torch.float64)
    beta64 = bn64.bias if affine else torch.zeros(out, dtype=torch.float64)
    weights = fusion.fuse_linear_bn_weights if kind == "linear" else fusion.fuse_conv_bn_weights
    truth_w, truth_b = weights(layer64.weight, layer64.bias, bn64.running_mean, bn64.running_var, bn64.eps,
                               gamma64, beta64)

    detach = lambda t: t.detach().numpy()
    case = {
        "name": name, "kind": kind, "outFeatures": out, "inFeatures": inner,
        "kernelSize": list(kernel) if kernel else None, "eps": eps, "affine": affine,
        "weight": f32_list(detach(layer.weight)),
        "bias": f32_list(detach(layer.bias)) if with_bias else None,
        "runningMean": f32_list(detach(bn.running_mean)),
        "runningVar": f32_list(detach(bn.running_var)),
        "gamma": f32_list(detach(bn.weight)) if affine else None,
        "beta": f32_list(detach(bn.bias)) if affine else None,
        "torch": {"weight": f32_list(detach(torch_w)), "bias": f32_list(detach(torch_b))},
        "truth": {"weight": f64_list(detach(truth_w)), "bias": f64_list(detach(truth_b))},
    }
    return case


def main():
    torch.manual_seed(0)
    cases = [make_case(1000 + i, *c) for i, c in enumerate(CASES)]
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
