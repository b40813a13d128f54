// The option schema (bn.schema, from the C++ core's optionSchema() binding)
// is what both validators enforce: for every descriptor of every group, its
// default is accepted, and values just outside it are refused with the SAME
// message by the JS wrapper and by the C++ core called through the raw
// binding. Also: the schema is plain frozen JSON, and the seam protocol
// (one failure value, one helper) holds for every binding.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";
import { defaultsOf } from "../../web/js/validate.js";
import { FAILED, NO_ADDRESS, checked, address, construct } from "../../web/js/seam.js";
import { loadRawModule } from "./test-data.mjs";

const messageOf = (fn) => {
  try { fn(); } catch (e) { assert.ok(e instanceof Error, "an Error"); return e.message; }
  return null;
};

// Values just outside a descriptor (and of the wrong type), from the descriptor alone.
function badValues(spec) {
  const out = [];
  const { min, max } = spec;
  switch (spec.type) {
    case "integer":
      if (min !== undefined) out.push(min - 1);
      if (max !== undefined) out.push(max + 1);
      out.push((min ?? 0) + 0.5, NaN, Infinity, "1", null);
      break;
    case "number": {
      const step = (v) => Math.max(Math.abs(v), 1) * 2 ** -20;
      if (min !== undefined) out.push(spec.minExclusive ? min : min - step(min));
      if (max !== undefined) out.push(max + step(max));
      out.push(NaN, -Infinity, Infinity, "0.5", true);
      if (!spec.nullable) out.push(null);
      break;
    }
    case "boolean":
      out.push(1, 0, "true", null);
      break;
    case "enum":
      out.push(`${spec.values[0]}x`, spec.values[0].toUpperCase(), "", 0, null, "a".repeat(50));
      break;
    case "array": {
      const { items } = spec;
      out.push([], Array(spec.maxLength + 1).fill(items.min), [items.min - 1], [items.max + 1], [items.min, 1.5],
        [items.min, "2"], "16", 16, null, new Float64Array([items.max + 1]), new DataView(new ArrayBuffer(4)), {});
      break;
    }
    default:
      assert.fail(`descriptor type ${spec.type} has no test values`);
  }
  return out;
}

const show = (v) => (typeof v === "string" ? JSON.stringify(v) : ArrayBuffer.isView(v) ? v.constructor.name : String(v));

