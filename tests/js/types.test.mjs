// The TypeScript declarations (types/bn.d.ts, types/widgets.d.ts; package.json
// "exports" gives them as the "types" condition):
//   1. `tsc --noEmit --strict` accepts tests/types/every-member.ts and widgets.ts,
//      and every-member.ts, types stripped, runs in Node against the real API;
//   2. tsc refuses tests/types/misuse.ts with exactly the errors marked there;
//   3. every member declared in bn.d.ts is used by every-member.ts;
//   4. the runtime objects (the loaded module, a BatchNorm1d, a Trainer and
//      everything they return) have exactly the members declared, both ways,
//      and the option names and string choices the runtime accepts are the
//      declared ones. A member added to the runtime without a declaration
//      fails here, and so does a declared interface this file does not check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { transform } from "esbuild";
import { loadBN } from "../../web/js/bn.js";
import { runTsc as tsc } from "./tsc.mjs";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLE = join(repo, "tests/types/every-member.ts");
const WIDGETS_EXAMPLE = join(repo, "tests/types/widgets.ts");
const MISUSE = join(repo, "tests/types/misuse.ts");
const DECLARATIONS = join(repo, "types/bn.d.ts");

const runTsc = (files) => tsc(files, repo);

test("tsc --noEmit --strict accepts the every-member and widgets examples", { timeout: 60_000 }, () => {
  const { status, output } = runTsc([EXAMPLE, WIDGETS_EXAMPLE]);
  assert.equal(output.trim(), "", output);
  assert.equal(status, 0);
});

test("the every-member example, types stripped, runs in Node", { timeout: 60_000 }, async () => {
  const { code } = await transform(await readFile(EXAMPLE, "utf8"), { loader: "ts", format: "esm", target: "es2022" });
  // Inside the package (build/ is ignored), so "bn-wasm" resolves to this package by its name.
  const dir = join(repo, "build", "types-example");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "every-member.mjs"), code);
  const r = spawnSync(process.execPath, [join(dir, "every-member.mjs")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "every member ran");
});

test("tsc --strict refuses misuse.ts with exactly the errors marked in it", { timeout: 60_000 }, async () => {
  const lines = (await readFile(MISUSE, "utf8")).split("\n");
  const expected = lines.flatMap((text, i) => [...text.matchAll(/error (TS\d+)/g)].map((m) => `${i + 1} ${m[1]}`));
  assert.ok(expected.length >= 20, `${expected.length} marked errors`);
  const { status, diagnostics, output } = runTsc([MISUSE]);
  assert.notEqual(status, 0, "tsc must fail on misuse.ts");
  const got = [...new Set(diagnostics.map((d) => `${d.line} ${d.code}`))];
  const describe = (keys) => keys.map((k) => `line ${k}: ${lines[Number(k.split(" ")[0]) - 1].trim()}`).join("\n");
  const unexpected = got.filter((k) => !expected.includes(k));
  const missing = expected.filter((k) => !got.includes(k));
  assert.deepEqual(unexpected, [], `errors not marked in misuse.ts:\n${describe(unexpected)}\n${output}`);
  assert.deepEqual(missing, [], `marked errors tsc did not give (the declarations accept a misuse):\n${describe(missing)}`);
});

// ---- the declarations, read with the TypeScript compiler API

function program() {
  const options = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  };
  const p = ts.createProgram([EXAMPLE, DECLARATIONS], options);
  const checker = p.getTypeChecker();
  const declarations = p.getSourceFile(DECLARATIONS);
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(declarations));
  return { p, checker, declarations, exports };
}

// "Interface.member" for a member's declaration node.
function memberName(node) {
  let owner = node.parent;
  while (owner && !ts.isInterfaceDeclaration(owner) && !ts.isTypeAliasDeclaration(owner)) owner = owner.parent;
  return `${owner?.name.text ?? "?"}.${node.name?.getText() ?? "new"}`;
}

