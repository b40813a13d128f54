#include "bn/hidden_norm.hpp"

#include <stdexcept>
#include <string>
#include <utility>

#include "bn/groupnorm.hpp"
#include "bn/layernorm.hpp"
#include "bn/option_schema.hpp"

namespace bn {
namespace {

// Batch norm: bn::BatchNorm1d, the class the JS API exposes.
class BatchNormLayer final : public HiddenNorm {
 public:
  BatchNormLayer(int width, std::optional<double> momentum) : bn_(width, options(momentum)) {}

  void set_training(bool training) override { training ? bn_.train() : bn_.eval(); }
  void forward(const float* x, int m, float* y) override { bn_.forward(x, m, y); }
  void backward(const float* dy, float* dx) override { bn_.backward(dy, dx, nullptr, nullptr); }
  std::vector<ParamRef> parameters() override {
    return {{bn_.gamma_data(), bn_.dgamma(), bn_.features()},
            {bn_.beta_data(), bn_.dbeta(), bn_.features()}};
  }
  BatchNorm1d* batch_norm() override { return &bn_; }
  const BatchNorm1d* batch_norm() const override { return &bn_; }

 private:
  static BatchNormOptions options(std::optional<double> momentum) {
    BatchNormOptions o;
    o.momentum = momentum;
    return o;
  }
  BatchNorm1d bn_;
};

// Layer norm and group norm: a layer of the shape API (bn::LayerNorm over
// [width], bn::GroupNorm(groups, width)) on the [m, width] batch, each row
// normalized by itself in both modes. The shape is kept, only its m
// changes: no allocation per call.
template <class L>
class RowNormLayer final : public HiddenNorm {
 public:
  RowNormLayer(L layer, int width) : layer_(std::move(layer)), shape_{1, width}, width_(width) {}

  void set_training(bool training) override { training ? layer_.train() : layer_.eval(); }
  void forward(const float* x, int m, float* y) override {
    shape_[0] = m;
    layer_.forward(x, static_cast<std::size_t>(m) * static_cast<std::size_t>(width_), shape_, y);
  }
  void backward(const float* dy, float* dx) override { layer_.backward(dy, dx, nullptr, nullptr); }
  std::vector<ParamRef> parameters() override {
    return {{layer_.gamma_data(), layer_.dgamma(), width_}, {layer_.beta_data(), layer_.dbeta(), width_}};
  }

 private:
  L layer_;
  Shape shape_;
  int width_;
};

}  // namespace

const NameList& norm_names() {
  static const char* const names[] = {"batch", "layer", "group", "none"};
  static const NameList list{names, 4};
  return list;
}

const NameList& norm_placement_names() {
  static const char* const names[] = {"before", "after"};
  static const NameList list{names, 2};
  return list;
}

Norm parse_norm(const std::string& name) { return static_cast<Norm>(parse_choice("norm", norm_names(), name)); }

const char* norm_name(Norm norm) { return norm_names()[static_cast<std::size_t>(norm)]; }

NormPlacement parse_norm_placement(const std::string& name) {
  return static_cast<NormPlacement>(parse_choice("normPlacement", norm_placement_names(), name));
}

const char* norm_placement_name(NormPlacement placement) {
  return norm_placement_names()[static_cast<std::size_t>(placement)];
}

std::unique_ptr<HiddenNorm> make_hidden_norm(Norm norm, int width, int groups,
                                             std::optional<double> momentum) {
  switch (norm) {
    case Norm::batch: return std::make_unique<BatchNormLayer>(width, momentum);
    case Norm::layer: return std::make_unique<RowNormLayer<LayerNorm>>(LayerNorm(Shape{width}), width);
    case Norm::group:
      if (groups < 1 || width % groups != 0)
        throw std::invalid_argument("groups must divide every hidden width (num_channels must be divisible by "
                                    "num_groups): width " + std::to_string(width) + ", groups " +
                                    std::to_string(groups));
      return std::make_unique<RowNormLayer<GroupNorm>>(GroupNorm(groups, width), width);
    case Norm::none: break;
  }
  return nullptr;
}

}  // namespace bn
