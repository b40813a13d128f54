// The stepper's state table (web/js/stepper/state.js), in Node: every field
// survives the URL and the <bn-stepper> attributes exactly, typed text of
// any kind comes back as typed, hidden rows are kept, the widget observes an
// attribute for every field, and the conventions' defaults live in one place.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import {
  ATTRIBUTES, FIELDS, decodeState, defaultState, encodeState, normalize, stateFromAttributes, stateFromOptions,
  stateToAttributes, visible,
} from "../../web/js/stepper/state.js";
import { CONVENTIONS, comparisonNote, conventionNote } from "../../web/js/stepper/conventions.js";
import { resize, setConvention } from "../../web/js/stepper/transitions.js";

// One value for every field, none of them the default. A field added to the
// table without a sample here fails the first test.
const SAMPLE = {
  cells: [["1,5", "abc", "7"], ["", "−2 ü 漢 😀", "8"], [" 3 ", "%41;|x", "9"]],
  batch: 2,
  features: 2,
  gamma: ["2", "1,0"],
  beta: ["-1", " "],
  convention: "keras",
  eps: "1e-4%",
  momentum: "0.9, or so",
  mode: "eval",
  phase: "backward",
  step: 4,
  earlier: true,
  presenter: true,
  dySource: "loss",
  dy: [["1", "x;y"], ["\t", "0"]],
  target: [["1", "0"], ["0", "2"]],
  history: [[[1, 2], [3, 4]], [[0.1, 1e-7], [2, 8], [-1.5, 1 / 3]]],
  seed: 77,
  randomMean: "-1",
  randomSpread: "é",
  linearWeight: [["2", "1;5"], ["", "−0.5 ü"], ["7", "8"]],
  linearBias: ["1", "%,x"],
  linearSeed: 5,
  norm: "group",
  groups: 3,
  imageShape: [3, 2, 2, 2],
  imageSeed: 9,
  image: [[[["1/2", "a|b"], ["x;y", " "]], [["1,5", "%2F"], ["é", "-0"]]], [[["1", "2"], ["3", "4"]]]],
  stat: 2,
  probe: 2,
  convKernel: 1,
  convOut: 3,
  convSeed: 6,
};

const sample = () => normalize(structuredClone(SAMPLE));
// What a browser does to a hash: parse it as part of a URL and give it back.
const throughBrowser = (encoded) => new URL(`https://example.org/index.html#${encoded}`).hash;

test("the sample sets every field of the table to a value that is not its default", () => {
  const keys = FIELDS.map((f) => f.key);
  assert.deepEqual(Object.keys(SAMPLE).sort(), [...keys].sort(), "SAMPLE must name every field of FIELDS");
  const s = sample();
  for (const key of keys) {
    const { [key]: _, ...rest } = structuredClone(SAMPLE);
    assert.notDeepEqual(s[key], normalize(rest)[key], `${key} equals its default`);
  }
});

test("every field has its own URL name and attribute; attributes are lower-case, as HTML reads them", () => {
  const urls = FIELDS.map((f) => f.url), attributes = FIELDS.map((f) => f.attribute);
  assert.equal(new Set(urls).size, FIELDS.length, `URL names repeat: ${urls}`);
  assert.equal(new Set(attributes).size, FIELDS.length, `attributes repeat: ${attributes}`);
  for (const f of FIELDS) {
    assert.match(f.attribute, /^[a-z][a-z-]*$/, `${f.key}: attribute ${f.attribute}`);
    assert.equal(typeof f.codec.read, "function", `${f.key} has a codec`);
  }
  assert.deepEqual(ATTRIBUTES, attributes);
});

test("the whole state round-trips through the URL (also as a browser hands the hash back) and the attributes", () => {
  const s = sample();
  assert.deepEqual(decodeState(`#${encodeState(s)}`), s);
  assert.deepEqual(decodeState(throughBrowser(encodeState(s))), s);
  const attributes = stateToAttributes(s);
  assert.deepEqual(Object.keys(attributes), ATTRIBUTES);
  assert.deepEqual(stateFromAttributes((name) => attributes[name]), s);
  assert.deepEqual(stateFromOptions({ state: attributes }), s, "mountStepper's options take attribute names and text");
  assert.deepEqual(stateFromOptions({ state: s }), s, "and typed values by key");
});

test("each field alone, changed from the default, survives the URL and the attributes", () => {
  for (const field of FIELDS) {
    const base = field.key === "step" ? { phase: "backward" } : field.key === "batch" || field.key === "features" ? { cells: SAMPLE.cells } : {};
    const s = normalize({ ...base, [field.key]: structuredClone(SAMPLE[field.key]) });
    const viaUrl = decodeState(throughBrowser(encodeState(s)));
    assert.deepEqual(viaUrl[field.key], s[field.key], `${field.key} via the URL`);
    const attributes = stateToAttributes(s);
    assert.deepEqual(stateFromAttributes((name) => attributes[name])[field.key], s[field.key], `${field.key} via its attribute`);
  }
});

