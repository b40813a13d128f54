// bn.fuseLinearBnEval in the fuzz suite: a layer description as data (its
// weight and bias in any container, sizes right or wrong, read through
// getters or a Proxy, an unknown key), folded with one of the world's
// layers. A success must be the float64 fold of docs/api.md rounded to
// float32 once (W' = a W, b' = a (b - mean) + beta, a = gamma / sqrt(var +
// eps)); a refusal must name what is wrong; neither may change the layer.
import fc from "fast-check";
import { valueSpec, numbers, asFloat32, inputContainer, makeInput, makeOptions, readOnceProblem, mostly, OPTION_CONTAINERS } from "./values.mjs";
import { LayerCommand } from "./commands.mjs";
import { equal } from "./world.mjs";
import { FLT_MAX, U, TINY } from "./reference.mjs";

export class Fuse extends LayerCommand {
  get needsEval() { return this.spec.target % 10 !== 9; }   // mostly a layer in eval mode (fusion is for eval only)

  build(world, entry, before) {
    const { inFeatures, outDelta, weight: ws, bias: bs, container, unknown, lengthOff } = this.spec;
    const { fuse } = entry.kind, channels = fuse.channels(entry) ?? entry.kind.paramLength(entry);
    const out = channels + outDelta;
    const expected = [];
    // A layer that cannot be folded (LayerNorm, GroupNorm, InstanceNorm2d without running statistics).
    const refusal = fuse.refusal(entry);
    if (refusal) expected.push(refusal);
    const okIn = Number.isInteger(inFeatures) && inFeatures >= 1;
    if (!okIn) expected.push(/^inFeatures must be an integer >= 1, got /);
    if (out < 1) expected.push(/^outFeatures must be an integer >= 1, got /);
    else if (out !== channels) expected.push(new RegExp(`^outFeatures is ${out} but the layer normalizes ${channels} channels`));
    const length = okIn && out >= 1 ? out * inFeatures + lengthOff : 4;
    const wValues = numbers(ws.values, length, inFeatures);
    const w = makeInput(ws.container, wValues);
    if (w.notArray) expected.push(/^weight must be a Float32Array or an array of numbers/);
    else if (lengthOff || w.lengthOff) expected.push(/^weight must have outFeatures·inFeatures = \d+ entries/);
    const w32 = w.notArray ? null : asFloat32(w.converted ? w.value : wValues);
    if (w32 && !w32.every(Number.isFinite)) expected.push(/^weight must hold finite float32 numbers; entry \d+ is/);
    let b32 = null;
    const fields = { weight: w.value, inFeatures, outFeatures: out };
    if (bs !== null) {
      const bValues = numbers(bs.values, Math.max(out, 1), 1);
      const bias = makeInput(bs.container, bValues);
      fields.bias = bias.value;
      if (bias.notArray) { if (bias.value !== null) expected.push(/^bias must be a Float32Array or an array of numbers/); }
      else {
        b32 = asFloat32(bias.converted ? bias.value : bValues);
        if (bias.lengthOff) expected.push(/^bias must have outFeatures = \d+ entries/);
        if (!b32.every(Number.isFinite)) expected.push(/^bias must hold finite float32 numbers/);
      }
    }
    if (unknown) {
      fields.weigth = [];
      expected.push(/unknown field "weigth" \(expected weight, bias, inFeatures, outFeatures\)/);
    }
    if (entry.disposed) expected.push(new RegExp(`^layer: ${entry.kind.name} was disposed`));
    else if (before.training) expected.push(/^layer is in training mode: fusion is for eval only/);
    // The fold in float64, rounded once; beyond float32 it must be refused.
    let ref = null;
    if (expected.length === 0) {
      const n = channels, rowLength = length / n;
      ref = { weight: new Float64Array(length), bias: new Float64Array(n) };
      for (let k = 0; k < n; k++) {
        const a = (before.gamma ? before.gamma[k] : 1) / Math.sqrt(before.runningVar[k] + entry.eps);
        for (let j = 0; j < rowLength; j++) ref.weight[k * rowLength + j] = a * w32[k * rowLength + j];
        ref.bias[k] = a * ((b32 ? b32[k] : 0) - before.runningMean[k]) + (before.beta ? before.beta[k] : 0);
      }
      if ([...ref.weight, ...ref.bias].some((v) => !Number.isFinite(Math.fround(v)))) {
        expected.push(/^the fused (weight|bias) of output channel \d+ is .*, beyond float32/);
        ref = null;
      }
    }
    const options = makeOptions(container, fields);
    let result = null;
    return {
      label: `${this}`, expected,
      call: () => (result = world.bn.fuseLinearBnEval(options.value, entry.obj)),
      check: () => {
        for (const name of ["weight", "bias"]) {
          const got = result[name], want = ref[name];
          if (!(got instanceof Float32Array) || got.length !== want.length) return `${name} is not a Float32Array of ${want.length}`;
          for (let i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= 2 * U * Math.abs(want[i]) + TINY)) return `${name}[${i}] = ${got[i]}, the float64 fold ${want[i]}`;
          }
        }
        return Math.max(...result.weight.map(Math.abs)) <= FLT_MAX ? null : "a fused weight beyond float32";
      },
      changed: (s, a) => (equal(a, s) ? null : "fusing changed the layer"),
      reads: (ok) => readOnceProblem(options.reads, options.keys, ok) ?? readOnceProblem(w.reads, [], ok),
    };
  }
}
Fuse.arbitrary = fc.record({
  target: fc.nat(240),
  inFeatures: mostly(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, 1.5, "3", -2), 12),
  outDelta: mostly(fc.constant(0), fc.constantFrom(-1, 1), 12),
  lengthOff: mostly(fc.constant(0), fc.constant(1), 15),
  weight: fc.record({ container: inputContainer, values: valueSpec }),
  bias: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 3, arbitrary: fc.record({ container: inputContainer, values: valueSpec }) }),
  container: fc.constantFrom(...OPTION_CONTAINERS),
  unknown: mostly(fc.constant(false), fc.constant(true), 20),
}).map((s) => new Fuse(s));
