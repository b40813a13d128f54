// The option tables of BatchNorm2d (BatchNorm1d's: the same struct and
// rules), LayerNorm, GroupNorm and InstanceNorm2d, and their constructor
// arguments, as torch.nn names them (camelCase, as every JS option).
// Exported with the rest of the schema (bn.schema.LayerNorm, ...).
#include <vector>

#include "bn/groupnorm.hpp"
#include "bn/instancenorm.hpp"
#include "bn/layernorm.hpp"
#include "bn/norm_layout.hpp"
#include "bn/option_schema.hpp"
#include "option_fields.hpp"

namespace bn {

using namespace option_fields;

namespace {
const char kEpsDoc[] = "added to the variance: x̂ = (x − μ)/√(σ² + eps)";
const char kAffineDoc[] = "learnable γ (ones) and β (zeros) per channel; false: y = x̂";
}  // namespace

const OptionTable<LayerNormOptions>& layernorm_option_table() {
  using O = LayerNormOptions;
  static const OptionTable<O> table = {
      number("eps", &O::eps, 0, true, kNone, kEpsDoc),
      boolean("elementwiseAffine", &O::elementwise_affine,
              "learnable γ (ones) and β (zeros) per normalized element; false: y = x̂"),
  };
  return table;
}

const OptionTable<GroupNormOptions>& groupnorm_option_table() {
  using O = GroupNormOptions;
  static const OptionTable<O> table = {
      number("eps", &O::eps, 0, true, kNone, kEpsDoc),
      boolean("affine", &O::affine, kAffineDoc),
  };
  return table;
}

const OptionTable<InstanceNormOptions>& instancenorm_option_table() {
  using O = InstanceNormOptions;
  static const OptionTable<O> table = {
      number("eps", &O::eps, 0, true, kNone, kEpsDoc),
      number("momentum", &O::momentum, 0, false, 1,
             "running ← (1 − momentum)·running + momentum·instance statistic (with trackRunningStats)"),
      boolean("affine", &O::affine, kAffineDoc),
      boolean("trackRunningStats", &O::track_running_stats,
              "keep running statistics (averaged over the batch's instances) and use them in eval mode"),
  };
  return table;
}

const std::vector<OptionSpec>& batchnorm2d_arguments() {
  static const std::vector<OptionSpec> args = {
      integer_spec("numFeatures", 1, kNone, "new BatchNorm2d(numFeatures): channels C of [N, C, H, W]"),
  };
  return args;
}

const std::vector<OptionSpec>& layernorm_arguments() {
  static const std::vector<OptionSpec> args = [] {
    OptionSpec s = spec("normalizedShape", OptionType::integer_list,
                        "new LayerNorm(normalizedShape): the trailing dimensions normalized together, e.g. [C, H, W]");
    s.min_length = 1;
    s.max_length = kMaxRank - 1;
    s.min = 1;
    s.item_label = "sizes";
    return std::vector<OptionSpec>{s};
  }();
  return args;
}

const std::vector<OptionSpec>& groupnorm_arguments() {
  static const std::vector<OptionSpec> args = {
      integer_spec("numGroups", 1, kNone, "new GroupNorm(numGroups, numChannels): groups G (must divide C)"),
      integer_spec("numChannels", 1, kNone, "new GroupNorm(numGroups, numChannels): channels C of [N, C, *]"),
  };
  return args;
}

const std::vector<OptionSpec>& instancenorm_arguments() {
  static const std::vector<OptionSpec> args = {
      integer_spec("numFeatures", 1, kNone, "new InstanceNorm2d(numFeatures): channels C of [N, C, H, W]"),
  };
  return args;
}

}  // namespace bn
