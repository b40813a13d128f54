// fuseBnEval(arrays, conv, out, in, kh, kw, eps): batch norm folded into the Linear / Conv2d
// layer before it (bn/fuse.hpp), for web/js/fuse.js (bn.fuseLinearBnEval,
// bn.fuseConvBnEval). Only glue: the checks and the math are the core's.
//
// arrays: [weight, bias, runningMean, runningVar, gamma, beta] (arrays of
// numbers; bias null: no bias; gamma, beta null: affine false); conv:
// Conv2d (else Linear, kh = kw = 1); out, in, kh, kw: the sizes; eps: the
// layer's. fuse.js has checked the types. Seam protocol (convert.hpp): the result { weight,
// bias } (fresh Float32Arrays), or undefined with the message in fuseLastError().
#include <emscripten/bind.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "bn/fuse.hpp"
#include "convert.hpp"

namespace bn::bindings {
namespace {

using emscripten::val;

std::string fuse_error;   // message of the last failed fuseBnEval

enum { kWeight, kBias, kMean, kVar, kGamma, kBeta, kArrays };

val fuseBnEval(val arrays, bool conv, double out, double in, double kh, double kw, double eps) {
  return catching(fuse_error, "weight", [&] {
    std::vector<float> a[kArrays];
    bool given[kArrays];
    for (int i = 0; i < kArrays; ++i) {
      const val v = arrays[i];
      given[i] = !v.isNull();
      if (given[i]) a[i] = emscripten::convertJSArrayToNumberVector<float>(v);
    }
    const auto data = [&](int i) { return given[i] ? a[i].data() : nullptr; };
    const std::size_t channels = a[kMean].size();
    for (int i : {kVar, kGamma, kBeta})
      if (given[i] && a[i].size() != channels)
        throw std::invalid_argument("layer: its running statistics and gamma / beta differ in length");
    const EvalNormParams bn{data(kMean), data(kVar), data(kGamma), data(kBeta), static_cast<std::int64_t>(channels), eps};
    const auto dim = [](double v) { return static_cast<std::int64_t>(v); };
    const FusedLinear fused = conv
        ? fuse_conv_bn_eval(a[kWeight].data(), a[kWeight].size(), data(kBias), a[kBias].size(), dim(out), dim(in), dim(kh), dim(kw), bn)
        : fuse_linear_bn_eval(a[kWeight].data(), a[kWeight].size(), data(kBias), a[kBias].size(), dim(out), dim(in), bn);
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
