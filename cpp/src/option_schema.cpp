// THE option schema: every option of BatchNorm1d and of the Trainer (the other
// layers' tables: option_schema_layers.cpp), and the
// arguments whose range the core owns. The bindings export it (optionSchema(),
// bn.schema in JS); the C++ validators, the JS validators and the page read
// it. Adding an option = one entry here + the member (with its default) in
// the options struct; nothing else (see docs/api.md, "Option schema").
#include "bn/option_schema.hpp"

#include <vector>

#include "bn/activations.hpp"
#include "bn/datasets.hpp"
#include "bn/hidden_norm.hpp"
#include "bn/landscape.hpp"
#include "bn/linear.hpp"
#include "bn/optimizer.hpp"
#include "bn/params.hpp"
#include "bn/trainer_options.hpp"
#include "option_fields.hpp"

namespace bn {

using namespace option_fields;

namespace {
constexpr int kMaxSamples = 20000;
constexpr int kMaxLayers = 100;
constexpr int kMaxWidth = 256;
}  // namespace

const OptionTable<BatchNormOptions>& batchnorm_option_table() {
  using O = BatchNormOptions;
  static const OptionTable<O> table = {
      number("eps", &O::eps, 0, true, kNone, "added to the variance: x̂ = (x − μ)/√(σ² + eps)"),
      number("momentum", &O::momentum, 0, false, 1,
                      "running ← (1 − momentum)·running + momentum·batch statistic; "
                      "null: cumulative average (factor 1/numBatchesTracked)"),
      boolean("affine", &O::affine, "learnable γ (ones) and β (zeros); false: y = x̂"),
  };
  return table;
}

const std::vector<OptionSpec>& batchnorm_arguments() {
  static const std::vector<OptionSpec> args = {
      integer_spec("features", 1, kNone, "new BatchNorm1d(features): channels (columns of x)"),
  };
  return args;
}

const OptionTable<TrainerOptions>& trainer_option_table() {
  using O = TrainerOptions;
  static const OptionTable<O> table = {
      choice("dataset", &O::dataset, dataset_names(), "toy 2-D, two-class dataset"),
      integer("samples", &O::samples, 10, kMaxSamples, "points in the dataset (training + test)"),
      number("noise", &O::noise, 0, false, 2, "standard deviation of the noise on each coordinate"),
      integer_list("hidden", &O::hidden, 1, kMaxLayers, 1, kMaxWidth, "layer widths",
                   "hidden layer widths, input side first"),
      choice("activation", &O::activation, activation_names(), "activation of every hidden layer"),
      boolean("batchNorm", &O::batch_norm, "BatchNorm1d after every hidden linear layer"),
      choice("optimizer", &O::optimizer, optimizer_names(), "sgd, sgd with momentum 0.9, or adam"),
      number("lr", &O::lr, 0, true, kNone, "learning rate"),
      integer("batchSize", &O::batch_size, 1, kMaxSamples,
              "minibatch size; at most the training points (samples − round(samples·testFraction)), "
              "and at least 2 with batchNorm"),
      integer("seed", &O::seed, 0, 4294967295.0, "seed of the points, the weights and the batch order"),
      choice("init", &O::init, init_option_values(),
             "weight init; auto: kaiming for relu, xavier otherwise"),
      number("testFraction", &O::test_fraction, 0, false, 0.5, "share of the points held out for testing"),
      choice("norm", &O::norm, norm_names(),
             "normalization of every hidden layer: BatchNorm1d, LayerNorm, GroupNorm or none; "
             "batchNorm true/false means batch/none (both given must agree)"),
      integer("groups", &O::groups, 1, kMaxWidth, "norm group: groups per layer (must divide every hidden width)"),
      choice("normPlacement", &O::norm_placement, norm_placement_names(),
             "before: Linear -> Norm -> activation; after: Linear -> activation -> Norm"),
      boolean("residual", &O::residual, "x + f(x) around each hidden block whose input and output widths match"),
      number("momentum", &O::momentum, 0, false, 1,
             "running-statistics momentum of every BatchNorm; null: cumulative average"),
  };
  return table;
}

const std::vector<OptionSpec>& trainer_arguments() {
  static const std::vector<OptionSpec> args = {
      integer_spec("n", 0, 1000000, "step(n): minibatch steps in one call"),
      integer_spec("res", 1, 1024, "predictGrid(res): the grid is res × res"),
  };
  return args;
}

const std::vector<OptionSpec>& landscape_arguments() {
  static const std::vector<OptionSpec> args = [] {
    const LandscapeOptions defaults;
    OptionSpec steps = integer_spec("steps", 1, LandscapeOptions::kMaxSteps,
                                    "tr.landscape({ steps }): points along the gradient direction");
    steps.default_value = OptionValue::of(static_cast<double>(defaults.steps));
    OptionSpec scale = spec("maxScale", OptionType::number,
                            "tr.landscape({ maxScale }): the farthest point is w - lr·maxScale·g");
    scale.min = 0;
    scale.min_exclusive = true;
    scale.max = LandscapeOptions::kMaxScale;
    scale.default_value = OptionValue::of(defaults.max_scale);
    return std::vector<OptionSpec>{steps, scale};
  }();
  return args;
}

}  // namespace bn