test("typed text survives a copied link exactly: commas, semicolons, bars, %, spaces, empty, unicode", () => {
  const texts = ["1,5", "abc", "", "−2", "ü漢😀", " 1 ", "%", "%2C", "%E2%88", "a|b", "1;2", "\t", "1e-5", "+.5"];
  for (const t of texts) {
    const s = normalize({ cells: [[t, "2"], ["3", t]], gamma: [t, "1"], eps: t, dy: [[t, t], [t, t]] });
    const back = decodeState(throughBrowser(encodeState(s)));
    assert.deepEqual(back.cells, [[t, "2"], ["3", t]], JSON.stringify(t));
    assert.equal(back.gamma[0], t);
    assert.equal(back.eps, t);
    assert.equal(back.dy[1][1], t);
  }
  // "1,5" used to come back as two cells (a different shape).
  const s = normalize({ cells: [["1,5"], ["2"]] });
  assert.deepEqual(decodeState(encodeState(s)).cells, [["1,5"], ["2"]]);
  assert.equal(decodeState(encodeState(s)).features, 1);
});

test("the readable forms still read: old links and hand-written attributes", () => {
  const old = decodeState("#x=1,2;3,5&g=2,1&b=0,0&eps=1e-5&mom=0.1&mode=eval&conv=pytorch&step=3");
  assert.deepEqual(old.cells, [["1", "2"], ["3", "5"]]);
  assert.deepEqual([old.batch, old.features, old.mode, old.step], [2, 2, "eval", 3]);
  assert.deepEqual(old.gamma, ["2", "1"]);
  const written = stateFromAttributes((name) => ({ data: "1, 2; 3, 5", gamma: "2, 1", step: " 2 " })[name]);
  assert.deepEqual(written.cells, [["1", "2"], ["3", "5"]], "white space around cells is trimmed");
  assert.deepEqual(written.gamma, ["2", "1"]);
  assert.equal(written.step, 2);
  const broken = decodeState("#x=1,2;3,4&step=99&mode=zzz&eps&batch=0&features=40&seed=-3&hist=1,2|zz");
  assert.equal(broken.step, 7, "step clamped to the last forward step");
  assert.equal(broken.mode, "train");
  assert.equal(broken.eps, CONVENTIONS.pytorch.eps);
  assert.equal(broken.batch, 1, "batch clamped to 1");
  assert.equal(broken.features, 8, "features clamped to 8");
  assert.equal(broken.seed, 1);
  assert.deepEqual(broken.history, []);
  assert.equal(decodeState(""), null);
  assert.equal(decodeState("#step=2"), null, "no batch, no state");
});

test("batch size 1 and back to 2 restores row 2; features 3 → 1 → 3 restores the columns and γ", () => {
  const s = normalize({ cells: [["1", "2", "3"], ["4", "5", "6"]], gamma: ["2", "3", "4"], dy: [["1", "2", "3"], ["4", "5", "6"]] });
  const one = resize(s, 1, 3);
  assert.deepEqual(visible(one).cells, [["1", "2", "3"]]);
  const viaLink = decodeState(throughBrowser(encodeState(one)));
  assert.deepEqual(viaLink, one, "the hidden row is in the link too");
  const two = resize(viaLink, 2, 3);
  assert.deepEqual(two.cells, s.cells);
  assert.deepEqual(two.dy, s.dy);
  const narrow = resize(s, 2, 1);
  assert.deepEqual(visible(narrow).gamma, ["2"]);
  assert.deepEqual(resize(narrow, 2, 3).gamma, s.gamma);
  assert.deepEqual(resize(narrow, 2, 3).cells, s.cells);
  // Cells never typed are drawn from the seed: the same link, the same numbers.
  const grown = resize(s, 4, 3);
  assert.deepEqual(grown.cells.slice(0, 2), s.cells);
  assert.deepEqual(resize(s, 4, 3).cells, grown.cells);
  assert.ok(grown.cells[3].every((c) => Number.isFinite(Number(c))));
});

test("the conventions' defaults come from conventions.js only", () => {
  assert.equal(defaultState().eps, CONVENTIONS.pytorch.eps);
  assert.equal(defaultState().momentum, CONVENTIONS.pytorch.momentum);
  assert.equal(normalize({ cells: [["1"], ["2"]], convention: "keras" }).eps, CONVENTIONS.keras.eps);
  const keras = setConvention(defaultState(), "keras");
  assert.deepEqual([keras.eps, keras.momentum], [CONVENTIONS.keras.eps, CONVENTIONS.keras.momentum]);
  assert.match(conventionNote("keras"), new RegExp(`eps ${CONVENTIONS.keras.eps} and momentum ${CONVENTIONS.keras.momentum}\\b`));
  assert.match(conventionNote("keras"), /PyTorch's momentum 0\.01\b/);
  assert.match(comparisonNote(2), new RegExp(`momentum ${CONVENTIONS.pytorch.momentum} \\(`));
  // No other stepper source file writes the values down again (build
  // outputs such as formulas.generated.js hold KaTeX's dimensions, not ours).
  const dir = new URL("../../web/js/stepper/", import.meta.url);
  const values = Object.values(CONVENTIONS).flatMap((c) => [c.eps, c.momentum]).filter((v) => v !== "0.1");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".js") && f !== "conventions.js" && !f.endsWith(".generated.js"))) {
    const source = readFileSync(new URL(file, dir), "utf8");
    for (const v of values) {
      for (const form of [v, v.replace("-", "−")]) assert.ok(!source.includes(form), `${file} writes ${form}`);
    }
  }
});
