"""Golden cases for BatchNorm1d on [N, C, L], BatchNorm2d, LayerNorm, GroupNorm
and InstanceNorm2d (called by make_golden.py; see its docstring for the
number formats and error measures).

A case is a torch layer (class name and constructor arguments, optional
initial gamma/beta/running statistics) and a sequence of steps; a step is one
forward in "train" or "eval" mode on x of `shape` (float32, row-major) then
one backward with dy. For each step the file holds what torch float32 gives
(y, dx, dgamma, dbeta, running_mean, running_var, num_batches_tracked where
the layer has them), the float64 truth (torch in float64 from the same
float32 inputs and the float32 state torch held before the step) and
torch float32's error against it.
"""
import numpy as np
import torch

from golden_format import f32_list, f64_list, normwise, elementwise

LAYERS = {
    "BatchNorm1d": torch.nn.BatchNorm1d,
    "BatchNorm2d": torch.nn.BatchNorm2d,
    "LayerNorm": torch.nn.LayerNorm,
    "GroupNorm": torch.nn.GroupNorm,
    "InstanceNorm2d": torch.nn.InstanceNorm2d,
}


def make_layer(layer, args, dtype):
    return LAYERS[layer](**args).to(dtype)


def params(m):
    """(weight, bias) of a torch norm layer, or (None, None)."""
    return getattr(m, "weight", None), getattr(m, "bias", None)


def copy_state(dst, src):
    with torch.no_grad():
        for d, s in zip(params(dst), params(src)):
            if d is not None:
                d.copy_(s)
        if getattr(src, "running_mean", None) is not None:
            dst.running_mean.copy_(src.running_mean)
            dst.running_var.copy_(src.running_var)
            dst.num_batches_tracked.copy_(src.num_batches_tracked)


def run_step(m, mode, x, dy, dtype):
    m.train(mode == "train")
    weight, bias = params(m)
    for p in (weight, bias):
        if p is not None:
            p.grad = None
    xt = torch.tensor(x, dtype=torch.float32).to(dtype).requires_grad_(True)
    y = m(xt)
    y.backward(torch.tensor(dy, dtype=torch.float32).to(dtype))
    out = {"y": y.detach().numpy(), "dx": xt.grad.numpy()}
    if weight is not None:
        out["dgamma"] = weight.grad.numpy().copy()
        out["dbeta"] = bias.grad.numpy().copy()
    if getattr(m, "running_mean", None) is not None:
        out["running_mean"] = m.running_mean.detach().numpy().copy()
        out["running_var"] = m.running_var.detach().numpy().copy()
        out["num_batches_tracked"] = int(m.num_batches_tracked.item())
    return out


def lists(out, convert):
    return {k: (v if k == "num_batches_tracked" else convert(v)) for k, v in out.items()}


def build_case(name, layer, args, steps, init=None, large_offset=False, note=""):
    """steps: list of (mode, x float32 array of the input's shape, dy)."""
    f32 = make_layer(layer, args, torch.float32)
    f64 = make_layer(layer, args, torch.float64)
    init = init or {}
    with torch.no_grad():
        weight, bias = params(f32)
        if "gamma" in init: weight.copy_(torch.tensor(init["gamma"]))
        if "beta" in init: bias.copy_(torch.tensor(init["beta"]))
        if "running_mean" in init: f32.running_mean.copy_(torch.tensor(init["running_mean"]))
        if "running_var" in init: f32.running_var.copy_(torch.tensor(init["running_var"]))
    case = {"name": name, "note": note, "layer": layer, "args": args, "large_offset": large_offset,
            "init": {k: f32_list(v) for k, v in init.items()}, "steps": []}
    for mode, x, dy in steps:
        x = np.asarray(x, np.float32)
        dy = np.asarray(dy, np.float32)
        assert x.shape == dy.shape
        copy_state(f64, f32)  # the truth starts from torch's float32 state
        truth = run_step(f64, mode, x, dy, torch.float64)
        ours = run_step(f32, mode, x, dy, torch.float32)
        case["steps"].append({
            "mode": mode, "shape": list(x.shape), "x": f32_list(x), "dy": f32_list(dy),
            "torch": lists(ours, f32_list), "truth": lists(truth, f64_list),
            "torch_error": {k: {"normwise": normwise(ours[k], truth[k]),
                                "elementwise": elementwise(ours[k], truth[k])} for k in ("y", "dx")},
        })
    return case