test("every member declared in types/bn.d.ts is used by tests/types/every-member.ts", () => {
  const { p, checker, declarations } = program();
  const declared = [];
  const visitDeclared = (node) => {
    if (ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isConstructSignatureDeclaration(node) ||
        ts.isFunctionDeclaration(node)) declared.push(node);
    ts.forEachChild(node, visitDeclared);
  };
  visitDeclared(declarations);

  const used = new Set();
  const mark = (symbol) => {
    for (const root of symbol ? checker.getRootSymbols(symbol) : []) for (const d of root.declarations ?? []) used.add(d);
  };
  const visitUse = (node) => {
    if (ts.isPropertyAccessExpression(node)) mark(checker.getSymbolAtLocation(node.name));
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const declaration = checker.getResolvedSignature(node)?.declaration;
      if (declaration) used.add(declaration);
    }
    if (ts.isObjectLiteralExpression(node)) {
      const contextual = checker.getContextualType(node);
      const candidates = contextual ? (contextual.isUnion() ? contextual.types : [contextual]) : [];
      for (const property of node.properties) {
        const name = property.name?.getText();
        for (const type of candidates) mark(name && checker.getPropertyOfType(type, name));
      }
    }
    ts.forEachChild(node, visitUse);
  };
  visitUse(p.getSourceFile(EXAMPLE));

  assert.ok(declared.length >= 80, `${declared.length} declared members`);
  const unused = declared.filter((d) => !used.has(d))
    .map((d) => (ts.isFunctionDeclaration(d) ? d.name.text : memberName(d)));
  assert.deepEqual(unused, [], "declared in types/bn.d.ts but not used by tests/types/every-member.ts");
});

// ---- the declarations against the runtime

function runtimeMembers(value) {
  const names = new Set(Object.keys(value));
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== "constructor") names.add(name);
  }
  return [...names].sort();
}
const staticMembers = (cls) => Object.getOwnPropertyNames(cls).filter((n) => !["length", "name", "prototype"].includes(n)).sort();

function declaredMembers(checker, exports, name) {
  const symbol = exports.find((s) => s.name === name);
  assert.ok(symbol, `types/bn.d.ts declares no ${name}`);
  return checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((s) => s.name).sort();
}

// The message of what `fn` throws (or rejects with).
async function errorOf(fn) {
  try {
    await fn();
  } catch (error) {
    return error.message;
  }
  assert.fail(`${fn} did not throw`);
}

// Names listed after "expected" in an error message, e.g. `(expected out or view)`.
const expectedNames = (message) => (message.match(/expected ([^)]*)/)?.[1] ?? "").split(/,\s*|\s+or\s+/).filter(Boolean).sort();
// Quoted choices in a message, e.g. `must be one of "relu", "tanh"`.
const quotedChoices = (message) => [...message.matchAll(/"([^"]+)"/g)].map((m) => m[1]).filter((c) => c !== "?").sort();

