// The command line both preset scripts take (preset-table.mjs,
// landscape-table.mjs): `--seeds 1,2,3`, `--steps N`, then the rest
// (preset ids and flags) in `rest`.
import { PRESET_SEEDS } from "../web/js/presets-config.js";

export function presetArgs(argv = process.argv.slice(2)) {
  const rest = [...argv];
  const take = (name) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest.splice(i, 2)[1] : undefined;
  };
  const seeds = take("seeds")?.split(",").map(Number) ?? [...PRESET_SEEDS];
  const stepsArg = take("steps");
  return { seeds, steps: stepsArg === undefined ? undefined : Number(stepsArg), rest };
}
