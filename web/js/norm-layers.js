// BatchNorm2d, LayerNorm, GroupNorm and InstanceNorm2d (docs/api.md, "More
// normalization layers"), each with torch.nn's semantics: the constructor's
// arguments checked through the seam (sizes) and bn.schema (options), every
// other member from the shared base (shaped-layer.js).
import { readOptions, fail, describe } from "./validate.js";
import { seamFor } from "./seam.js";
import { snapshot } from "./seam-args.js";
import { makeShapedLayer } from "./shaped-layer.js";

// schema: bn.schema. Returns { BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d }.
export function makeNormLayers(wasm, schema) {
  const seam = seamFor(wasm);
  const { ShapedLayer, defineConfigGetters, defineRunningGetters } = makeShapedLayer(wasm);
  const maxRank = schema.LayerNorm.arguments.normalizedShape.maxLength;

  // LayerNorm's normalizedShape: an integer (as torch: [D]) or an array of
  // sizes, read once.
  function readNormalizedShape(value) {
    const shown = `an integer or an array of 1 to ${maxRank} integers >= 1 (the trailing dimensions, e.g. [C, H, W])`;
    const list = typeof value === "number" ? [value] : Array.isArray(value) ? snapshot("normalizedShape", value).values : null;
    if (list?.length === 0) {   // torch's words
      fail("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []");
    }
    if (list === null || list.length < 1 || list.length > maxRank) fail(`normalizedShape must be ${shown}, got ${describe(value)}`);
    let total = 1;
    list.forEach((d, i) => {
      if (!Number.isInteger(d) || d < 1) fail(`normalizedShape[${i}] must be an integer >= 1, got ${describe(d)}`);
      total *= d;
    });
    seam.count("normalizedShape's element count", total);
    return list;
  }

  class BatchNorm2d extends ShapedLayer {
    constructor(numFeatures, options) {
      seam.count("numFeatures", numFeatures);
      const { eps, momentum, affine } = readOptions("BatchNorm2d", schema.BatchNorm2d.options, options);
      super("BatchNorm2d", [numFeatures], { eps, momentum, affine }, { numFeatures, eps, momentum, affine });
    }
  }
  defineConfigGetters(BatchNorm2d, ["numFeatures", "eps", "momentum", "affine"]);
  defineRunningGetters(BatchNorm2d, { batches: true });

  class LayerNorm extends ShapedLayer {
    constructor(normalizedShape, options) {
      const shape = readNormalizedShape(normalizedShape);
      const { eps, elementwiseAffine } = readOptions("LayerNorm", schema.LayerNorm.options, options);
      super("LayerNorm", shape, { eps, elementwiseAffine }, { normalizedShape: shape, eps, elementwiseAffine });
    }
  }
  defineConfigGetters(LayerNorm, ["normalizedShape", "eps", "elementwiseAffine"]);

  class GroupNorm extends ShapedLayer {
    constructor(numGroups, numChannels, options) {
      seam.count("numGroups", numGroups);
      seam.count("numChannels", numChannels);
      const { eps, affine } = readOptions("GroupNorm", schema.GroupNorm.options, options);
      super("GroupNorm", [numGroups, numChannels], { eps, affine }, { numGroups, numChannels, eps, affine });
    }
  }
  defineConfigGetters(GroupNorm, ["numGroups", "numChannels", "eps", "affine"]);

  class InstanceNorm2d extends ShapedLayer {
    constructor(numFeatures, options) {
      seam.count("numFeatures", numFeatures);
      const o = readOptions("InstanceNorm2d", schema.InstanceNorm2d.options, options);
      super("InstanceNorm2d", [numFeatures], o, { numFeatures, ...o });
    }
  }
  defineConfigGetters(InstanceNorm2d, ["numFeatures", "eps", "momentum", "affine", "trackRunningStats"]);
  defineRunningGetters(InstanceNorm2d, { batches: false });

  return { BatchNorm2d, LayerNorm, GroupNorm, InstanceNorm2d };
}
