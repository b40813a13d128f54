// fuseBnEval(...): batch norm folded into the Linear / Conv2d layer before it
// (bn/fuse.hpp), for web/js/fuse.js (bn.fuseLinearBnEval, bn.fuseConvBnEval).
// Only glue: the checks and the math are the core's.
//
// packed: one array of numbers, [weight, bias, runningMean, runningVar,
// gamma, beta] one after the other (fuse.js packs them; a JS number becomes
// float32 here, so 1e39 arrives as Infinity and the core names it), with
// weight_size entries of weight, bias_size of bias (-1: no bias), and
// `channels` of each of the other four (gamma and beta only when affine);
// conv: Conv2d (else Linear, kh = kw = 1); out, in, kh, kw: the sizes; eps:
// the layer's. Seam protocol (convert.hpp): the result { weight, bias }
// (fresh Float32Arrays), or undefined with the message in fuseLastError().
#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bn/fuse.hpp"
#include "convert.hpp"

namespace bn::bindings {
namespace {

using emscripten::val;

std::string fuse_error;   // message of the last failed fuseBnEval

val fuseBnEval(val packed, double weight_size, double bias_size, double channels, bool affine, bool conv, double out,
               double in, double kh, double kw, double eps) {
  return catching(fuse_error, "weight", [&] {
    const std::vector<float> a = emscripten::convertJSArrayToNumberVector<float>(packed);
    const auto n = [](double v) { return static_cast<std::size_t>(v < 0 ? 0 : v); };
    const float* weight = a.data();
    const float* bias = bias_size < 0 ? nullptr : weight + n(weight_size);
    const float* mean = weight + n(weight_size) + n(bias_size);
    const std::size_t c = n(channels);
    const EvalNormParams bn{mean, mean + c, affine ? mean + 2 * c : nullptr, affine ? mean + 3 * c : nullptr,
                            static_cast<std::int64_t>(c), eps};
    const auto dim = [](double v) { return static_cast<std::int64_t>(v); };
    const FusedLinear fused = conv
        ? fuse_conv_bn_eval(weight, n(weight_size), bias, n(bias_size), dim(out), dim(in), dim(kh), dim(kw), bn)
        : fuse_linear_bn_eval(weight, n(weight_size), bias, n(bias_size), dim(out), dim(in), bn);
    val result = val::object();
    result.set("weight", float32_copy(fused.weight));
    result.set("bias", float32_copy(fused.bias));
    return result;
  });
}

std::string fuseLastError() { return fuse_error; }

}  // namespace
}  // namespace bn::bindings

EMSCRIPTEN_BINDINGS(bn_fuse) {
  emscripten::function("fuseBnEval", &bn::bindings::fuseBnEval);
  emscripten::function("fuseLastError", &bn::bindings::fuseLastError);
}
