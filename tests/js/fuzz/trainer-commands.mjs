// The fuzz suite's Trainer commands. Every trainer has a twin built from
// the same options in the same instance; each call that succeeds is made
// on the twin too and must give bit-identical results (and, like every
// call, change no other object). Bad arguments must be refused naming the
// parameter, changing nothing.
import fc from "fast-check";
import { makeOptions, readOnceProblem, OPTION_CONTAINERS } from "./values.mjs";
import { show } from "./commands.mjs";
import { judge, equal, KNOWN } from "./world.mjs";

const TRAINER_DISPOSED = /^Trainer was disposed: create a new Trainer$/;

// Small, fast networks (valid options), and bad entries with their messages.
const optionsArb = fc.record({
  dataset: fc.constantFrom("spiral", "moons", "circles", "xor", "gaussians"),
  samples: fc.integer({ min: 20, max: 60 }),
  hidden: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 2 }),
  activation: fc.constantFrom("relu", "tanh", "sigmoid"),
  batchNorm: fc.boolean(),
  optimizer: fc.constantFrom("sgd", "momentum", "adam"),
  lr: fc.constantFrom(0.1, 0.5, 1e4),   // 1e4 diverges: the diverged path
  batchSize: fc.integer({ min: 2, max: 12 }),
  seed: fc.integer({ min: 0, max: 100 }),
});
const BAD_TRAINER = [
  { key: "learningRate", value: 0.1, message: /^unknown Trainer option "learningRate" \(expected / },
  { key: "samples", value: 5, message: /^samples must be an integer in \[10, 20000\], got 5$/ },
  { key: "activation", value: "gelu", message: /^activation must be one of "relu", "tanh", "sigmoid", got "gelu"$/ },
  { key: "hidden", value: [0], message: /^hidden\[0\] must be an integer in \[1, 256\], got 0$/ },
  { key: "batchSize", value: 1000, message: /^batchSize must be an integer in \[1, 20000\], got 1000|^batchSize must be an integer in \[1, \d+\] \(the number of training points\), got 1000$/ },
  { key: "lr", value: -1, message: /^lr must be a finite number > 0, got -1$/ },
];

export class NewTrainer {
  constructor(spec) { this.spec = spec; }
  check() { return true; }
  toString() { return `NewTrainer(${show(this.spec)})`; }
  run(model, world) {
    const { options: base, bad, container, defaultBatch } = this.spec;
    const fields = { ...base, hidden: [...base.hidden] };
    const expected = [];
    // batchSize left out: the default (32), fitted to the split when it has
    // fewer training points (item 8).
    const known = () => null;
    let wantBatch = fields.batchSize;
    if (defaultBatch) {
      delete fields.batchSize;
      wantBatch = Math.min(32, base.samples - Math.round(base.samples * 0.2));
    }
    if (bad !== null) {
      fields[BAD_TRAINER[bad].key] = BAD_TRAINER[bad].value;
      expected.push(BAD_TRAINER[bad].message);
    }
    const options = makeOptions(container, fields);
    let tr = null;
    judge(world, { name: "NewTrainer", target: null, build: () => ({
      label: `${this}`, expected, heap: true, known,
      call: () => (tr = new world.bn.Trainer(options.value)),
      check: () => (equal(tr.options.hidden, fields.hidden) && tr.steps === 0 && (wantBatch === undefined || tr.options.batchSize === wantBatch)
        ? null : "the new trainer's options or steps are wrong"),
      reads: (ok) => readOnceProblem(options.reads, options.keys, ok),
    }) });
    if (tr === null) return;
    const live = world.trainers.filter((t) => !t.disposed);
    if (live.length >= 3) live[0].obj.dispose(), live[0].twin.dispose(), (live[0].disposed = true);
    world.trainers.push({ obj: tr, twin: new world.bn.Trainer(structuredClone(fields)), disposed: false });
  }
}
NewTrainer.arbitrary = fc.record({
  options: optionsArb, bad: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_TRAINER.keys()) }),
  defaultBatch: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  container: fc.constantFrom(...OPTION_CONTAINERS),
}).map((s) => new NewTrainer(s));

const BOUND = [-1.5, 1.5, -1, 0, 2, NaN, Infinity, -1e308, 1e308, "1"];

