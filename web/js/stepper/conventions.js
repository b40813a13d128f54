// The two conventions the stepper offers and their defaults, written once:
// the state's defaults (state.js), the comparison of both on the same
// batches (compute.js) and every sentence about them read them from here.
export const CONVENTIONS = {
  pytorch: { label: "PyTorch", eps: "1e-5", momentum: "0.1" },
  keras: { label: "Keras", eps: "0.001", momentum: "0.99" },
};

export const CONVENTION_KEYS = Object.keys(CONVENTIONS);

// Keras's momentum is the share of the old estimate kept (its decay);
// PyTorch's is the share of the new batch: torch momentum = 1 − Keras's.
// Rounded for prose (1 − 0.99 is 0.010000000000000009 in binary).
export function kerasAsTorchMomentum(momentum) {
  return Number((1 - Number(momentum)).toPrecision(12));
}

const minus = (text) => String(text).replace(/-/g, "−");

// The note under the convention switch.
export function conventionNote(key) {
  const c = CONVENTIONS[key];
  return key === "keras"
    ? `Keras: eps ${c.eps} and momentum ${c.momentum}, read as the share of the old estimate kept (PyTorch's momentum ${kerasAsTorchMomentum(c.momentum)}); its moving variance uses the biased batch variance.`
    : `PyTorch: eps ${c.eps} and momentum ${c.momentum}, the share of the new batch; its running variance uses the unbiased batch variance (× m/(m − 1)).`;
}

// The sentence above the side-by-side table of running statistics.
export function comparisonNote(fed) {
  const { pytorch: p, keras: k } = CONVENTIONS;
  return `Running estimates after the same ${fed} ${fed === 1 ? "batch" : "batches"}, each framework with its defaults. ` +
    `PyTorch: momentum ${p.momentum} (the share of the new batch), eps ${minus(p.eps)}, running variance unbiased (σ²_B × m/(m − 1)). ` +
    `Keras: momentum ${k.momentum} is the share of the old estimate kept (PyTorch's ${kerasAsTorchMomentum(k.momentum)}), eps ${minus(k.eps)}, moving variance biased (σ²_B as is). ` +
    "Same data, different numbers: this is why a model ported between them can drift in eval mode.";
}

