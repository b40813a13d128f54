// Entry point bundled by bench/tfjs-bundle.mjs: tfjs-core (ES module build),
// all of its gradient definitions (which the package's CommonJS bundle does
// not register) and the WASM backend, as one copy of tfjs-core.
import "@tensorflow/tfjs-core/dist/register_all_gradients";
export * as tf from "@tensorflow/tfjs-core";
export { setWasmPaths, getThreadsCount, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
