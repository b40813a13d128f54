"""Number formats and error measures shared by the golden-data scripts
(make_golden.py, golden_layers.py, golden_errors.py)."""
import numpy as np

FLOOR = 1e-3


def f32_list(a):
    """float32 values as shortest decimals that round-trip via a double."""
    out = []
    for v in np.asarray(a, dtype=np.float32).ravel():
        s = float(str(v))  # numpy prints the shortest float32 round-trip decimal
        if np.float32(s) != v:  # double rounding could flip it: keep the exact value
            s = float(v)
        out.append(s)
    return out


def f64_list(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def normwise(a, t):
    a, t = np.asarray(a, np.float64).ravel(), np.asarray(t, np.float64).ravel()
    scale = np.max(np.abs(t))
    return float(np.max(np.abs(a - t)) / scale) if scale > 0 else float(np.max(np.abs(a - t)))


def elementwise(a, t):
    a, t = np.asarray(a, np.float64).ravel(), np.asarray(t, np.float64).ravel()
    denom = np.maximum(np.abs(t), FLOOR * np.max(np.abs(t)))
    denom[denom == 0] = 1.0
    return float(np.max(np.abs(a - t) / denom))
