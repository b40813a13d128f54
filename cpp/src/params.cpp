#include "bn/params.hpp"

namespace bn {

void validate_options(int features, const BatchNormOptions& options) {
  check_value(spec_named(batchnorm_arguments(), "features"), OptionValue::of(static_cast<double>(features)));
  check_fields(batchnorm_option_table(), options);
}

BatchNormOptions read_batchnorm_options(const OptionValue& options) {
  return read_options("BatchNorm1d", batchnorm_option_table(), options);
}

}  // namespace bn
