// The instance's heap, for web/js/seam.js: bytes in use (bn.heapBytesInUse()
// and the out-of-memory message), the most bytes the memory may grow to and
// the most values one buffer may hold (the seam checks every size against
// them before calling the core), and which build this binary is (loadBN
// checks it against the `simd` it was asked for).
#include <emscripten/bind.h>
#include <emscripten/heap.h>

#include <malloc.h>

#include <cstdint>
#include <string>

#include "convert.hpp"

namespace bn::bindings {
namespace {

// Bytes currently allocated with malloc/new. mallinfo() counts in an int,
// which reads negative past 2 GiB: read as unsigned (the heap is < 4 GiB).
double heapBytesInUse() { return static_cast<double>(static_cast<std::uint32_t>(mallinfo().uordblks)); }

// The most bytes the WebAssembly memory can grow to (-sMAXIMUM_MEMORY).
double heapLimit() { return static_cast<double>(emscripten_get_heap_max()); }

// The build, "bn-wasm build: simd" or "bn-wasm build: scalar": the binary
// carries this text in its data, so loadBN can tell which build a
// wasmBinary is before instantiating it.
#if defined(__wasm_simd128__)
constexpr char kBuild[] = "bn-wasm build: simd";
#else
constexpr char kBuild[] = "bn-wasm build: scalar";
#endif
std::string buildVariant() { return kBuild; }

}  // namespace
}  // namespace bn::bindings

EMSCRIPTEN_BINDINGS(bn_heap) {
  emscripten::function("heapBytesInUse", &bn::bindings::heapBytesInUse);
  emscripten::function("heapLimit", &bn::bindings::heapLimit);
  emscripten::function("maxElements", &bn::bindings::max_elements);
  emscripten::function("buildVariant", &bn::bindings::buildVariant);
}
