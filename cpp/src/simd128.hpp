// Small wasm_simd128.h helpers shared by the SIMD kernels (column and run).
// Only for translation units compiled with -msimd128.
#pragma once
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>

namespace bn::kernels::simd {

inline v128_t load4(const float* p) { return wasm_v128_load(p); }
inline void store4(float* p, v128_t v) { wasm_v128_store(p, v); }
inline v128_t splat4(float v) { return wasm_f32x4_splat(v); }
// The low / high two floats of a vector, as two doubles.
inline v128_t lo_f64(v128_t v) { return wasm_f64x2_promote_low_f32x4(v); }
inline v128_t hi_f64(v128_t v) {
  return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3));
}
inline v128_t load2d(const double* p) { return wasm_v128_load(p); }
inline void store2d(double* p, v128_t v) { wasm_v128_store(p, v); }
inline void store_f64x4(double* p, v128_t lo, v128_t hi) {
  wasm_v128_store(p, lo);
  wasm_v128_store(p + 2, hi);
}

// Eight partial double sums in four vectors: lanes (0,1) (2,3) (4,5) (6,7).
struct Lanes8 {
  v128_t a = wasm_f64x2_splat(0.0), b = wasm_f64x2_splat(0.0);
  v128_t c = wasm_f64x2_splat(0.0), d = wasm_f64x2_splat(0.0);
  // Adds the eight values of two float vectors (elements j .. j+7).
  void add(v128_t lo4, v128_t hi4) {
    a = wasm_f64x2_add(a, lo_f64(lo4));
    b = wasm_f64x2_add(b, hi_f64(lo4));
    c = wasm_f64x2_add(c, lo_f64(hi4));
    d = wasm_f64x2_add(d, hi_f64(hi4));
  }
  // ((s0 + s2) + (s4 + s6)) + ((s1 + s3) + (s5 + s7)), the order of bn/run_kernels.hpp.
  double total() const {
    const v128_t t = wasm_f64x2_add(wasm_f64x2_add(a, b), wasm_f64x2_add(c, d));
    return wasm_f64x2_extract_lane(t, 0) + wasm_f64x2_extract_lane(t, 1);
  }
};

}  // namespace bn::kernels::simd
#endif  // __wasm_simd128__
