#!/usr/bin/env bash
# Builds bench/stream/kernels_paired.cpp: dbeaf17's SIMD column kernels
# (normalize, backward_reduce, backward_dx before issue 16's folding; taken
# from git, namespace renamed) beside this tree's, emcc -O3 -msimd128, and
# runs it on 256x256, 1024x1024 and 4096x1024 with four paddings of the
# factor arrays. Prints one line per pass: old ms, new ms, new/old.
#   bash bench/stream/kernels_paired.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/../.."
export NODE_PATH=/usr/share/nodejs   # emcc 3.1.6 from apt needs acorn from here
out=build/bench-stream/kernels_paired.cjs old=build/bench-stream/kernels-dbeaf17
mkdir -p build/bench-stream/sysinc "$old"
ln -sfn /usr/include/nlohmann build/bench-stream/sysinc/nlohmann
git archive dbeaf17 cpp/include cpp/src | tar -x -C "$old"
flags=(-O3 -std=c++17 -msimd128 -isystem build/bench-stream/sysinc)
for f in kernels_columns_simd kernels_columns_backward_simd; do
  emcc "${flags[@]}" -I"$old/cpp/include" -I"$old/cpp/src" -Dsimd=old_simd -c "$old/cpp/src/$f.cpp" -o "$old/$f.o"
  emcc "${flags[@]}" -Icpp/include -c "cpp/src/$f.cpp" -o "build/bench-stream/paired_$f.o"
done
emcc -O3 -std=c++17 -Icpp/include -c cpp/src/kernels_columns_scalar.cpp -o build/bench-stream/paired_scalar.o
emcc "${flags[@]}" -Icpp/include -c bench/stream/kernels_paired.cpp -o build/bench-stream/kernels_paired.o
emcc -O3 build/bench-stream/kernels_paired.o build/bench-stream/paired_*.o "$old"/*.o \
  -sENVIRONMENT=node -sWASM_ASYNC_COMPILATION=0 -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=256MB -o "$out"
for shape in "256 256" "1024 1024" "4096 1024"; do
  for pad in 0 4 16 64; do
    echo "padding $pad:"
    node "$out" $shape "${1:-7}" "$pad"
  done
done
