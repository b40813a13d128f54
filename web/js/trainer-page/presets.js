// One-click demonstrations of the three claims made for batch norm. Each
// preset is the settings it changes from the defaults and the sentences that
// say what to look at; state.js presetState() makes its full state (and the
// preset field's choices are these ids). Plain data: this file imports nothing.

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
    overrides: { dataset: "moons", samples: 100, noise: 0.5, activation: "relu", hidden: [64, 64], lr: 0.01,
      optimizer: "adam", batchSize: 8, layer: 1 },
    text: "Only 80 noisy training points for two layers of 64 units: the plain network memorizes them (train " +
      "accuracy close to 100% by 2000 steps) while its dashed test-loss curve keeps climbing. With batches of 8, " +
      "batch norm standardizes every example by the mean and variance of the 8 random points it came with, so each " +
      "step sees the data shifted and scaled a little differently: the batch-norm network cannot memorize through " +
      "that noise (train accuracy stays near 80–90%), its test loss stays near 0.4 and its test accuracy is as good " +
      "or better, while at batch size 80, the whole training split, the noise is gone and batch norm overfits like " +
      "the plain network.",
  },
];
