// The default API's floor in this JS engine: what a call through the
// contract's default (Float32Array in, fresh Float32Array copies out) must do
// besides batch norm itself, and nothing else. Per training step: x and dy
// copied into a WebAssembly.Memory (HEAPF32.set), y and dx copied out into
// fresh Float32Arrays built from views of that memory (as web/js does), and
// fresh dgamma, dbeta; per eval forward: x in, y out. No arithmetic, no
// bindings, no checks: no implementation of the default API can be faster
// than this row in the same engine, whatever its kernels.
export async function openCopyFloor() {
  const memory = new WebAssembly.Memory({ initial: 1 });
  return {
    name: "copy-floor",
    noCheck: true,   // computes nothing: left out of the cross-check
    setup(batch, features, d) {
      const total = batch * features, bytes = 4 * (3 * total + 2 * features);
      const pages = Math.ceil((bytes - memory.buffer.byteLength) / 65536);
      if (pages > 0) memory.grow(pages);
      const heap = new Float32Array(memory.buffer);
      const xAt = 0, dyAt = total, outAt = 2 * total, statsAt = 3 * total;
      return {
        trainStep() {
          heap.set(d.x, xAt);
          const y = new Float32Array(heap.subarray(outAt, outAt + total));
          heap.set(d.dy, dyAt);
          const dx = new Float32Array(heap.subarray(outAt, outAt + total));
          const dgamma = new Float32Array(heap.subarray(statsAt, statsAt + features));
          const dbeta = new Float32Array(heap.subarray(statsAt + features, statsAt + 2 * features));
          return { y, dx, dgamma, dbeta };
        },
        evalForward() {
          heap.set(d.x, xAt);
          return new Float32Array(heap.subarray(outAt, outAt + total));
        },
        dispose() {},
      };
    },
  };
}
