"""PyTorch (float32, one thread) on the shapes of bench/data.mjs; one JSON line.

    /usr/bin/python3 bench/torch_bench.py [--quick] [--trainer] [--deep]

Per shape: torch.nn.BatchNorm1d training forward + backward through autograd
(dx, dgamma, dbeta, grads reset each step), and eval forward under no_grad.
Inputs come from the same LCG as bench/data.mjs. With --trainer, also the
steps/s of a 2-16-16-2 MLP with BatchNorm1d after each hidden layer, batch 32,
SGD (lr 0.1), cross-entropy, minibatches drawn from a 400-point data set.
With --deep, the deep networks of bench/deep-networks.mjs: width 32, batch
64, Linear -> BatchNorm1d -> ReLU blocks, SGD lr 0.01, depth 20, 50, and 100
with residual blocks (x + f(x)).
Timing as bench/timing.mjs: warm-up, then 7 samples of >= 25 ms, median
CPU time per call (wall clock alongside).
"""
import json
import math
import resource
import sys
import time

import torch

SHAPES = [(32, 16), (256, 256), (1024, 1024), (4096, 1024)]
CHECK_SHAPE = (32, 16)
EPS = 1e-5


def affine_power(steps):
    """(A, C) such that `steps` LCG steps map s to (A s + C) mod 2^32."""
    ra, rc, ba, bc = 1, 0, 1664525, 1013904223
    while steps:
        if steps & 1:
            ra, rc = (ba * ra) & 0xFFFFFFFF, (ba * rc + bc) & 0xFFFFFFFF
        ba, bc = (ba * ba) & 0xFFFFFFFF, (ba * bc + bc) & 0xFFFFFFFF
        steps >>= 1
    return ra, rc


def lcg_array(count, seed, offset=0.0, scale=1.0):
    """The LCG of bench/data.mjs: s <- (1664525 s + 1013904223) mod 2^32,
    value = offset + scale * (s / 2^32 * 2 - 1), as float32. Vectorized by
    doubling: states[d + j] = F^d(states[j]) (int64 products wrap mod 2^64,
    so the low 32 bits stay exact)."""
    states = torch.empty(count, dtype=torch.int64)
    a, c = affine_power(1)
    states[0] = (a * seed + c) & 0xFFFFFFFF
    done = 1
    while done < count:
        n = min(done, count - done)
        a, c = affine_power(done)
        states[done:done + n] = (states[:n] * a + c) & 0xFFFFFFFF
        done += n
    u = states.to(torch.float64) / 4294967296.0 * 2.0 - 1.0
    return (offset + scale * u).to(torch.float32)


def case_data(batch, features):
    total = batch * features
    return {
        "x": lcg_array(total, 1, 0.5, 2.0).reshape(batch, features),
        "dy": lcg_array(total, 2, 0.0, 1.0).reshape(batch, features),
        "gamma": lcg_array(features, 3, 1.0, 0.5),
        "beta": lcg_array(features, 4, 0.0, 0.5),
    }


def summarize(times):
    times = sorted(times)
    mid = len(times) // 2
    median = times[mid] if len(times) % 2 else (times[mid - 1] + times[mid]) / 2
    return {"medianMs": median, "minMs": times[0], "maxMs": times[-1]}


def measure(fn, quick):
    """Median ms per call on the process CPU-time clock (user + system, as
    bench/timing.mjs), with the wall-clock figures alongside."""
    warmup_s, samples, min_sample_s = (0.02, 3, 0.005) if quick else (0.15, 7, 0.025)
    calls, t0, c0 = 0, time.perf_counter(), time.process_time()
    while calls < 3 or time.perf_counter() - t0 < warmup_s:
        fn()
        calls += 1
    estimate = min(time.perf_counter() - t0, time.process_time() - c0) / calls
    per_sample = max(1, math.ceil(min_sample_s / max(estimate, 1e-9)))
    cpu, wall = [], []
    for _ in range(samples):
        t, c = time.perf_counter(), time.process_time()
        for _ in range(per_sample):
            fn()
        wall.append((time.perf_counter() - t) * 1000.0 / per_sample)
        cpu.append((time.process_time() - c) * 1000.0 / per_sample)
    return {**summarize(cpu), "clock": "cpu", "wall": summarize(wall),
            "samples": samples, "callsPerSample": per_sample}


class BNCase:
    def __init__(self, batch, features):
        d = case_data(batch, features)
        self.x = d["x"].clone().requires_grad_(True)
        self.dy = d["dy"]
        self.layer = torch.nn.BatchNorm1d(features, eps=EPS)
        self.eval_layer = torch.nn.BatchNorm1d(features, eps=EPS).eval()
        with torch.no_grad():
            for layer in (self.layer, self.eval_layer):
                layer.weight.copy_(d["gamma"])
                layer.bias.copy_(d["beta"])
            self.eval_layer.running_mean.copy_(d["gamma"])
            self.eval_layer.running_var.copy_(d["gamma"])

    def train_step(self):
        self.x.grad = None
        self.layer.weight.grad = None
        self.layer.bias.grad = None
        y = self.layer(self.x)
        y.backward(self.dy)
        return y

    def eval_forward(self):
        with torch.no_grad():
            return self.eval_layer(self.x)


