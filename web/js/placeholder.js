import { loadBN } from "./bn.js";
const bn = await loadBN();
document.getElementById("status").textContent = `Module loaded: bn.simd = ${bn.simd}, version ${bn.version}`;
