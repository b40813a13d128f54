#include "trace_values.hpp"

#include <cstdint>
#include <vector>

#include "convert.hpp"

namespace bn::bindings {
namespace {

using emscripten::val;

val dims_value(const std::vector<std::int64_t>& dims) {
  val out = val::array();
  for (std::size_t i = 0; i < dims.size(); ++i) out.set(i, static_cast<double>(dims[i]));
  return out;
}

}  // namespace

val trace_value(const Trace& t) {
  val out = val::object();
  out.set("training", t.training);
  out.set("batch", t.batch);
  out.set("features", t.features);
  out.set("shape", dims_value(t.shape));
  out.set("statsShape", dims_value(t.stats_shape));
  out.set("mean", float32_copy(t.mean));
  out.set("var", float32_copy(t.var));
  out.set("xCentered", float32_copy(t.x_centered));
  out.set("std", float32_copy(t.std));
  out.set("invStd", float32_copy(t.inv_std));
  out.set("xhat", float32_copy(t.xhat));
  out.set("y", float32_copy(t.y));
  const bool saved = !t.save_mean.empty();
  out.set("saveMean", saved ? float32_copy(t.save_mean) : val::null());
  out.set("saveInvstd", saved ? float32_copy(t.save_invstd) : val::null());
  return out;
}

val backward_trace_value(const BackwardTrace& t, bool affine) {
  val out = val::object();
  out.set("training", t.training);
  out.set("batch", t.batch);
  out.set("features", t.features);
  out.set("shape", dims_value(t.shape));
  out.set("statsShape", dims_value(t.stats_shape));
  out.set("dy", float32_copy(t.dy));
  out.set("dxhat", float32_copy(t.dxhat));
  out.set("dvar", float32_copy(t.dvar));
  out.set("dmean", float32_copy(t.dmean));
  out.set("dx", float32_copy(t.dx));
  out.set("dgamma", affine ? float32_copy(t.dgamma) : val::null());
  out.set("dbeta", affine ? float32_copy(t.dbeta) : val::null());
  return out;
}

}  // namespace bn::bindings
