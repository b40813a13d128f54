"""The bn-wasm Trainer, rebuilt in PyTorch from the same seed: the same
points (bn::make_dataset), the same initial weights (bn::Linear from
bn::Pcg32), the same batch order (drop-last epochs), and torch.nn layers
(Linear, BatchNorm1d, the activations, cross-entropy, torch.optim) doing the
arithmetic. Used by tests/reference/calibrate_presets.py; needs torch, not
needed by any test.

Mirrors cpp/src/rng.cpp, datasets.cpp, linear.cpp, mlp*.cpp, trainer*.cpp.
"""
import copy
import math

import numpy as np
import torch

MASK64 = (1 << 64) - 1
INIT_STREAM, SHUFFLE_STREAM, EVAL_ORDER_STREAM, DATA_STREAM = 0x1417, 0x5EED, 0xE7A1, 0xDA7A


class Pcg32:
    """bn::Pcg32: PCG XSH RR 64/32 with the project's uniform, below, normal."""

    def __init__(self, seed, stream=0):
        self.inc = ((stream << 1) | 1) & MASK64
        self.state = 0
        self.spare = None
        self.next_u32()
        self.state = (self.state + seed) & MASK64
        self.next_u32()

    def next_u32(self):
        old = self.state
        self.state = (old * 6364136223846793005 + self.inc) & MASK64
        xorshifted = (((old >> 18) ^ old) >> 27) & 0xFFFFFFFF
        rot = old >> 59
        return ((xorshifted >> rot) | (xorshifted << ((32 - rot) & 31))) & 0xFFFFFFFF

    def uniform(self):
        a, b = self.next_u32() >> 5, self.next_u32() >> 6
        return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)

    def below(self, n):
        threshold = ((1 << 32) - n) % n
        while True:
            r = self.next_u32()
            if r >= threshold:
                return r % n

    def normal(self):
        if self.spare is not None:
            s, self.spare = self.spare, None
            return s
        u1 = 1.0 - self.uniform()
        u2 = self.uniform()
        r = math.sqrt(-2.0 * math.log(u1))
        theta = 6.283185307179586 * u2
        self.spare = r * math.sin(theta)
        return r * math.cos(theta)


def shuffle(v, rng):
    for i in range(len(v) - 1, 0, -1):
        j = rng.below(i + 1)
        v[i], v[j] = v[j], v[i]


def make_dataset(kind, samples, noise, test_fraction, seed):
    """bn::make_dataset: (x float32 [samples, 2], y int64, train_index, test_index)."""
    rng = Pcg32(seed, DATA_STREAM)
    per_class = [(samples + 1) // 2, samples // 2]
    x = np.zeros((samples, 2), dtype=np.float32)
    y = np.zeros(samples, dtype=np.int64)
    for i in range(samples):
        label, j = i % 2, i // 2
        t = j / per_class[label]
        if kind == "spiral":
            angle = 3.5 * math.pi * t + math.pi * label
            p = (t * math.sin(angle), t * math.cos(angle))
        elif kind == "moons":
            a = math.pi * j / (per_class[label] - 1) if per_class[label] > 1 else 0.0
            p = (math.cos(a) - 0.5, math.sin(a) - 0.25) if label == 0 else (0.5 - math.cos(a), 0.25 - math.sin(a))
        elif kind == "circles":
            a = 2.0 * math.pi * rng.uniform()
            r = 1.0 if label == 0 else 0.5
            p = (r * math.cos(a), r * math.sin(a))
        elif kind == "xor":
            ax, ay = 0.1 + 0.9 * rng.uniform(), 0.1 + 0.9 * rng.uniform()
            sx = -1.0 if rng.uniform() < 0.5 else 1.0
            sy = sx if label == 0 else -sx
            p = (sx * ax, sy * ay)
        elif kind == "gaussians":
            p = (-0.5, -0.5) if label == 0 else (0.5, 0.5)
        else:
            raise ValueError(kind)
        spread = 0.25 + noise if kind == "gaussians" else noise
        nx, ny = rng.normal(), rng.normal()
        x[i] = (p[0] + spread * nx, p[1] + spread * ny)
        y[i] = label
    tests = int(math.floor(samples * test_fraction + 0.5))   # lround for positive values
    order = list(range(samples))
    shuffle(order, rng)
    is_test = [False] * samples
    for k in range(tests):
        is_test[order[k]] = True
    train = [i for i in range(samples) if not is_test[i]]
    test = [i for i in range(samples) if is_test[i]]
    return torch.from_numpy(x), torch.from_numpy(y), train, test


ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}