// step(n), evaluate(), predictGrid(...), activations(i), points(),
// batchIndices(), dispose() on one trainer.
export class TrainerCall {
  constructor(spec) { this.spec = spec; }
  check() { return true; }
  toString() { return `TrainerCall(${show(this.spec)})`; }
  run(model, world) {
    if (world.trainers.length === 0) return;
    const t = world.trainers[this.spec.target % world.trainers.length];
    const { what, n, res, bounds, layer } = this.spec;
    const o = t.obj;
    const expected = [];
    let known = () => null;
    const args = { step: [n], predictGrid: [res, ...bounds], activations: [layer] }[what] ?? [];
    if (t.disposed) { if (what !== "dispose") expected.push(TRAINER_DISPOSED); }   // a second dispose() does nothing
    else if (what === "step" && !(Number.isInteger(n) && n >= 0 && n <= 1e6)) expected.push(/^n must be an integer in \[0, 1000000\], got /);
    else if (what === "predictGrid") {
      if (!(Number.isInteger(res) && res >= 1 && res <= 1024)) expected.push(/^res must be an integer in \[1, 1024\], got /);
      ["xmin", "xmax", "ymin", "ymax"].forEach((name, i) => {
        if (typeof bounds[i] !== "number" || !Number.isFinite(bounds[i])) expected.push(new RegExp(`^${name} must be a finite number, got `));
      });
      if (!(bounds[0] < bounds[1])) expected.push(/^xmax must be greater than xmin/);
      if (!(bounds[2] < bounds[3])) expected.push(/^ymax must be greater than ymin/);
      // A range whose width overflows, or beyond float32, is refused naming
      // the bounds (item 8; it used to blame "x").
      const pairs = [["xmin", "xmax", bounds[0], bounds[1]], ["ymin", "ymax", bounds[2], bounds[3]]];
      for (const [lo, hi, a, b] of pairs) {
        if (typeof a === "number" && typeof b === "number" && Number.isFinite(a) && Number.isFinite(b) && a < b
          && (!Number.isFinite(b - a) || Math.abs(a) > 3.4028234663852886e38 || Math.abs(b) > 3.4028234663852886e38)) {
          expected.push(new RegExp(`^(${hi} - ${lo} overflows: give a narrower )?${lo} and ${hi}`));
        }
      }
    } else if (what === "activations") {
      if (!(Number.isInteger(layer) && layer >= 0 && layer < o.options.hidden.length)) expected.push(/^layerIndex must be an integer in \[0, \d+\], got /);
      else if (o.steps === 0) expected.push(/^activations: no training batch yet; call step\(n\) with n >= 1 first$/);
    } else if (what === "batchIndices" && o.steps === 0) expected.push(/^batchIndices: no training batch yet/);
    let result, twinResult;
    judge(world, { name: `Trainer.${what}`, target: t, build: () => ({
      label: `${this}`, expected, known,
      call: () => {
        if (what === "dispose") { o.dispose(); t.twin.dispose(); t.disposed = true; return undefined; }
        result = o[what](...args);
        twinResult = t.twin[what](...args);
        return result;
      },
      check: () => {
        if (!equal(result, twinResult)) return `the trainer and its twin disagree: ${show(result)} vs ${show(twinResult)}`;
        if (what === "predictGrid" && !(result.length === res * res && result.every((p) => Number.isNaN(p) || (p >= 0 && p <= 1)))) return "predictGrid is not res² probabilities";
        if (what === "evaluate" && ![result.accuracy, result.testAccuracy, result.trainAccuracy].every((a) => Number.isNaN(a) || (a >= 0 && a <= 1))) return "an accuracy is not a fraction";
        return null;
      },
      // step changes it (the twin's agreement is the check); the reads change nothing.
      changed: (s, a) => (what === "step" || what === "dispose" || equal(a, s) ? null : `${what} changed the trainer`),
    }) });
  }
}
TrainerCall.arbitrary = fc.record({
  target: fc.nat(10),
  what: fc.constantFrom("step", "step", "step", "evaluate", "predictGrid", "activations", "points", "batchIndices", "dispose"),
  n: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, NaN, "2", 1e7, 2 ** 32 + 1) }),
  res: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1025, 2.5, NaN, 2 ** 32 + 2) }),
  bounds: fc.oneof({ weight: 6, arbitrary: fc.constant([-1.5, 1.5, -1.5, 1.5]) }, { weight: 1, arbitrary: fc.tuple(...[0, 1, 2, 3].map(() => fc.constantFrom(...BOUND))) }),
  layer: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 2, 1.5, "0") }),
}).map((s) => new TrainerCall(s));

export { KNOWN };
