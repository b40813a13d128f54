// One-click demonstrations of the three claims made for batch norm. Each
// preset is a full state (defaults + overrides) and two sentences that say
// what to look at.
import { defaultState } from "./state.js";

export const PRESETS = [
  {
    id: "aggressive",
    name: "Aggressive learning rate",
    overrides: { dataset: "moons", activation: "sigmoid", hidden: [16, 16, 16, 16, 16, 16], lr: 1,
      optimizer: "sgd", batchSize: 32, noise: 0.1, layer: 6 },
    text: "Six sigmoid layers trained by plain SGD at learning rate 1: in the plain network the signal and its " +
      "gradient shrink through every sigmoid, so the loss sits at ln 2 ≈ 0.69 and the plain network guesses one " +
      "class for everything. In the batch-norm network each layer's input is re-standardized at every step, the sigmoids " +
      "stay in their sensitive range, and the same large rate separates the moons within a few hundred steps.",
  },
  {
    id: "standardized",
    name: "Standardized inputs",
    overrides: { dataset: "circles", activation: "tanh", hidden: [16, 16, 16, 16], lr: 0.5,
      optimizer: "sgd", batchSize: 32, noise: 0.1, layer: 3 },
    text: "The strips show the third hidden layer's values for each batch, one column per frame: in the plain " +
      "network the inputs to its tanh start in a narrow band and spread out many times over as the earlier weights " +
      "learn, so the layers above keep chasing a moving distribution. In the batch-norm network the linear outputs " +
      "(upper strip) drift in the same way, but x̂ (lower strip) has mean 0 and standard deviation 1 over the " +
      "batch in every frame, whatever the earlier layers do.",
  },
  {
    id: "noise",
    name: "Minibatch noise",
    overrides: { dataset: "moons", activation: "relu", hidden: [16, 16], lr: 0.1,
      optimizer: "sgd", batchSize: 4, noise: 0.25, layer: 1 },
    text: "With batches of 4, the mean and variance that batch norm divides by come from just four points, so " +
      "in training mode every example is shifted and scaled a little differently each step: the grey minibatch " +
      "loss of the batch-norm network stays well above its train loss measured in eval mode (running averages). " +
      "That noise acts as a regularizer (test accuracy keeps up with train accuracy) but at this batch size it " +
      "also holds the network back, while the plain network, which has no batch statistics, does not feel it.",
  },
];

export function presetState(id, base = defaultState()) {
  const preset = PRESETS.find((p) => p.id === id);
  if (!preset) return null;
  return { ...base, ...preset.overrides, hidden: [...preset.overrides.hidden] };
}