class Mlp(torch.nn.Module):
    """bn::Mlp: blocks Linear -> Norm -> act ("before") or Linear -> act ->
    Norm ("after"), plus the block's input where residual and widths match."""

    def __init__(self, o, rng):
        super().__init__()
        init = o["init"]
        if init == "auto":
            init = "kaiming" if o["activation"] == "relu" else "xavier"
        widths = [2] + list(o["hidden"]) + [2]
        self.linears = torch.nn.ModuleList()
        for fan_in, fan_out in zip(widths[:-1], widths[1:]):
            lin = torch.nn.Linear(fan_in, fan_out)
            std = math.sqrt(2.0 / fan_in) if init == "kaiming" else math.sqrt(2.0 / (fan_in + fan_out))
            w = [std * rng.normal() for _ in range(fan_in * fan_out)]   # [out x in], row-major
            with torch.no_grad():
                lin.weight.copy_(torch.tensor(w, dtype=torch.float32).reshape(fan_out, fan_in))
                lin.bias.zero_()
            self.linears.append(lin)
        norm = o["norm"]
        self.norms = torch.nn.ModuleList()
        for width in o["hidden"]:
            if norm == "batch":
                self.norms.append(torch.nn.BatchNorm1d(width, eps=1e-5, momentum=o["momentum"]))
            elif norm == "layer":
                self.norms.append(torch.nn.LayerNorm(width, eps=1e-5))
            elif norm == "group":
                self.norms.append(torch.nn.GroupNorm(o["groups"], width, eps=1e-5))
            else:
                self.norms.append(torch.nn.Identity())
        self.has_norm = norm != "none"
        self.before = o["normPlacement"] == "before"
        self.residual = [o["residual"] and a == b for a, b in zip(widths[:-2], widths[1:-1])]
        self.act = ACTIVATIONS[o["activation"]]
        self.kept = None   # per block (activation input, activation output, block output)

    def forward(self, x, keep=False):
        a = x
        kept = []
        for l, norm in enumerate(self.norms):
            z = self.linears[l](a)
            if not self.has_norm:
                pre = z
                h = f = self.act(z)
            elif self.before:
                pre = norm(z)
                h = f = self.act(pre)
            else:
                pre = z
                h = self.act(z)
                f = norm(h)
            out = a + f if self.residual[l] else f
            if keep:
                kept.append((pre.detach(), h.detach(), out.detach()))
            a = out
        if keep:
            self.kept = kept
        return self.linears[-1](a)


DEFAULTS = dict(dataset="spiral", samples=400, noise=0.1, hidden=[16, 16], activation="relu", batchNorm=True,
                optimizer="sgd", lr=0.1, batchSize=32, seed=1, init="auto", testFraction=0.2, norm=None,
                groups=1, normPlacement="before", residual=False, momentum=0.1)


def next_rows(start, total, b):
    m = min(b, total - start)
    return m + 1 if total - start - m == 1 else m


