#!/usr/bin/env bash
# Builds bench/stream/stream.cpp (streaming bound + per-pass profile) with
# emcc -O3 -msimd128 into build/bench-stream/stream.cjs, for Node. Rebuilds
# only when a source is newer than the output. Not part of the library.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=/usr/share/nodejs   # emcc 3.1.6 from apt needs acorn from here
out=build/bench-stream/stream.cjs
sources=(bench/stream/stream.cpp cpp/src/batchnorm_kernels_simd.cpp cpp/src/batchnorm_kernels_scalar.cpp)
deps=("${sources[@]}" bench/native/bench_data.hpp bench/native/bench_timing.hpp cpp/include/bn/kernels.hpp bench/stream/build.sh)
if [ -f "$out" ]; then
  stale=0
  for f in "${deps[@]}"; do [ "$f" -nt "$out" ] && stale=1; done
  [ "$stale" = 0 ] && exit 0
fi
mkdir -p build/bench-stream/sysinc
ln -sfn /usr/include/nlohmann build/bench-stream/sysinc/nlohmann
emcc -O3 -msimd128 -std=c++17 -Icpp/include -isystem build/bench-stream/sysinc "${sources[@]}" \
  -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=256MB -sEXIT_RUNTIME=1 -o "$out"
