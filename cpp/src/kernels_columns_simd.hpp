// What the SIMD column kernels share (kernels_columns_simd.cpp: statistics
// and normalize; kernels_columns_backward_simd.cpp: the backward): row
// blocks, the in-cache limit and adding float lanes into double sums.
#pragma once
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

#include "bn/kernels.hpp"
#include "simd128.hpp"

namespace bn::kernels::simd::shared {

// Rows per block in the reductions (bn/kernels.hpp, kColumnRowBlock): the
// float partial sums of a block span at most this many rows.
constexpr int kRowBlock = kColumnRowBlock;

// The element-wise kernels (normalize, backward_dx) take blocks of
// kRowBlock rows while the batch stays in cache (the per-feature factors are
// then loaded once per block: 1.6-2x at 256x256), else one row at a time
// (sequential streams: 8 interleaved rows of a 4 MB batch ran 1.7x slower).
constexpr long kInCacheElements = 1L << 17;
inline bool in_cache(int m, int n) { return static_cast<long>(m) * n <= kInCacheElements; }

// p[0..3] += the four floats of v, as doubles.
inline void add_f64x4(double* p, v128_t v) {
  store2d(p, wasm_f64x2_add(load2d(p), lo_f64(v)));
  store2d(p + 2, wasm_f64x2_add(load2d(p + 2), hi_f64(v)));
}

}  // namespace bn::kernels::simd::shared
#endif  // __wasm_simd128__