class TorchTrainer:
    """bn::Trainer's stepping, evaluation and recalibration, in torch."""

    def __init__(self, **options):
        o = dict(DEFAULTS, **options)
        if o["norm"] is None:
            o["norm"] = "batch" if o["batchNorm"] else "none"
        self.o = o
        seed = o["seed"]
        self.x, self.y, self.train_index, self.test_index = make_dataset(
            o["dataset"], o["samples"], o["noise"], o["testFraction"], seed)
        self.net = Mlp(o, Pcg32(seed, INIT_STREAM))
        self.net.train()
        params = self.net.parameters()
        if o["optimizer"] == "sgd":
            self.opt = torch.optim.SGD(params, lr=o["lr"])
        elif o["optimizer"] == "momentum":
            self.opt = torch.optim.SGD(params, lr=o["lr"], momentum=0.9)
        else:
            self.opt = torch.optim.Adam(params, lr=o["lr"], betas=(0.9, 0.999), eps=1e-8)
        self.shuffle_rng = Pcg32(seed, SHUFFLE_STREAM)
        self.order = list(self.train_index)
        shuffle(self.order, self.shuffle_rng)
        self.cursor = 0
        eval_rng = Pcg32(seed, EVAL_ORDER_STREAM)
        self.fixed_train = list(self.train_index)
        shuffle(self.fixed_train, eval_rng)
        self.fixed_test = list(self.test_index)
        shuffle(self.fixed_test, eval_rng)
        self.steps = 0
        self.diverged = False
        self.loss_fn = torch.nn.CrossEntropyLoss()

    def step(self, n):
        b = self.o["batchSize"]
        losses = []
        for _ in range(n):
            if self.diverged:
                return float("nan")
            idx = torch.tensor(self.order[self.cursor:self.cursor + b])
            self.cursor += b
            self.opt.zero_grad(set_to_none=True)
            loss = self.loss_fn(self.net(self.x[idx], keep=True), self.y[idx])
            if not torch.isfinite(loss):
                self.diverged = True
                return float("nan")
            loss.backward()
            self.opt.step()
            self.steps += 1
            losses.append(loss.item())
            if self.cursor + b > len(self.order):
                self.cursor = 0
                shuffle(self.order, self.shuffle_rng)
        return sum(losses) / len(losses) if losses else float("nan")

    def _figures(self, net, rows, train_mode):
        """(loss sum, correct) over rows: one eval-mode pass, or train-mode batches."""
        chunks = [rows]
        if train_mode:
            chunks, start, b = [], 0, self.o["batchSize"]
            while start < len(rows):
                m = next_rows(start, len(rows), b)
                chunks.append(rows[start:start + m])
                start += m
        loss_sum, correct = 0.0, 0
        with torch.no_grad():
            for c in chunks:
                if not c:
                    continue
                idx = torch.tensor(c)
                logits = net(self.x[idx])
                loss_sum += torch.nn.functional.cross_entropy(logits, self.y[idx], reduction="sum").item()
                correct += int((logits.argmax(1) == self.y[idx]).sum())
        return loss_sum, correct

    def evaluate(self):
        """As Trainer.evaluate() of the JS API: eval-mode figures, and
        train-mode ones (trainMode*: batch statistics, on a copy so that no
        running statistic moves); all NaN once diverged."""
        nan = float("nan")
        names = ["loss", "accuracy", "trainLoss", "trainAccuracy", "testLoss", "testAccuracy"]
        out = {"diverged": self.diverged}
        for mode in ("eval", "train"):
            prefix = lambda k: k if mode == "eval" else "trainMode" + k[0].upper() + k[1:]
            if self.diverged:
                out.update({prefix(k): nan for k in names})
                continue
            net = self.net if mode == "eval" else copy.deepcopy(self.net)
            net.train(mode == "train")
            train_rows = self.train_index if mode == "eval" else self.fixed_train
            test_rows = self.test_index if mode == "eval" else self.fixed_test
            tl, tc = self._figures(net, train_rows, mode == "train")
            sl, sc = self._figures(net, test_rows, mode == "train")
            nt, ns = len(train_rows), len(test_rows)
            values = [(tl + sl) / (nt + ns), (tc + sc) / (nt + ns), tl / nt, tc / nt,
                      sl / ns if ns else nan, sc / ns if ns else nan]
            out.update({prefix(k): v for k, v in zip(names, values)})
        self.net.train()
        return out

    def recalibrate(self):
        """torch.optim.swa_utils.update_bn over the training split, in the batches of train-mode evaluation."""
        loader, start, b, rows = [], 0, self.o["batchSize"], self.fixed_train
        while start < len(rows):
            m = next_rows(start, len(rows), b)
            loader.append(self.x[torch.tensor(rows[start:start + m])])
            start += m
        with torch.no_grad():
            torch.optim.swa_utils.update_bn(loader, self.net)
        self.net.train()

    def running_stats(self, layer):
        """As Trainer::running_stats: hidden layer `layer`'s BatchNorm1d running
        mean and variance, and its input's mean and unbiased variance over the
        training split (float64), the network in eval mode."""
        norm = self.net.norms[layer]
        seen = []
        hook = norm.register_forward_hook(lambda module, args, out: seen.append(args[0].double()))
        self.net.eval()
        try:
            with torch.no_grad():
                self.net(self.x[torch.tensor(self.train_index)])
        finally:
            hook.remove()
            self.net.train()
        z = seen[0]
        return {"runningMean": norm.running_mean.tolist(), "runningVar": norm.running_var.tolist(),
                "populationMean": z.mean(0).tolist(), "populationVar": z.var(0, unbiased=True).tolist()}

    def layer_stats(self):
        """As Trainer::layer_stats: per hidden block, from the last training step."""
        act = self.o["activation"]
        stats = []
        for l, (pre, h, out) in enumerate(self.net.kept):
            if act == "relu":
                flat = (h <= 0).float().mean().item()
            elif act == "tanh":
                flat = (h.abs() > 0.99).float().mean().item()
            else:
                flat = ((h < 0.01) | (h > 0.99)).float().mean().item()
            g = self.net.linears[l].weight.grad
            stats.append({"preMean": pre.double().mean().item(), "preStd": pre.double().std(unbiased=False).item(),
                          "actMean": h.double().mean().item(), "actStd": h.double().std(unbiased=False).item(),
                          "outMean": out.double().mean().item(), "outStd": out.double().std(unbiased=False).item(),
                          "saturation": flat, "gradNorm": g.double().norm().item() if g is not None else float("nan")})
        return stats
