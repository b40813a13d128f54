// The page's claim presets: the networks, steps, controls and thresholds
// come from ../presets-config.js (one source with the Node tests and the
// PyTorch calibration); this file adds only what the page shows: the
// caption (what holds over seeds 1-5, with the measured figures of the
// config's comments), the caption of each control, and how the panels
// present the claim (headline figure, layer statistics, checkpoints).
import { PRESET_CONFIGS, presetOptions } from "../presets-config.js";

const PAGE = {
  aggressive: {
    text: "Three ReLU layers trained by plain SGD at learning rate 3. Without batch norm this rate fails on every " +
      "seed (1–5): the network stays at 50 % or diverges. With batch norm the same network trains at the same rate " +
      "(99.9 % of the points at 1000 steps, at least 99.5 %). The control shows that the plain network can learn " +
      "these moons: at the modest rate 0.1 both networks reach 99.8 % or more. What fails is the rate, and batch norm is " +
      "what lets the network take it.",
    controls: { modest: "At learning rate 0.1 both networks classify at least 99.8 % of the points (seeds 1–5): the plain " +
      "network's failure above is the rate's." },
  },
  standardized: {
    text: "Each hidden layer's input to its tanh, its mean and standard deviation over the batch, at every frame " +
      "(one line per layer). With batch norm each layer's spread stays within a factor of 1.6–1.8 of itself over " +
      "2000 steps (only γ moves it); without, the worst layer's spread changes 8–17 times over (seeds 1–5), so the " +
      "layers above it keep chasing a moving distribution. The means move in both networks (β learns in the " +
      "batch-norm one): shown, not claimed. Both networks classify the circles (99 %): the claim is the held " +
      "spread, not accuracy.",
    headline: null,
    layerStats: true,
  },
  noise: {
    text: "Noisy moons, 200 training and 200 test points, two layers of 64 ReLUs trained by Adam. The headline is the " +
      "test loss at 3000 steps. With batches of 8, batch norm's test loss is 0.42 (0.39–0.46 over seeds 1–5); the " +
      "plain network's is 0.99 (0.58–1.83): it fits the noise. The control, batch norm on the whole training split " +
      "(batches of 200, no minibatch noise), ends at 2.8 (1.7–5.3): the regularizer is the noise of small batches' " +
      "statistics. Test accuracy differs by less than the seeds do (79 % and 80 %), so nothing is claimed for it.",
    headline: "testLoss",
    controls: { fullBatch: "Batches of the whole training split: no minibatch noise, and batch norm's test loss " +
      "rises far above the small-batch one (2.8 against 0.42 on average over seeds 1–5)." },
  },
  deep: {
    text: "Ten sigmoid layers trained by plain SGD at learning rate 1. Without batch norm the gradient that reaches " +
      "the first layer is about 5e−6 of the last layer's, and the network stays at 50 % on every seed (1–5); with " +
      "batch norm it trains (99 %). The control, a plain network of two layers, trains (98 %): what the plain " +
      "network cannot cross is the depth.",
    layerStats: true,
    controls: { shallow: "Two sigmoid layers: the plain network trains too (98 % on average over seeds 1–5)." },
  },
  residual100: {
    text: "100 ReLU layers of 16 units, SGD at learning rate 0.02, 500 steps. Residual blocks with batch norm train " +
      "(99.9 % of the points on seeds 1–5); the plain network stays at 50 %. The control shows that neither is " +
      "enough alone.",
    controls: { alone: "Batch norm without residual blocks stays near 50 % (at most 62 %), residual blocks without " +
      "batch norm diverge, on every seed (1–5)." },
    titles: { alone: { bn: "Batch norm, no residual blocks", plain: "Residual blocks, no batch norm" } },
  },
  placement: {
    text: "Six sigmoid layers with batch norm, SGD at learning rate 1: left, batch norm before each sigmoid; right, " +
      "after it. Both train: in train mode (batch statistics) 98.7 % and 99.1 % of the points on average over seeds " +
      "1–5 (eval mode is not the check here: the after-network's eval accuracy swings between 50 % and 95 % from " +
      "one 50 steps to the next on some seeds, its running statistics behind its saturated sigmoids). What differs " +
      "is which values are standardized: before, the sigmoid's inputs are held near mean 0 and std 1 and at most " +
      "4.3 % of its outputs sit in the flat ends; after, the linear outputs are not normalized and in the busiest " +
      "layer 52–74 % of the sigmoids saturate.",
    titles: { "": { bn: "Batch norm before the activation", plain: "Batch norm after the activation" } },
    headline: "trainModeAccuracy",
    layerStats: true,
  },
  slowStats: {
    text: "Both networks use batch norm; left, momentum 0.001; right, PyTorch's default 0.1. Eval mode normalizes " +
      "with the running statistics, train mode with each batch's own. At momentum 0.001, 300 steps leave the " +
      "running statistics near their start (0 and 1): eval accuracy is 52 % while train mode reaches 97 % (a gap " +
      "of 0.45, 0.44–0.48 over seeds 1–5). Press Recalibrate statistics (as torch.optim.swa_utils.update_bn): " +
      "the running statistics are re-estimated over the training split and eval accuracy rises to 99.5 %, within " +
      "0.03 of train mode. At momentum 0.1 there is no gap to close. Running statistics vs the truth (in each " +
      "panel) shows why: at momentum 0.001 layer 1's running variances are 312 % off the population variances of " +
      "their input over the training split (194–414 % over seeds 1–5), at momentum 0.1 0.7 % (0.4–1.3 %); " +
      "recalibrated, 0.6 % (0.4–0.9 %), and the running means equal the population means to float rounding. The " +
      "two networks have the same weights: momentum changes only the running statistics, never a training step.",
    headline: "trainMode",
    runningStats: true,
    titles: { "": { bn: "Batch norm, momentum 0.001", plain: "Batch norm, momentum 0.1" } },
  },
};

