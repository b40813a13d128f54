// The "standardized" preset of web/js/presets-config.js: its claim and control over 5 seeds, both builds.
import { testPreset } from "./preset-claims.mjs";

testPreset("standardized");