def cost_per_call(fn, calls):
    """Minor page faults and CPU time (user, system) per call, as
    bench/bn-bench.mjs measures them: PyTorch's CPU allocator (malloc) hands
    freed output tensors' memory back to later calls, so no faults per call."""
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    for _ in range(calls):
        fn()
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    return {"calls": calls,
            "minorPageFaults": (r1.ru_minflt - r0.ru_minflt) / calls,
            "userMs": (r1.ru_utime - r0.ru_utime) * 1000 / calls,
            "systemMs": (r1.ru_stime - r0.ru_stime) * 1000 / calls}


def head(t):
    return [float(v) for v in t.detach().reshape(-1)[:8]]


def sgd_steps_per_second(net, batch, lr, quick):
    """Steps/s of net trained by SGD on minibatches of `batch` drawn from a
    400-point data set: one step = sample a minibatch, forward, cross-entropy,
    backward, update."""
    torch.manual_seed(1)
    points = torch.randn(400, 2)
    labels = (points[:, 0] * points[:, 1] > 0).long()
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    order = torch.randperm(400)
    cursor = [0]

    def step():
        i = cursor[0]
        if i + batch > 400:
            order.copy_(torch.randperm(400))
            i = 0
        idx = order[i:i + batch]
        cursor[0] = i + batch
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(points[idx]), labels[idx])
        loss.backward()
        opt.step()
        return loss

    t = measure(step, quick)
    return {"stepMs": t, "stepsPerSecond": 1000.0 / t["medianMs"]}


def trainer_steps_per_second(quick):
    """2-16-16-2 MLP, BatchNorm1d after each hidden linear layer, ReLU, SGD lr 0.1, batch 32."""
    torch.manual_seed(1)
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 16), torch.nn.BatchNorm1d(16), torch.nn.ReLU(),
        torch.nn.Linear(16, 16), torch.nn.BatchNorm1d(16), torch.nn.ReLU(),
        torch.nn.Linear(16, 2))
    return sgd_steps_per_second(net, 32, 0.1, quick)


# bench/deep-networks.mjs, written out: (key, depth, residual), width, batch, lr.
DEEP_NETWORKS = [("depth20", 20, False), ("depth50", 50, False), ("depth100res", 100, True)]
DEEP_WIDTH, DEEP_BATCH, DEEP_LR = 32, 64, 0.01


class Block(torch.nn.Module):
    """Linear -> BatchNorm1d -> ReLU, plus the input on a residual path."""

    def __init__(self, fan_in, width, residual):
        super().__init__()
        self.f = torch.nn.Sequential(torch.nn.Linear(fan_in, width), torch.nn.BatchNorm1d(width), torch.nn.ReLU())
        self.residual = residual and fan_in == width

    def forward(self, x):
        return x + self.f(x) if self.residual else self.f(x)


def deep_trainer_steps_per_second(depth, residual, quick):
    torch.manual_seed(1)
    blocks = [Block(2 if l == 0 else DEEP_WIDTH, DEEP_WIDTH, residual) for l in range(depth)]
    net = torch.nn.Sequential(*blocks, torch.nn.Linear(DEEP_WIDTH, 2))
    return sgd_steps_per_second(net, DEEP_BATCH, DEEP_LR, quick)


def main():
    quick = "--quick" in sys.argv
    torch.set_num_threads(1)
    out = {"engine": "pytorch",
           "info": {"version": torch.__version__, "threads": torch.get_num_threads()},
           "trainStep": {}, "evalForward": {}}
    c = BNCase(*CHECK_SHAPE)
    y = c.train_step()
    out["check"] = {"y": head(y), "dx": head(c.x.grad), "dgamma": head(c.layer.weight.grad),
                    "dbeta": head(c.layer.bias.grad)}
    for batch, features in SHAPES:
        key = f"{batch}x{features}"
        c = BNCase(batch, features)
        out["trainStep"][key] = measure(c.train_step, quick)
        out["trainStep"][key]["cost"] = cost_per_call(
            c.train_step, max(3, min(out["trainStep"][key]["callsPerSample"], 50)))
        out["evalForward"][key] = measure(c.eval_forward, quick)
    if "--trainer" in sys.argv:
        out["trainer"] = trainer_steps_per_second(quick)
    if "--deep" in sys.argv:
        out["deepTrainer"] = {key: deep_trainer_steps_per_second(depth, residual, quick)
                              for key, depth, residual in DEEP_NETWORKS}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
