// The normalization lab in Node: its state (shape, image, layer, groups)
// through the URL and <bn-stepper> attributes, typed cells kept beyond the
// shape, bad values as the other fields handle them, the patterns, the
// transitions, and the float64 reference and gradient check (against a
// hand-written BatchNorm2d and PyTorch's folded backward). Numbers from the
// core's layers are checked in tests/browser/stepper-lab.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeState, encodeState, normalize, stateFromAttributes, stateToAttributes, visible } from "../../web/js/stepper/state.js";
import { DEFAULT_SHAPE, dims, patternImage, tensor } from "../../web/js/stepper/lab-state.js";
import * as T from "../../web/js/stepper/lab-transitions.js";
import { labDy, readImage } from "../../web/js/stepper/lab-compute.js";
import { labGradientCheck, normBackward64, normForward64 } from "../../web/js/stepper/lab-gradcheck.js";

const throughBrowser = (encoded) => new URL(`https://example.org/#${encoded}`).hash;

test("the lab's fields from a <bn-stepper> attribute set, and back through the URL", () => {
  const attrs = { data: "1,2;3,5", norm: "group", groups: "2", shape: "2,4,3,3" };
  const s = stateFromAttributes((name) => attrs[name]);
  assert.equal(s.norm, "group");
  assert.equal(s.groups, 2);
  assert.deepEqual(s.imageShape, [2, 4, 3, 3]);
  assert.deepEqual([visible(s).image.length, visible(s).image[0].length, visible(s).image[0][0].length, visible(s).image[0][0][0].length], [2, 4, 3, 3]);
  const back = decodeState(throughBrowser(encodeState(s)));
  assert.deepEqual(back, s);
  const again = stateToAttributes(s);
  assert.equal(again.norm, "group");
  assert.equal(again.shape, "2,4,3,3");
  assert.deepEqual(stateFromAttributes((name) => again[name]), s);
});

test("bad lab values fall back as the other fields do; the default view has no lab keys in its link", () => {
  const s = decodeState("#x=1,2&norm=batch3d&groups=0&shape=2,5,3,3&stat=-1&probe=zz");
  assert.equal(s.norm, "batch1d");
  assert.equal(s.groups, 2);
  assert.deepEqual(s.imageShape, DEFAULT_SHAPE);
  assert.equal(s.stat, 1);
  assert.equal(s.probe, 1);
  assert.equal(decodeState("#x=1&shape=1,1,2").imageShape.join(), DEFAULT_SHAPE.join(), "three dimensions: unreadable");
  assert.deepEqual(decodeState("#x=1&shape=4,4,4,4&probe=9").probe, 4, "probe clamped to the samples");
  assert.doesNotMatch(encodeState(normalize({})), /norm=|img=|shape=|groups=/);
  assert.equal(dims.read("1, 2 ,3,4").join(), "1,2,3,4");
  assert.equal(dims.read("1,2,3,4.5"), undefined);
});

test("typed text in the image survives a link exactly, also / | ; , and spaces", () => {
  const texts = ["1/2", "a|b", "x;y", "1,5", " 7 ", "%2F", "", "−3"];
  let s = normalize({ norm: "instance", imageShape: [1, 2, 2, 2] });
  texts.forEach((t, j) => { s = T.editImageCell(s, 0, j >> 2, (j >> 1) & 1, j & 1, t); });
  const back = decodeState(throughBrowser(`x=1&${encodeState(s)}`));
  assert.deepEqual(visible(back).image.flat(3), texts);
  assert.deepEqual(tensor.read(tensor.write(s.image)), s.image);
});

test("typed cells beyond the shape come back: 2 samples → 1 → 2, 3 channels → 1 → 3", () => {
  let s = normalize({ norm: "layer", imageShape: [2, 3, 2, 2] });
  s = T.editImageCell(s, 1, 2, 1, 1, "42");
  const one = T.resizeImage(T.resizeImage(s, 0, 1), 1, 1);
  assert.equal(visible(one).image.length, 1);
  const viaLink = decodeState(throughBrowser(encodeState(one)));
  const back = T.resizeImage(T.resizeImage(viaLink, 0, 2), 1, 3);
  assert.equal(visible(back).image[1][2][1][1], "42");
  assert.deepEqual(T.resizeImage(s, 2, 5), s, "5 is beyond the limit: nothing changes");
  assert.equal(T.checkDimension(0), "Must be a whole number from 1 to 4.");
  assert.equal(T.checkDimension(2.5), "Must be a whole number from 1 to 4.");
  assert.equal(T.setGroups(s, 9), s);
});

test("patterns and the random image batch fill the current shape; a random image is a link", () => {
  const s = normalize({ norm: "batch2d", imageShape: [2, 2, 2, 3] });
  const edge = T.applyPattern(s, "edge");
  assert.deepEqual(visible(edge).image[0][0], [["0", "0", "1"], ["0", "0", "1"]]);
  assert.deepEqual(visible(edge).image[1][1], [["1", "1", "3"], ["1", "1", "3"]], "scaled by channel + 1, shifted by the sample");
  assert.deepEqual(patternImage("checkerboard", [1, 1, 2, 2])[0][0], [["0", "1"], ["1", "0"]]);
  assert.deepEqual(patternImage("gradient", [1, 1, 2, 2])[0][0], [["0", "0.5"], ["0.5", "1"]]);
  const random = T.randomizeImage(s);
  assert.notDeepEqual(visible(random).image, visible(s).image);
  assert.deepEqual(decodeState(throughBrowser(encodeState(random))), random);
  assert.ok(readImage(random).ok);
});

test("bad image cells are named by sample, channel, row and col and computed from nothing", () => {
  let s = normalize({ norm: "group", imageShape: [1, 2, 1, 2] });
  s = T.editImageCell(s, 0, 1, 0, 1, "abc");
  const r = readImage(s);
  assert.equal(r.ok, false);
  assert.deepEqual([...r.errors.keys()], ["image:0:1:0:1"]);
  assert.match(r.errors.get("image:0:1:0:1"), /not a number/);
});

test("the float64 reference: BatchNorm2d by hand, and the folded backward against central differences", () => {
  const shape = [2, 2, 1, 2];
  const x = Float64Array.from([1, 2, 10, 14, 3, 5, 11, 9]);
  const f = normForward64(x, { norm: "batch2d", shape, groups: 1, eps: 0 });
  // channel 1: x = 1, 2, 3, 5 → mean 2.75, var ((1.75)² + 0.75² + 0.25² + 2.25²) / 4
  assert.equal(f.mean[0], 2.75);
  assert.ok(Math.abs(f.var[0] - (1.75 ** 2 + 0.75 ** 2 + 0.25 ** 2 + 2.25 ** 2) / 4) < 1e-15);
  assert.equal(f.mean[1], 11);
  for (const norm of ["batch1d", "batch2d", "layer", "group", "instance"]) {
    const spec = { norm, shape, groups: 2, eps: 1e-5 };
    const dy = labDy(x.length);
    const b = normBackward64(x, dy, spec);
    const check = labGradientCheck({ ...spec, x, dy, dx: b.dx });
    assert.ok(check.agree && check.relError < 1e-6, `${norm}: folded dx vs central differences, ${check.relError}`);
    const wrong = labGradientCheck({ ...spec, x, dy, dx: Float64Array.from(b.dx, (v, j) => (j === 3 ? v + 0.1 : v)) });
    assert.equal(wrong.agree, false, `${norm}: a wrong dx is caught`);
  }
});
