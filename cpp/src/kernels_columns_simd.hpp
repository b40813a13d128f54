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

// backward_reduce takes blocks of kRowBlock rows while the batch stays in
// cache (strips of features keep their sums in registers across the rows),
// else rows two at a time (sequential streams: 8 interleaved rows of a 4 MB
// batch ran 1.7x slower).
constexpr long kInCacheElements = 1L << 17;
inline bool in_cache(int m, int n) { return static_cast<long>(m) * n <= kInCacheElements; }

// The element-wise kernels (normalize, backward_dx) take two rows at a time
// (their per-feature factors loaded once for both) up to kPairElements, then
// one row at a time. Alone, with the batch in cache, pairs ran 1.2-1.3x
// faster than single rows at 1024 x 1024 and as fast as 8-row blocks at
// 256 x 256; out of the last-level cache (4096 x 1024, rows 4 KB apart) two
// rows read side by side ran 1.5-2x slower than one, and inside the API's
// call at 1024 x 1024 (x, y, dy, dx and their staging copies: more than the
// cache) pairs up to 2^20 elements ran 1.0-1.1x main's time where single rows
// ran 0.9x (bench/compare-builds.mjs). Their row loops are kept from
// unrolling: clang's copy of a one-row loop's body for the next row made it
// 3x slower on 4 KB rows out of cache.
constexpr long kPairElements = 1L << 18;
inline bool rows_in_pairs(int m, int n) { return static_cast<long>(m) * n <= kPairElements; }

// p[0..3] += the four floats of v, as doubles.
inline void add_f64x4(double* p, v128_t v) {
  store2d(p, wasm_f64x2_add(load2d(p), lo_f64(v)));
  store2d(p + 2, wasm_f64x2_add(load2d(p + 2), hi_f64(v)));
}

}  // namespace bn::kernels::simd::shared
#endif  // __wasm_simd128__