class Data:
    """Deterministic inputs: one generator per file."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def randn(self, shape, scale=1.0, offset=0.0):
        return (offset + scale * self.rng.standard_normal(shape)).astype(np.float32)

    def steps(self, modes, shape, **kw):
        return [(mode, self.randn(shape, **kw), self.randn(shape)) for mode in modes]

    def vec(self, n, scale=1.0, offset=0.0):
        return self.randn((n,), scale, offset)


TRAIN3_EVAL = ["train", "train", "train", "eval"]


def batchnorm_cases():
    d = Data(20240611)
    c = []
    bn1 = lambda n, **kw: {"num_features": n, "eps": 1e-5, "momentum": 0.1, "affine": True, **kw}
    c.append(build_case("BatchNorm1d [3, 4, 5] (N, C, L), gamma/beta set", "BatchNorm1d", bn1(4),
                        d.steps(TRAIN3_EVAL, (3, 4, 5), scale=2.0, offset=0.5),
                        init={"gamma": d.vec(4, 0.5, 1.0), "beta": d.vec(4)}))
    c.append(build_case("BatchNorm1d [1, 3, 7]: batch 1, L > 1 (allowed)", "BatchNorm1d", bn1(3, momentum=None),
                        d.steps(["train", "train", "eval"], (1, 3, 7))))
    c.append(build_case("BatchNorm1d [2, 5, 3], affine false", "BatchNorm1d", bn1(5, affine=False),
                        d.steps(TRAIN3_EVAL, (2, 5, 3), scale=0.3)))
    bn2 = lambda n, **kw: {"num_features": n, "eps": 1e-5, "momentum": 0.1, "affine": True, **kw}
    c.append(build_case("BatchNorm2d [2, 3, 4, 5], defaults", "BatchNorm2d", bn2(3),
                        d.steps(TRAIN3_EVAL, (2, 3, 4, 5))))
    c.append(build_case("BatchNorm2d [1, 3, 3, 3]: batch 1, H*W > 1 (allowed)", "BatchNorm2d",
                        bn2(3, momentum=0.5), d.steps(TRAIN3_EVAL, (1, 3, 3, 3), offset=1.0),
                        init={"gamma": d.vec(3, 0.5, 1.0), "beta": d.vec(3)}))
    c.append(build_case("BatchNorm2d [5, 3, 1, 1]: H*W = 1", "BatchNorm2d", bn2(3),
                        d.steps(["train", "train", "eval"], (5, 3, 1, 1))))
    c.append(build_case("BatchNorm2d [3, 5, 2, 7], momentum null, affine false", "BatchNorm2d",
                        bn2(5, momentum=None, affine=False), d.steps(TRAIN3_EVAL, (3, 5, 2, 7), scale=3.0)))
    c.append(build_case("BatchNorm2d eval first with set running stats, then train", "BatchNorm2d", bn2(4, momentum=1.0),
                        d.steps(["eval", "train", "eval"], (2, 4, 3, 3), scale=2.0, offset=1.0),
                        init={"running_mean": d.vec(4), "running_var": (0.5 + d.rng.random(4)).astype(np.float32),
                              "gamma": d.vec(4, 1.0, 1.0), "beta": d.vec(4)}))
    c.append(build_case("BatchNorm2d large offset: x = 1000 + 0.01 noise", "BatchNorm2d", bn2(3, momentum=None),
                        d.steps(TRAIN3_EVAL, (2, 3, 4, 4), scale=0.01, offset=1000.0), large_offset=True,
                        init={"gamma": d.vec(3, 0.3, 1.0), "beta": d.vec(3)}))
    c.append(build_case("BatchNorm2d large offset: x = 1e4 + 0.5 noise", "BatchNorm2d", bn2(4, momentum=0.5),
                        d.steps(TRAIN3_EVAL, (3, 4, 3, 5), scale=0.5, offset=1e4), large_offset=True))
    c.append(build_case("BatchNorm1d [4, 3, 6] large offset: x = 1000 + 0.01 noise", "BatchNorm1d", bn1(3),
                        d.steps(TRAIN3_EVAL, (4, 3, 6), scale=0.01, offset=1000.0), large_offset=True))
    return c


def layernorm_cases():
    d = Data(20240612)
    c = []
    ln = lambda shape, **kw: {"normalized_shape": shape, "eps": 1e-5, "elementwise_affine": True, **kw}
    c.append(build_case("LayerNorm [7] on [5, 7]", "LayerNorm", ln([7]), d.steps(["train", "eval"], (5, 7))))
    c.append(build_case("LayerNorm [3, 4, 5] on [2, 3, 4, 5], gamma/beta set", "LayerNorm", ln([3, 4, 5]),
                        d.steps(["train", "train", "eval"], (2, 3, 4, 5), scale=2.0, offset=-1.0),
                        init={"gamma": d.randn((3, 4, 5), 0.5, 1.0), "beta": d.randn((3, 4, 5))}))
    c.append(build_case("LayerNorm [5] on [2, 3, 2, 5] (12 rows)", "LayerNorm", ln([5]),
                        d.steps(["train", "eval"], (2, 3, 2, 5)),
                        init={"gamma": d.vec(5, 0.5, 1.0), "beta": d.vec(5)}))
    c.append(build_case("LayerNorm [2, 9] on [3, 2, 9], elementwise_affine false", "LayerNorm",
                        ln([2, 9], elementwise_affine=False), d.steps(["train", "eval"], (3, 2, 9), scale=0.1)))
    c.append(build_case("LayerNorm [1] on [4, 1]: one value per row (var 0)", "LayerNorm", ln([1]),
                        d.steps(["train", "eval"], (4, 1)), init={"gamma": d.vec(1, 0.5, 1.0), "beta": d.vec(1)}))
    c.append(build_case("LayerNorm [3, 4] on [3, 4]: no batch dims (one row)", "LayerNorm", ln([3, 4], eps=1e-3),
                        d.steps(["train", "eval"], (3, 4))))
    c.append(build_case("LayerNorm [33] on [6, 33]: D not a multiple of 8", "LayerNorm", ln([33]),
                        d.steps(["train", "eval"], (6, 33), scale=3.0)))
    c.append(build_case("LayerNorm large offset: x = 1000 + 0.01 noise, [4, 20]", "LayerNorm", ln([20]),
                        d.steps(["train", "eval"], (4, 20), scale=0.01, offset=1000.0), large_offset=True,
                        init={"gamma": d.vec(20, 0.3, 1.0), "beta": d.vec(20)}))
    c.append(build_case("LayerNorm large offset: x = 1e4 + 0.5 noise, [3, 2, 4, 4]", "LayerNorm", ln([2, 4, 4]),
                        d.steps(["train", "eval"], (3, 2, 4, 4), scale=0.5, offset=1e4), large_offset=True))
    return c


def groupnorm_cases():
    d = Data(20240613)
    c = []
    gn = lambda g, ch, **kw: {"num_groups": g, "num_channels": ch, "eps": 1e-5, "affine": True, **kw}
    shape = (2, 6, 3, 3)
    for g, what in ((1, "G = 1"), (2, "G = 2 (between)"), (3, "G = 3 (between)"), (6, "G = C")):
        c.append(build_case(f"GroupNorm {what} on [2, 6, 3, 3]", "GroupNorm", gn(g, 6),
                            d.steps(["train", "eval"], shape, scale=2.0, offset=0.5),
                            init={"gamma": d.vec(6, 0.5, 1.0), "beta": d.vec(6)}))
    c.append(build_case("GroupNorm G = 2 on [3, 4] ([N, C] input)", "GroupNorm", gn(2, 4), d.steps(["train", "eval"], (3, 4))))
    c.append(build_case("GroupNorm G = 4 on [2, 4]: one value per group (var 0)", "GroupNorm", gn(4, 4),
                        d.steps(["train", "eval"], (2, 4)), init={"gamma": d.vec(4, 0.5, 1.0), "beta": d.vec(4)}))
    c.append(build_case("GroupNorm G = 2 on [1, 4, 2, 3]: batch 1", "GroupNorm", gn(2, 4), d.steps(["train", "eval"], (1, 4, 2, 3))))
    c.append(build_case("GroupNorm G = 3 on [2, 6, 5] (N, C, L), affine false", "GroupNorm", gn(3, 6, affine=False),
                        d.steps(["train", "eval"], (2, 6, 5), scale=0.2)))
    c.append(build_case("GroupNorm G = 2 on [2, 4, 3, 7]: odd H*W", "GroupNorm", gn(2, 4, eps=1e-3),
                        d.steps(["train", "train", "eval"], (2, 4, 3, 7))))
    c.append(build_case("GroupNorm large offset: x = 1000 + 0.01 noise, G = 2", "GroupNorm", gn(2, 4),
                        d.steps(["train", "eval"], (2, 4, 3, 3), scale=0.01, offset=1000.0), large_offset=True,
                        init={"gamma": d.vec(4, 0.3, 1.0), "beta": d.vec(4)}))
    c.append(build_case("GroupNorm large offset: x = 1e4 + 0.5 noise, G = 1", "GroupNorm", gn(1, 3),
                        d.steps(["train", "eval"], (3, 3, 4, 4), scale=0.5, offset=1e4), large_offset=True))
    return c


def instancenorm_cases():
    d = Data(20240614)
    c = []
    inn = lambda n, **kw: {"num_features": n, "eps": 1e-5, "momentum": 0.1, "affine": False,
                           "track_running_stats": False, **kw}
    c.append(build_case("InstanceNorm2d [2, 3, 4, 4], defaults (no affine, no tracking)", "InstanceNorm2d", inn(3),
                        d.steps(["train", "eval"], (2, 3, 4, 4))))
    c.append(build_case("InstanceNorm2d [3, 5, 3, 7], affine", "InstanceNorm2d", inn(5, affine=True),
                        d.steps(["train", "eval"], (3, 5, 3, 7), scale=2.0, offset=-0.5),
                        init={"gamma": d.vec(5, 0.5, 1.0), "beta": d.vec(5)}))
    c.append(build_case("InstanceNorm2d [2, 3, 3, 3], tracking: train x3 then eval with running stats",
                        "InstanceNorm2d", inn(3, track_running_stats=True),
                        d.steps(TRAIN3_EVAL, (2, 3, 3, 3), offset=1.0)))
    c.append(build_case("InstanceNorm2d [2, 4, 2, 5], affine + tracking, momentum 0.5", "InstanceNorm2d",
                        inn(4, affine=True, track_running_stats=True, momentum=0.5),
                        d.steps(TRAIN3_EVAL, (2, 4, 2, 5), scale=3.0),
                        init={"gamma": d.vec(4, 0.5, 1.0), "beta": d.vec(4),
                              "running_mean": d.vec(4), "running_var": (0.5 + d.rng.random(4)).astype(np.float32)}))
    c.append(build_case("InstanceNorm2d [3, 4, 5] unbatched (C, H, W)", "InstanceNorm2d", inn(3, affine=True),
                        d.steps(["train", "eval"], (3, 4, 5))))
    c.append(build_case("InstanceNorm2d [4, 2, 1, 1] with tracking: H*W = 1 in eval (allowed)", "InstanceNorm2d",
                        inn(2, track_running_stats=True),
                        [("eval", d.randn((4, 2, 1, 1)), d.randn((4, 2, 1, 1)))],
                        init={"running_mean": d.vec(2), "running_var": (0.5 + d.rng.random(2)).astype(np.float32)}))
    c.append(build_case("InstanceNorm2d large offset: x = 1000 + 0.01 noise", "InstanceNorm2d", inn(3, affine=True),
                        d.steps(["train", "eval"], (2, 3, 4, 4), scale=0.01, offset=1000.0), large_offset=True,
                        init={"gamma": d.vec(3, 0.3, 1.0), "beta": d.vec(3)}))
    c.append(build_case("InstanceNorm2d large offset: x = 1e4 + 0.5 noise, tracking", "InstanceNorm2d",
                        inn(2, track_running_stats=True),
                        d.steps(["train", "train", "eval"], (3, 2, 5, 5), scale=0.5, offset=1e4), large_offset=True))
    return c


FILES = {
    "golden_batchnorm.json": batchnorm_cases,
    "golden_layernorm.json": layernorm_cases,
    "golden_groupnorm.json": groupnorm_cases,
    "golden_instancenorm.json": instancenorm_cases,
}
