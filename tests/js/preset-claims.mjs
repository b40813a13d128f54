// One claim preset as a test (not a test file): in both WASM builds, for
// every seed of PRESET_SEEDS, trains the preset's networks and asserts each
// of its checks (scripts/preset-claims.mjs), with the measured figures in
// the message. The thresholds live in web/js/presets-config.js.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { loadBN } from "../../web/js/bn.js";
import { PRESET_CONFIGS, PRESET_SEEDS } from "../../web/js/presets-config.js";
import { measurePreset } from "../../scripts/preset-claims.mjs";

const builds = { simd: await loadBN({ simd: true }), scalar: await loadBN({ simd: false }) };

// steps: a shorter run than the preset's own, where the claim still holds
// (measured with scripts/preset-table.mjs --steps).
export function testPreset(id, { steps } = {}) {
  const preset = PRESET_CONFIGS[id];
  describe(`preset "${preset.name}": its claim and its control hold over seeds ${PRESET_SEEDS.join(", ")}`, () => {
    for (const [name, bn] of Object.entries(builds)) {
      test(`${name} build, ${steps ?? preset.steps} steps`, () => {
        for (const seed of PRESET_SEEDS) {
          const { metrics, checks } = measurePreset(bn, id, seed, { steps });
          const figures = Object.entries(metrics).map(([k, v]) => `${k} ${Number(v).toPrecision(3)}`).join(", ");
          for (const [claim, ok] of Object.entries(checks)) {
            assert.ok(ok, `seed ${seed}: "${claim}" fails (thresholds ${JSON.stringify(preset.thresholds)}; ${figures})`);
          }
        }
      });
    }
  });
}
