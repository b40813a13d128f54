#include "bn/trainer_network.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace bn {
namespace {

void fail(const std::string& message) { throw std::invalid_argument(message); }

}  // namespace

void resolve_network_options(TrainerOptions& o) {
  const Norm norm = parse_norm(o.norm);
  if (!o.batch_norm && norm == Norm::batch) o.norm = "none";
  o.batch_norm = o.norm == "batch";
  const int layers = static_cast<int>(o.hidden.size());
  if (norm == Norm::group && o.groups >= 1) {
    for (int l = 0; l < layers; ++l)
      if (o.hidden[l] >= 1 && o.hidden[l] % o.groups != 0)
        fail("groups must divide every hidden width (num_channels must be divisible by num_groups): hidden[" +
             std::to_string(l) + "] is " + std::to_string(o.hidden[l]) + ", groups " + std::to_string(o.groups));
  }
  if (o.batch_norm && o.batch_size == 1)
    fail("batchSize must be >= 2 with norm \"batch\": Expected more than 1 value per channel when training "
         "(norm \"layer\" or \"group\" trains at batch size 1)");
  std::int64_t units = 0;
  for (int w : o.hidden) units += w > 0 ? w : 0;
  if (o.batch_size > 0 && units * o.batch_size > kMaxBatchUnits)
    fail("batchSize * (sum of hidden widths) must be <= " + std::to_string(static_cast<int>(kMaxBatchUnits)) +
         ", got " + std::to_string(o.batch_size) + " * " + std::to_string(static_cast<int>(units)) +
         ": use fewer or narrower layers, or smaller batches");
}

void resolve_given_options(const OptionValue& given, TrainerOptions& o) {
  auto present = [&](const char* name) {
    for (const auto& [key, value] : given.fields)
      if (key == name && value.kind != OptionValue::Kind::absent) return true;
    return false;
  };
  const bool has_batch_norm = present("batchNorm"), has_norm = present("norm");
  if (has_batch_norm && has_norm && o.batch_norm != (o.norm == "batch"))
    fail(std::string("batchNorm ") + (o.batch_norm ? "true" : "false") + " and norm \"" + o.norm +
         "\" disagree (batchNorm true means norm \"batch\", false means norm \"none\"): give one of them");
  if (has_batch_norm && !has_norm) o.norm = o.batch_norm ? "batch" : "none";
  if (has_norm) o.batch_norm = o.norm == "batch";
  if (!present("batchSize")) o.batch_size = std::max(1, std::min(o.batch_size, training_points(o)));
}

MlpConfig network_config(const TrainerOptions& o) {
  MlpConfig c;
  c.hidden = o.hidden;
  c.activation = parse_activation(o.activation);
  c.norm = parse_norm(o.norm);
  c.groups = o.groups;
  c.placement = parse_norm_placement(o.norm_placement);
  c.residual = o.residual;
  c.momentum = o.momentum;
  c.init = parse_init(o.init);
  return c;
}

}  // namespace bn
