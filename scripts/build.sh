#!/usr/bin/env bash
# Builds the native library + tests (g++) and the two WebAssembly modules
# (SIMD and scalar) with emcmake, then copies the modules to web/wasm/.
# Incremental: a second run only rebuilds what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs   # emcc 3.1.6 from apt needs acorn from here
jobs=$(nproc 2>/dev/null || echo 2)
mkdir -p build
# One build at a time (several terminals or test runs may call this).
exec 9>build/.lock
flock 9

configure() {  # dir, then extra args
  local dir=$1; shift
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    "$@" > "$dir.configure.log" 2>&1 || { cat "$dir.configure.log"; exit 1; }
  fi
}
mkdir -p build
configure build/native cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release
configure build/wasm-simd emcmake cmake -S . -B build/wasm-simd -DCMAKE_BUILD_TYPE=Release -DBN_SIMD=ON
configure build/wasm-scalar emcmake cmake -S . -B build/wasm-scalar -DCMAKE_BUILD_TYPE=Release -DBN_SIMD=OFF

for dir in build/native build/wasm-simd build/wasm-scalar; do
  echo "build: $dir"
  cmake --build "$dir" -j"$jobs" > "$dir.build.log" 2>&1 || { tail -60 "$dir.build.log"; exit 1; }
done

# One Emscripten glue for both builds (web/wasm/bn.mjs; loadBN picks the
# .wasm): the two builds' glue must be the same file.
if ! cmp -s build/wasm-simd/bn.mjs build/wasm-scalar/bn.mjs; then
  echo "build: the SIMD and scalar builds' glue (build/wasm-*/bn.mjs) differ: both builds must link with the same flags and exports, so that one web/wasm/bn.mjs serves both" >&2
  diff <(tr ';' '\n' < build/wasm-simd/bn.mjs) <(tr ';' '\n' < build/wasm-scalar/bn.mjs) | head -20 >&2
  exit 1
fi
mkdir -p web/wasm
rm -f web/wasm/bn-simd.mjs web/wasm/bn-scalar.mjs   # the two glues of earlier builds
cp -f build/wasm-simd/bn.mjs web/wasm/bn.mjs
# A second binaryen pass (wasm-opt -O3, which emscripten brings) over each
# linked module: emcc's own leaves about 1.1 KB gzip per module that this one
# removes, the same code otherwise (imports and exports unchanged, so the one
# glue still serves both). Only the features each build was compiled with:
# a module using another fails validation here.
declare -A wasm_features=([simd]="--enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int" [scalar]="")
for v in simd scalar; do
  linked="build/wasm-$v/bn.wasm" optimized="build/wasm-$v/bn.opt.wasm"
  if [ ! -f "$optimized" ] || [ "$linked" -nt "$optimized" ]; then
    # shellcheck disable=SC2086
    wasm-opt -O3 --converge ${wasm_features[$v]} "$linked" -o "$optimized"
  fi
  cp -f "$optimized" "web/wasm/bn-$v.wasm"
done
echo "build: web/wasm/ $(cd web/wasm && ls -l *.wasm | awk '{printf "%s=%d bytes ", $9, $5}')"

# The stepper's formulas, typeset by KaTeX here in Node (no KaTeX runs in the
# browser): web/js/stepper/formulas.js -> formulas.generated.js.
node scripts/render-formulas.mjs
# KaTeX's CSS and fonts (the pre-rendered formulas need them), served locally:
# never from a CDN.
rm -f web/vendor/katex/katex.mjs web/vendor/katex/katex.min.js
mkdir -p web/vendor/katex
cp -f node_modules/katex/dist/katex.min.css web/vendor/katex/
rm -rf web/vendor/katex/fonts && cp -r node_modules/katex/dist/fonts web/vendor/katex/fonts

# uPlot (the line charts of the trainer), served locally like KaTeX.
mkdir -p web/vendor/uplot
cp -f node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css node_modules/uplot/LICENSE web/vendor/uplot/

# The pages' code, bundled (web/js -> web/build/, what web/index.html and
# web/trainer.html load): last, since it holds the glue, the formulas and
# uPlot (web/vendor/).
node scripts/build-page.mjs
