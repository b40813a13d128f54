#!/usr/bin/env bash
# Builds and runs bench/stream/stats_variants.cpp (variants of the forward
# statistics pass: speed at 32x16 .. 4096x1024, accuracy on hard
# columns) with emcc -O3 -msimd128, under Node. Prints a markdown table.
#   bash bench/stream/variants.sh [--quick] [--all]
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=/usr/share/nodejs   # emcc 3.1.6 from apt needs acorn from here
out=build/bench-stream/variants.cjs
mkdir -p build/bench-stream/sysinc
ln -sfn /usr/include/nlohmann build/bench-stream/sysinc/nlohmann
flags=(-O3 -std=c++17 -Icpp/include -isystem build/bench-stream/sysinc)
emcc "${flags[@]}" -msimd128 -c cpp/src/kernels_columns_simd.cpp -o build/bench-stream/variants_kernels.o
# the kernel before the float-lane statistics (78a1b15, main before they were
# merged) beside this tree's, its namespace renamed (bn::kernels::main_simd)
git show 78a1b15:cpp/src/kernels_columns_simd.cpp > build/bench-stream/main_kernels_columns_simd.cpp
emcc "${flags[@]}" -Icpp/src -msimd128 -Dsimd=main_simd -c build/bench-stream/main_kernels_columns_simd.cpp -o build/bench-stream/variants_main.o
emcc "${flags[@]}" -msimd128 -c bench/stream/stats_variants.cpp -o build/bench-stream/variants.o
emcc -O3 build/bench-stream/variants.o build/bench-stream/variants_kernels.o build/bench-stream/variants_main.o \
  -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=256MB -sEXIT_RUNTIME=1 -o "$out"
node "$out" "$@"
