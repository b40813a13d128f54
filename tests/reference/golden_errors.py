"""Bad inputs PyTorch has a message for, with torch's message (called by
make_golden.py; writes tests/data/golden_errors.json).

Each case builds a torch layer (and, for "forward" cases, runs one forward in
`mode` on an input of `shape`) and records the exception torch raises. The
C++ test (tests/cpp/test_golden_errors.cpp) does the same with our layer and
checks that our std::invalid_argument contains every string of
`ours_must_say`:
  match "verbatim"  torch's own message, with torch.Size([...]) written [...]
                    (ours says exactly what torch says, then may add a hint);
  match "keywords"  where torch's words name its internals (running_mean,
                    weight) or are an IndexError: ours names `shape` and the
                    sizes instead, the strings listed.
"""
import re

import torch

CASES = [
    # (name, layer, constructor args, where, mode, shape, match, keywords)
    ("BatchNorm1d: batch 1 when training", "BatchNorm1d", {"num_features": 3}, "forward", "train", [1, 3], "verbatim", None),
    ("BatchNorm1d: [1, 3, 1] when training", "BatchNorm1d", {"num_features": 3}, "forward", "train", [1, 3, 1], "verbatim", None),
    ("BatchNorm1d: 4-D input", "BatchNorm1d", {"num_features": 3}, "forward", "train", [2, 3, 2, 2], "verbatim", None),
    ("BatchNorm1d: 1-D input", "BatchNorm1d", {"num_features": 3}, "forward", "eval", [3], "verbatim", None),
    ("BatchNorm1d: 4 channels, layer has 3", "BatchNorm1d", {"num_features": 3}, "forward", "train", [2, 4], "keywords",
     ["shape [2, 4]", "expected 3 channels", "got 4"]),
    ("BatchNorm1d: [2, 4, 5], layer has 3 channels", "BatchNorm1d", {"num_features": 3}, "forward", "eval", [2, 4, 5], "keywords",
     ["shape [2, 4, 5]", "expected 3 channels", "got 4"]),
    ("BatchNorm2d: [1, 3, 1, 1] when training", "BatchNorm2d", {"num_features": 3}, "forward", "train", [1, 3, 1, 1], "verbatim", None),
    ("BatchNorm2d: 3-D input", "BatchNorm2d", {"num_features": 3}, "forward", "train", [2, 3, 4], "verbatim", None),
    ("BatchNorm2d: 4 channels, layer has 3", "BatchNorm2d", {"num_features": 3}, "forward", "train", [2, 4, 2, 2], "keywords",
     ["shape [2, 4, 2, 2]", "expected 3 channels", "got 4"]),
    ("LayerNorm: [2, 3] with normalized_shape [4]", "LayerNorm", {"normalized_shape": [4]}, "forward", "train", [2, 3], "verbatim", None),
    ("LayerNorm: [2, 3, 2, 3] with normalized_shape [3, 2, 2]", "LayerNorm", {"normalized_shape": [3, 2, 2]}, "forward", "eval",
     [2, 3, 2, 3], "verbatim", None),
    ("LayerNorm: [3] with normalized_shape [2, 3] (fewer dims)", "LayerNorm", {"normalized_shape": [2, 3]}, "forward", "train",
     [3], "verbatim", None),
    ("LayerNorm: empty normalized_shape", "LayerNorm", {"normalized_shape": []}, "forward", "train", [2, 3], "verbatim", None),
    ("GroupNorm: 4 channels in 3 groups", "GroupNorm", {"num_groups": 3, "num_channels": 4}, "constructor", None, None, "verbatim", None),
    ("GroupNorm: input channels not divisible by num_groups", "GroupNorm", {"num_groups": 2, "num_channels": 4}, "forward", "train",
     [2, 5, 2, 2], "verbatim", None),
    ("GroupNorm: 6 channels, layer has 4", "GroupNorm", {"num_groups": 2, "num_channels": 4}, "forward", "train", [2, 6, 2, 2],
     "keywords", ["shape [2, 6, 2, 2]", "expected 4 channels", "got 6"]),
    ("GroupNorm: [1, 4] with 4 groups (one value)", "GroupNorm", {"num_groups": 4, "num_channels": 4}, "forward", "train", [1, 4],
     "verbatim", None),
    ("GroupNorm: [1, 4, 1, 1] with 4 groups, eval (PyTorch checks in every mode)", "GroupNorm",
     {"num_groups": 4, "num_channels": 4}, "forward", "eval", [1, 4, 1, 1], "verbatim", None),
    ("GroupNorm: 1-D input", "GroupNorm", {"num_groups": 2, "num_channels": 4}, "forward", "train", [4], "keywords",
     ["shape [4]", "at least 2 dimensions"]),
    ("InstanceNorm2d: H*W = 1 when training", "InstanceNorm2d", {"num_features": 3}, "forward", "train", [2, 3, 1, 1], "verbatim", None),
    ("InstanceNorm2d: H*W = 1 in eval without tracking", "InstanceNorm2d", {"num_features": 3}, "forward", "eval", [2, 3, 1, 1],
     "verbatim", None),
    ("InstanceNorm2d: unbatched [3, 1, 1] when training", "InstanceNorm2d", {"num_features": 3}, "forward", "train", [3, 1, 1],
     "verbatim", None),
    ("InstanceNorm2d: 2-D input", "InstanceNorm2d", {"num_features": 3}, "forward", "train", [3, 2], "verbatim", None),
    ("InstanceNorm2d: 5-D input", "InstanceNorm2d", {"num_features": 3}, "forward", "train", [1, 1, 3, 2, 2], "verbatim", None),
    ("InstanceNorm2d: 4 channels, affine layer has 3", "InstanceNorm2d", {"num_features": 3, "affine": True}, "forward", "train",
     [2, 4, 2, 2], "keywords", ["shape [2, 4, 2, 2]", "expected 3 channels", "got 4"]),
    ("InstanceNorm2d: 4 channels, tracking layer has 3", "InstanceNorm2d", {"num_features": 3, "track_running_stats": True},
     "forward", "train", [2, 4, 2, 2], "keywords", ["shape [2, 4, 2, 2]", "expected 3 channels", "got 4"]),
]

LAYERS = {
    "BatchNorm1d": torch.nn.BatchNorm1d, "BatchNorm2d": torch.nn.BatchNorm2d, "LayerNorm": torch.nn.LayerNorm,
    "GroupNorm": torch.nn.GroupNorm, "InstanceNorm2d": torch.nn.InstanceNorm2d,
}


def torch_error(layer, args, where, mode, shape):
    try:
        m = LAYERS[layer](**args)
        if where == "forward":
            m.train(mode == "train")
            m(torch.zeros(shape))
    except Exception as e:  # noqa: BLE001 - recording whatever torch raises
        return type(e).__name__, str(e).split("\n")[0]
    raise AssertionError(f"torch accepted {layer}({args}) on {shape} in {mode} mode")


def cases():
    out = []
    for name, layer, args, where, mode, shape, match, keywords in CASES:
        kind, message = torch_error(layer, args, where, mode, shape)
        if match == "verbatim":
            keywords = [re.sub(r"torch\.Size\((\[[^\]]*\])\)", r"\1", message)]
        out.append({"name": name, "layer": layer, "args": args, "where": where, "mode": mode, "shape": shape,
                    "torch_exception": kind, "torch_message": message, "match": match, "ours_must_say": keywords})
    return out