export const PRESETS = Object.entries(PRESET_CONFIGS).map(([id, config]) => ({
  id, name: config.name, steps: config.steps, thresholds: config.thresholds, checkpoints: config.checkpoints ?? [],
  text: PAGE[id].text, headline: PAGE[id].headline === undefined ? "accuracy" : PAGE[id].headline, layerStats: PAGE[id].layerStats ?? false,
  runningStats: PAGE[id].runningStats ?? false,   // opens the running-statistics view
  controls: config.controls.map((c) => ({ id: c.id, label: c.label, text: PAGE[id].controls?.[c.id] ?? "" })),
  // Panel titles where the pair is not "with / without batch norm", per control ("" the preset's own pair).
  titles: PAGE[id].titles ?? {},
  // Deep networks take more steps per frame, so the worker is not held to
  // 5 steps × 30 frames/s (150 steps/s) where one step is cheap in time.
  stepsPerFrame: config.base.hidden.length >= 10 ? 20 : null,
}));

export const presetById = (id) => PRESETS.find((p) => p.id === id) ?? null;

// The Trainer options of both panels of a preset (or of one of its
// controls), straight from the config: { bn, plain }.
export function presetPanels(id, control, seed) {
  const pick = { control: control || null, seed };
  return { bn: presetOptions(id, "bn", pick), plain: presetOptions(id, "plain", pick) };
}

// One line that says what a panel's network is, from its options (so it is
// true of whatever the panel trains).
export function describeNetwork(o) {
  const width = o.hidden.every((w) => w === o.hidden[0]) ? `${o.hidden.length} × ${o.hidden[0]}` : o.hidden.join(", ");
  const norm = { batch: "batch norm", layer: "layer norm", group: `group norm (${o.groups ?? 1} groups)`, none: "no normalization" }[o.norm ?? "batch"];
  const parts = [`${width} ${o.activation}`, norm];
  if (o.norm !== "none") {
    parts.push(`${o.normPlacement === "after" ? "after" : "before"} the activation`);
    if (o.norm === "batch" || o.norm === undefined) parts.push(`momentum ${o.momentum === null ? "null (cumulative average)" : o.momentum ?? 0.1}`);
  }
  if (o.residual) parts.push("residual blocks");
  parts.push(`${o.optimizer} at lr ${o.lr}`, `batch ${o.batchSize}`);
  return parts.join(", ");
}
