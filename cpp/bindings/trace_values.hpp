// bn::Trace / bn::BackwardTrace -> the JS objects trace() and
// backwardTrace() return (docs/api.md), for every layer's binding: fresh
// Float32Array copies, shape and statsShape as arrays of numbers, null for
// what the layer does not have (saveMean before any training forward,
// dgamma/dbeta without affine parameters).
#pragma once

#include <emscripten/val.h>

#include "bn/trace.hpp"

namespace bn::bindings {

emscripten::val trace_value(const Trace& t);
emscripten::val backward_trace_value(const BackwardTrace& t, bool affine);

}  // namespace bn::bindings