test("the runtime objects have exactly the members declared in types/bn.d.ts, and every declared type is checked", async () => {
  const { checker, exports } = program();
  const bn = await loadBN();
  const layer = new bn.BatchNorm1d(2);
  layer.forward([1, 2, 3, 5], 2);
  const gradients = layer.backward([1, 0, 0, 1]);
  const tr = new bn.Trainer({ samples: 100, seed: 2 });
  tr.step(2);
  const fused = bn.fuseLinearBnEval({ weight: [1, 0, 0, 1], inFeatures: 2, outFeatures: 2 }, new bn.BatchNorm1d(2).eval());
  const image = Float32Array.from({ length: 16 }, (_, i) => Math.cos(i));
  const shaped = { BatchNorm2d: new bn.BatchNorm2d(2), LayerNorm: new bn.LayerNorm([2, 2, 2]), GroupNorm: new bn.GroupNorm(2, 2),
    InstanceNorm2d: new bn.InstanceNorm2d(2, { trackRunningStats: true }) };
  for (const s of Object.values(shaped)) { s.forward(image, [2, 2, 2, 2]); s.backward(image); }
  const base = Object.create(Object.getPrototypeOf(bn.GroupNorm.prototype));   // the members the four share
  // Descriptors carry only the fields of their type: compare the union of all of them.
  const descriptors = Object.values(bn.schema).flatMap((g) => [...Object.values(g.arguments), ...Object.values(g.options)]);
  const runtime = {
    BN: bn, BatchNorm1d: layer, ForwardTrace: layer.trace(), Gradients: gradients, BackwardTrace: layer.backwardTrace(),
    Trainer: tr, ResolvedTrainerOptions: tr.options, Evaluation: tr.evaluate(), Activations: tr.activations(0), Points: tr.points(),
    OptionSchema: bn.schema, SchemaGroup: bn.schema.Trainer, OptionDescriptor: Object.assign({}, ...descriptors),
    ItemDescriptor: bn.schema.Trainer.options.hidden.items, FusedParams: fused,
    LayerStats: tr.layerStats()[0], Landscape: tr.landscape(), RunningStats: tr.runningStats(0),
    ...shaped, ShapedLayer: base, ForwardTraceOfGroupNorm: shaped.GroupNorm.trace(), BackwardTraceOfGroupNorm: shaped.GroupNorm.backwardTrace(),
  };
  const statics = { BatchNorm1dConstructor: bn.BatchNorm1d, TrainerConstructor: bn.Trainer, BatchNorm2dConstructor: bn.BatchNorm2d,
    LayerNormConstructor: bn.LayerNorm, GroupNormConstructor: bn.GroupNorm, InstanceNorm2dConstructor: bn.InstanceNorm2d };
  // Checked by the next test (what the runtime accepts), not as objects it returns.
  const optionTypes = ["LoadOptions", "BatchNorm1dOptions", "BatchNorm1dParams", "TrainerOptions", "LinearParams", "ConvParams",
    "LandscapeOptions", "LayerNormOptions", "GroupNormOptions", "InstanceNorm2dOptions"];
  try {
    const mismatches = [];
    const compare = (name, have) => {
      const declared = declaredMembers(checker, exports, name);
      const undeclared = have.filter((m) => !declared.includes(m));
      const absent = declared.filter((m) => !have.includes(m));
      if (undeclared.length) mismatches.push(`${name}: the runtime has ${undeclared.join(", ")}, not declared in types/bn.d.ts`);
      if (absent.length) mismatches.push(`${name}: types/bn.d.ts declares ${absent.join(", ")}, missing at runtime`);
    };
    for (const [key, value] of Object.entries(runtime)) compare(key.replace(/OfGroupNorm$/, ""), runtimeMembers(value));
    for (const [name, cls] of Object.entries(statics)) compare(name, staticMembers(cls));

    const module = await import("../../web/js/bn.js");
    const declaredValues = exports.filter((s) => s.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable | ts.SymbolFlags.Class))
      .map((s) => s.name).sort();
    assert.deepEqual(Object.keys(module).sort(), declaredValues, "the module's exports (web/js/bn.js) against the declared ones");

    const interfaces = exports.filter((s) => s.flags & ts.SymbolFlags.Interface).map((s) => s.name);
    const unchecked = interfaces.filter((n) => !(n in runtime) && !(n in statics) && !optionTypes.includes(n));
    assert.deepEqual(unchecked, [], "interfaces in types/bn.d.ts that tests/js/types.test.mjs does not compare with the runtime: add them here");
    assert.deepEqual(mismatches, []);
  } finally {
    layer.dispose();
    tr.dispose();
    for (const s of Object.values(shaped)) s.dispose();
  }
});