for (const variant of ["simd", "scalar"]) {
  describe(`option schema (${variant} build)`, async () => {
    const bn = await loadBN({ simd: variant === "simd" });
    const wasm = await loadRawModule(variant);
    const { BatchNorm1d: bnSchema, Trainer: trSchema } = bn.schema;

    // How each validator reports one options object: the JS wrapper vs the C++ core.
    const groups = {
      BatchNorm1d: {
        schema: bnSchema,
        js: (options) => messageOf(() => new bn.BatchNorm1d(2, options).dispose()),
        cpp: (options) => { const b = new wasm.BatchNormBinding(2, options); const e = b.ok() ? null : b.lastError(); b.delete(); return e; },
      },
      Trainer: {
        schema: trSchema,
        js: (options) => messageOf(() => new bn.Trainer(options).dispose()),
        cpp: (options) => { const b = new wasm.TrainerBinding(options); const e = b.ok() ? null : b.lastError(); b.delete(); return e; },
      },
    };

    test("bn.schema is plain JSON, deeply frozen, with a descriptor per option", () => {
      assert.deepEqual(JSON.parse(JSON.stringify(bn.schema)), bn.schema);
      assert.ok(Object.isFrozen(bn.schema) && Object.isFrozen(trSchema.options.hidden.items));
      assert.deepEqual(Object.keys(bnSchema.options), ["eps", "momentum", "affine"]);
      assert.deepEqual(Object.keys(trSchema.options), ["dataset", "samples", "noise", "hidden", "activation",
        "batchNorm", "optimizer", "lr", "batchSize", "seed", "init", "testFraction",
        "norm", "groups", "normPlacement", "residual", "momentum"]);
      assert.deepEqual(trSchema.options.norm.values, ["batch", "layer", "group", "none"]);
      assert.deepEqual(Object.keys(bn.schema.landscape.arguments), ["steps", "maxScale"]);
      assert.deepEqual(defaultsOf(bnSchema.options), { eps: 1e-5, momentum: 0.1, affine: true });
      assert.deepEqual(trSchema.options.dataset.values, ["spiral", "moons", "circles", "xor", "gaussians"]);
      assert.deepEqual(trSchema.options.init.values, ["auto", "kaiming", "xavier"]);
      assert.equal(trSchema.options.hidden.maxLength, 100);
      assert.equal(trSchema.options.hidden.items.max, 256);
      assert.deepEqual([trSchema.arguments.n.max, trSchema.arguments.res.max], [1000000, 1024]);
      for (const group of [bnSchema, trSchema]) {
        for (const [name, spec] of Object.entries({ ...group.options, ...group.arguments })) {
          assert.equal(typeof spec.doc, "string", `${name}.doc`);
          assert.ok(spec.doc.length > 0, `${name}.doc`);
        }
      }
    });

    for (const [owner, g] of Object.entries(groups)) {
      test(`${owner}: every default accepted; just out of range refused with the same message by JS and C++`, () => {
        let cases = 0;
        for (const [name, spec] of Object.entries(g.schema.options)) {
          assert.equal(g.js({ [name]: spec.default }), null, `${name}: default ${show(spec.default)} (JS)`);
          assert.equal(g.cpp({ [name]: spec.default }), null, `${name}: default ${show(spec.default)} (C++)`);
          for (const bad of badValues(spec)) {
            const label = `${owner} ${name} = ${show(bad)}`;
            const js = g.js({ [name]: bad }), cpp = g.cpp({ [name]: bad });
            assert.ok(js?.startsWith(`${name}`), `${label}: JS names the option (${js})`);
            assert.equal(cpp, js, `${label}: C++ and JS agree`);
            cases++;
          }
        }
        for (const options of [null, 7, "eps", [], { bogus: 1 }, { ["k".repeat(60)]: 1 }, { 'q"\n': 1 },
          { [Object.keys(g.schema.options)[0].toUpperCase()]: 1 }]) {
          assert.ok(g.js(options), `${owner} options ${show(options)} refused`);
          assert.equal(g.cpp(options), g.js(options), `${owner} options ${show(options)}: C++ and JS agree`);
        }
        assert.ok(cases >= 15, `${cases} cases`);
      });
    }

    test("C++ shows any number as JS's String() does (4,000 random doubles, every exponent)", () => {
      const bits = new DataView(new ArrayBuffer(8));
      let state = 7;
      const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
      let checked = 0;
      for (let i = 0; i < 2000; i++) {
        bits.setUint32(0, next()); bits.setUint32(4, next());
        const v = bits.getFloat64(0);
        for (const options of [{ dataset: v }, { lr: -Math.abs(v) }]) {
          const js = groups.Trainer.js(options);
          assert.equal(groups.Trainer.cpp(options), js, String(v));
          checked++;
        }
      }
      for (const v of [5e-324, 2 ** -1022, 2 ** -24, 0.1, 1e21, 1e-7, 2 ** 60, Number.MAX_VALUE, 123456789.125]) {
        assert.equal(groups.Trainer.cpp({ dataset: v }), groups.Trainer.js({ dataset: v }), String(v));
      }
      assert.equal(checked, 4000);
    });

    test("arguments: features, step(n), predictGrid(res) refused with the same message by JS and C++", () => {
      for (const bad of [0, -1, 1.5, 2 ** 32 + 2, 3e9, 2 ** 27]) {
        const b = new wasm.BatchNormBinding(bad, {});
        assert.equal(b.ok(), false);
        assert.equal(b.lastError(), messageOf(() => new bn.BatchNorm1d(bad)), `features ${bad}`);
        b.delete();
      }
      const tr = new bn.Trainer({ hidden: [4] });
      const raw = new wasm.TrainerBinding({ hidden: [4] });
      for (const [call, rawCall, values] of [
        [(v) => tr.step(v), (v) => raw.step(v), [trSchema.arguments.n.min - 1, trSchema.arguments.n.max + 1]],
        [(v) => tr.predictGrid(v), (v) => raw.predictGrid(v, -1, 1, -1, 1), [trSchema.arguments.res.min - 1, trSchema.arguments.res.max + 1]],
      ]) {
        for (const v of values) {
          assert.equal(rawCall(v), FAILED);
          assert.equal(raw.lastError(), messageOf(() => call(v)), String(v));
        }
      }
      assert.equal(tr.steps, 0);
      tr.dispose(); raw.delete();
    });

    test("the schema's rules are the wrapper's rules: limits from the schema, not from literals", () => {
      const o = trSchema.options;
      assert.doesNotThrow(() => new bn.Trainer({ hidden: Array(o.hidden.maxLength).fill(o.hidden.items.max), samples: o.samples.min, batchSize: 2 }).dispose());
      assert.doesNotThrow(() => new bn.Trainer({ testFraction: o.testFraction.max, noise: o.noise.max, seed: o.seed.max }).dispose());
      assert.match(messageOf(() => new bn.Trainer({ batchSize: 321 })), /batchSize must be an integer in \[1, 320\] \(the number of training points\), got 321/);
    });
  });
}

