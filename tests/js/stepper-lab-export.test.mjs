// "Copy as PyTorch" with the normalization lab open: the snippet builds the
// lab's layer in torch, and (when /usr/bin/python3 has torch) running it
// gives the float64 reference's y, statistics, dx, dgamma and dbeta for
// every lab layer, GroupNorm with G = 1, G = C and between. Skipped where
// torch is not importable (the text is still checked).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { normalize } from "../../web/js/stepper/state.js";
import { readInputs } from "../../web/js/stepper/inputs.js";
import { pytorchSnippet } from "../../web/js/stepper/export.js";
import { labDy, readImage } from "../../web/js/stepper/lab-compute.js";
import { normBackward64 } from "../../web/js/stepper/lab-gradcheck.js";
import { paramIndex } from "../../web/js/stepper/norm-axes.js";

const CASES = [
  { norm: "batch2d", groups: 2, imageShape: [2, 3, 2, 3] },
  { norm: "batch2d", groups: 2, imageShape: [1, 2, 2, 2] },
  { norm: "layer", groups: 2, imageShape: [3, 2, 2, 2] },
  { norm: "group", groups: 1, imageShape: [2, 4, 2, 2] },
  { norm: "group", groups: 2, imageShape: [2, 4, 3, 3] },
  { norm: "group", groups: 4, imageShape: [2, 4, 1, 3] },
  { norm: "instance", groups: 2, imageShape: [2, 3, 2, 2] },
];
const hasTorch = spawnSync("/usr/bin/python3", ["-c", "import torch"]).status === 0;
const snippetOf = (state) => pytorchSnippet(state, readInputs(state));

test("the snippet names the lab's layer as torch does, and leaves the lab out while it is closed", () => {
  const texts = CASES.map((c) => snippetOf(normalize(c)));
  assert.match(texts[0], /norm = torch\.nn\.BatchNorm2d\(3, eps=(1e-05|0\.00001)\)/);
  assert.match(texts[2], /norm = torch\.nn\.LayerNorm\(\[2, 2, 2\], eps=(1e-05|0\.00001)\)/);
  assert.match(texts[4], /norm = torch\.nn\.GroupNorm\(2, 4, eps=(1e-05|0\.00001)\)/);
  assert.match(texts[6], /norm = torch\.nn\.InstanceNorm2d\(3, eps=(1e-05|0\.00001), affine=True\)/);
  assert.match(texts[4], /\.reshape\(2, 4, 3, 3\)\.requires_grad_\(\)/);
  assert.doesNotMatch(snippetOf(normalize({})), /x_img/);
  const bad = normalize({ norm: "layer", image: [[[["abc"]]]] });
  assert.match(snippetOf(bad), /the normalization lab's image has bad cells/);
});

test("run in torch, the snippet gives the float64 reference's numbers for every lab layer", { skip: !hasTorch && "python3-torch not importable" }, (t) => {
  for (const c of CASES) {
    let worst = 0;
    const state = normalize(c);
    const where = `${c.norm} G=${c.groups} ${c.imageShape}`;
    const script = snippetOf(state) + [
      "import json",
      "print('JSON' + json.dumps({'y': y_img.detach().flatten().tolist(), 'dx': x_img.grad.flatten().tolist(),",
      "  'mean': mean.flatten().tolist(), 'var': var.flatten().tolist(),",
      "  'dgamma': norm.weight.grad.flatten().tolist(), 'dbeta': norm.bias.grad.flatten().tolist()}))",
    ].join("\n");
    const run = spawnSync("/usr/bin/python3", ["-c", script], { encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, `${where}: ${run.stderr}`);
    const out = JSON.parse(run.stdout.split("\n").find((l) => l.startsWith("JSON")).slice(4));
    const x = Float64Array.from(Float32Array.from(readImage(state).x));
    const dy = Float64Array.from(Float32Array.from(labDy(x.length)));
    const ref = normBackward64(x, dy, { norm: c.norm, shape: c.imageShape, groups: c.groups });
    const close = (name, got, want) => {
      assert.equal(got.length, want.length, `${where}: ${name} length`);
      got.forEach((v, i) => {
        assert.ok(Math.abs(v - want[i]) <= 1e-4 * (1 + Math.abs(want[i])), `${where}: ${name}[${i}] torch ${v}, float64 ${want[i]}`);
        worst = Math.max(worst, Math.abs(v - want[i]) / (1 + Math.abs(want[i])));
      });
    };
    close("y", out.y, ref.y);
    close("dx", out.dx, ref.dx);
    close("mean", out.mean, ref.mean);
    close("var", out.var, ref.var);
    const params = out.dgamma.length;
    const dgamma = new Float64Array(params), dbeta = new Float64Array(params);
    for (let j = 0; j < x.length; j++) { const p = paramIndex(c.norm, c.imageShape, j); dgamma[p] += dy[j] * ref.xhat[j]; dbeta[p] += dy[j]; }
    close("dgamma", out.dgamma, dgamma);
    close("dbeta", out.dbeta, dbeta);
    t.diagnostic(`${where}: torch float32 vs float64, largest |Δ| / (1 + |v|) over y, μ, σ², dx, dγ, dβ: ${worst.toExponential(2)}`);
  }
});