test("the options and choices the runtime accepts are the ones declared", async () => {
  const { checker, exports } = program();
  const bn = await loadBN();
  const layer = new bn.BatchNorm1d(2);
  layer.forward([1, 2, 3, 5], 2);
  const declaredKeys = (name) => declaredMembers(checker, exports, name);
  const aliasKeys = (name) => {   // the keys of every object type in a union alias (ForwardOptions, BackwardOptions)
    const type = checker.getDeclaredTypeOfSymbol(exports.find((s) => s.name === name));
    return [...new Set((type.isUnion() ? type.types : [type]).flatMap((t) => checker.getPropertiesOfType(t).map((s) => s.name)))].sort();
  };
  const literals = (name) => {
    const type = checker.getDeclaredTypeOfSymbol(exports.find((s) => s.name === name));
    return (type.isUnion() ? type.types : [type]).map((t) => t.value).sort();
  };
  try {
    // Where the runtime refuses unknown keys, its message lists the known ones.
    assert.deepEqual(expectedNames(await errorOf(() => new bn.Trainer({ "?": 1 }))), declaredKeys("TrainerOptions"), "Trainer options");
    const trained = new bn.Trainer({ samples: 100 });
    trained.step(1);
    assert.deepEqual(expectedNames(await errorOf(() => trained.landscape({ "?": 1 }))), declaredKeys("LandscapeOptions"), "landscape options");
    trained.dispose();
    assert.deepEqual(expectedNames(await errorOf(() => layer.setParams({ "?": [] }))), declaredKeys("BatchNorm1dParams"), "setParams fields");
    assert.deepEqual(expectedNames(await errorOf(() => layer.forward([1, 2, 3, 5], 2, { "?": 1 }))), aliasKeys("ForwardOptions"), "forward options");
    assert.deepEqual(expectedNames(await errorOf(() => layer.backward([1, 0, 0, 1], { "?": 1 }))), aliasKeys("BackwardOptions"), "backward options");
    assert.deepEqual(expectedNames(await errorOf(() => new bn.BatchNorm1d(2, { "?": 1 }))), declaredKeys("BatchNorm1dOptions"), "BatchNorm1d options");
    assert.deepEqual(expectedNames(await errorOf(() => bn.fuseLinearBnEval({ "?": 1 }, layer))), declaredKeys("LinearParams"), "fuseLinearBnEval fields");
    assert.deepEqual(expectedNames(await errorOf(() => bn.fuseConvBnEval({ "?": 1 }, layer))), declaredKeys("ConvParams"), "fuseConvBnEval fields");
    // The schema's option names are the declared ones, and its enum values the declared choices.
    assert.deepEqual(Object.keys(bn.schema.Trainer.options).sort(), declaredKeys("TrainerOptions"), "bn.schema.Trainer.options");
    assert.deepEqual(Object.keys(bn.schema.BatchNorm1d.options).sort(), declaredKeys("BatchNorm1dOptions"), "bn.schema.BatchNorm1d.options");
    for (const [cls, options, make] of [["BatchNorm2d", "BatchNorm1dOptions", (o) => new bn.BatchNorm2d(2, o)],
      ["LayerNorm", "LayerNormOptions", (o) => new bn.LayerNorm(2, o)], ["GroupNorm", "GroupNormOptions", (o) => new bn.GroupNorm(1, 2, o)],
      ["InstanceNorm2d", "InstanceNorm2dOptions", (o) => new bn.InstanceNorm2d(2, o)]]) {
      assert.deepEqual(Object.keys(bn.schema[cls].options).sort(), declaredKeys(options), `bn.schema.${cls}.options`);
      assert.deepEqual(expectedNames(await errorOf(() => make({ "?": 1 }))), declaredKeys(options), `${cls} options`);
      for (const key of declaredKeys(options)) {
        assert.match(await errorOf(() => make({ [key]: "bad" })), new RegExp(`\\b${key}\\b`), `${cls} option ${key}`);
      }
    }
    // loadBN ignores unknown keys: each declared one must exist (a bad value is refused, naming it).
    for (const key of declaredKeys("LoadOptions")) {
      assert.match(await errorOf(() => loadBN({ [key]: Symbol("bad") })), new RegExp(`\\b${key}\\b`), `loadBN option ${key}`);
    }
    for (const key of declaredKeys("BatchNorm1dOptions")) {
      assert.match(await errorOf(() => new bn.BatchNorm1d(2, { [key]: "bad" })), new RegExp(`\\b${key}\\b`), `BatchNorm1d option ${key}`);
    }
    // String choices: the runtime's message lists the allowed values.
    for (const [alias, option] of [["Dataset", "dataset"], ["Activation", "activation"], ["Optimizer", "optimizer"], ["Init", "init"],
      ["Norm", "norm"], ["NormPlacement", "normPlacement"]]) {
      assert.deepEqual(quotedChoices(await errorOf(() => new bn.Trainer({ [option]: "?" }))), literals(alias), `${alias} (${option})`);
    }
  } finally {
    layer.dispose();
  }
});