describe("seam protocol: one failure value per kind of result, one helper each", () => {
  const fakeNative = (message) => ({ lastError: () => message });

  test("checked(): FAILED (undefined) becomes an Error with the binding's message; any other value passes", () => {
    assert.equal(FAILED, undefined);
    assert.throws(() => checked(fakeNative("x must hold finite numbers"), FAILED),
      (e) => e instanceof Error && e.message === "x must hold finite numbers");
    for (const value of [0, null, false, NaN, "", 1024, { a: 1 }]) assert.equal(checked(fakeNative("no"), value), value);
  });

  test("address(): NO_ADDRESS (0) becomes an Error with the binding's message; any other address passes", () => {
    assert.equal(NO_ADDRESS, 0);
    assert.throws(() => address(fakeNative("batch must be an integer in [1, 3], got 4"), NO_ADDRESS),
      (e) => e instanceof Error && e.message === "batch must be an integer in [1, 3], got 4");
    for (const at of [8, 65536, 2 ** 31]) assert.equal(address(fakeNative("no"), at), at);
  });

  test("construct(): a binding whose ok() is false is freed and its message thrown", () => {
    const log = [];
    class Binding {
      constructor(good) { this.good = good; }
      ok() { return this.good; }
      lastError() { return "features must be an integer >= 1, got 0"; }
      delete() { log.push("delete"); }
    }
    assert.throws(() => construct(Binding, false), /^Error: features must be an integer >= 1, got 0$/);
    assert.deepEqual(log, ["delete"]);
    const native = construct(Binding, true);
    assert.ok(native instanceof Binding);
    assert.deepEqual(log, ["delete"]);
  });

  for (const variant of ["simd", "scalar"]) {
    test(`every binding method that can fail returns its failure value, with lastError() set (${variant})`, async () => {
      const wasm = await loadRawModule(variant);
      const layer = new wasm.BatchNormBinding(3, {});
      // The step's four calls are plain exports taking the binding's handle()
      // (web/js/batchnorm.js calls them; Embind no longer registers them).
      const h = layer.handle();
      const stagingInput = (batch) => wasm._bn_batchnorm_staging_input(h, batch);
      const forward = (batch) => wasm._bn_batchnorm_forward(h, batch);
      const stagingDy = () => wasm._bn_batchnorm_staging_dy(h);
      const backward = () => wasm._bn_batchnorm_backward(h);
      for (const name of ["stagingInput", "forward", "stagingDy", "backward"]) assert.equal(layer[name], undefined, name);
      const failing = {
        "trace before forward": () => layer.trace(),
        "backwardTrace before backward": () => layer.backwardTrace(),
      };
      // The hot calls return an address: 0 on failure.
      const failingAddress = {
        "stagingDy before forward": () => stagingDy(),
        "backward before forward": () => backward(),
        "stagingInput(0)": () => stagingInput(0),
        "stagingInput(2 ** 32 + 2)": () => stagingInput(2 ** 32 + 2),
        "stagingInput(2.5)": () => stagingInput(2.5),
        "forward(1) in training": () => { stagingInput(1); return forward(1); },
        "forward(2 ** 32 + 2)": () => forward(2 ** 32 + 2),
      };
      for (const [what, call] of Object.entries(failing)) {
        assert.equal(call(), FAILED, what);
        assert.ok(layer.lastError().length > 0, what);
      }
      for (const [what, call] of Object.entries(failingAddress)) {
        assert.equal(call(), NO_ADDRESS, what);
        assert.ok(layer.lastError().length > 0, what);
      }
      assert.equal(stagingInput(2 ** 32 + 2), NO_ADDRESS);
      assert.equal(layer.lastError(), "batch must be an integer in [1, 44739242] for 3 features, got 4294967298 " +
        "(batch × features = 12884901894 values; one WebAssembly buffer holds at most 134217727)", "C++ checks the size too");
      const at = stagingInput(2);
      assert.equal(typeof at, "number");
      wasm.HEAPF32.set([1, 2, 3, 4, 5, NaN], at >>> 2);
      assert.equal(forward(2), NO_ADDRESS);
      assert.match(layer.lastError(), /x must hold finite numbers/);
      wasm.HEAPF32.set([1, 2, 3, 4, 5, 6], at >>> 2);
      assert.equal(typeof forward(2), "number");
      wasm.HEAPF32.set([NaN, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], layer.paramScratch() >>> 2);
      assert.equal(layer.setParams(1), FAILED);
      assert.equal(layer.setParams(2), true);
      assert.equal(typeof layer.trace(), "object");
      assert.equal(typeof layer.dgamma(), "number");   // renamed from gradGamma / gradBeta / stagingGradOutput
      for (const old of ["gradGamma", "gradBeta", "stagingGradOutput"]) assert.equal(layer[old], undefined, old);
      layer.delete();
      const tr = new wasm.TrainerBinding({ hidden: [4] });
      for (const [what, call] of Object.entries({
        "step(-1)": () => tr.step(-1),
        "activations before a step": () => tr.activations(0),
        "predictGrid xmin > xmax": () => tr.predictGrid(4, 1, -1, -1, 1),
      })) {
        assert.equal(call(), FAILED, what);
        assert.ok(tr.lastError().length > 0, what);
      }
      assert.equal(typeof tr.step(1), "number");
      assert.equal(tr.activations(1), FAILED);
      tr.delete();
    });
  }
});
