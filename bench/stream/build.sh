#!/usr/bin/env bash
# Builds bench/stream/stream.cpp (streaming bound + per-pass profile) with
# emcc -O3 -msimd128 into build/bench-stream/stream.cjs, for Node. Rebuilds
# only when a source is newer than the output. Not part of the library.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=/usr/share/nodejs   # emcc 3.1.6 from apt needs acorn from here
out=build/bench-stream/stream.cjs
deps=(bench/stream/stream.cpp cpp/src/simd128.hpp cpp/src/kernels_columns_simd.hpp cpp/src/kernels_columns_simd.cpp cpp/src/kernels_columns_backward_simd.cpp cpp/src/column_stats.hpp cpp/src/kernels_columns_scalar.cpp bench/native/bench_data.hpp bench/native/bench_timing.hpp cpp/include/bn/kernels.hpp bench/stream/build.sh)
if [ -f "$out" ]; then
  stale=0
  for f in "${deps[@]}"; do [ "$f" -nt "$out" ] && stale=1; done
  [ "$stale" = 0 ] && exit 0
fi
mkdir -p build/bench-stream/sysinc
ln -sfn /usr/include/nlohmann build/bench-stream/sysinc/nlohmann
flags=(-O3 -std=c++17 -Icpp/include -isystem build/bench-stream/sysinc)
# The scalar kernels without -msimd128, as in the scalar build (with it,
# clang would auto-vectorize them); the rest with it.
emcc "${flags[@]}" -c cpp/src/kernels_columns_scalar.cpp -o build/bench-stream/kernels_scalar.o
emcc "${flags[@]}" -msimd128 -c cpp/src/kernels_columns_simd.cpp -o build/bench-stream/kernels_simd.o
emcc "${flags[@]}" -msimd128 -c cpp/src/kernels_columns_backward_simd.cpp -o build/bench-stream/kernels_backward_simd.o
emcc "${flags[@]}" -msimd128 -c bench/stream/stream.cpp -o build/bench-stream/stream.o
emcc -O3 build/bench-stream/stream.o build/bench-stream/kernels_simd.o build/bench-stream/kernels_backward_simd.o build/bench-stream/kernels_scalar.o \
  -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=256MB -sEXIT_RUNTIME=1 -o "$out"
