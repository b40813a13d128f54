// NormCore::enable_run_kernels, on its own so that only the programs that
// plan layouts other than columns link the run kernels.
#include "bn/norm_core.hpp"
#include "bn/run_kernels.hpp"

namespace bn {

void NormCore::enable_run_kernels() {
  static constexpr kernels::RunKernels kTable{
      &kernels::fast::run_mean_var, &kernels::fast::run_normalize,
      &kernels::fast::run_backward_sums, &kernels::fast::run_backward_dx};
  runs_ = &kTable;
}

}  // namespace bn
