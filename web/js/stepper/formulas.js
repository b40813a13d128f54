// Every formula the pages typeset, by name: the one place their TeX lives.
//
// KaTeX does not run in the browser. scripts/build.sh renders each entry here
// with KaTeX in Node (scripts/render-formulas.mjs: HTML and MathML, so screen
// readers read the MathML as before) into formulas.generated.js (build
// output, ignored by git), and tex(name) (tex.js) inserts that markup.
// Two groups, two generated files: the first view's formulas
// (FIRST_VIEW_FORMULAS: formulas.generated.js, read by tex.js, loaded at
// start) and those of the sections loaded after the first number
// (LATER_FORMULAS: the backward pass, the lab, the inference card;
// formulas-later.generated.js, read by tex-later.js), so the page does not
// fetch the markup of what it does not show first.
//
// Adding a formula is one entry (in the group of the module that shows it):
//     batchNorm2dMean: String.raw`\mu_c = \frac{1}{NHW}\sum_{n,h,w} x_{nchw}`,
// then tex("batchNorm2dMean") where it is shown (imported from tex.js for
// the first group, tex-later.js for the later one), and `bash scripts/build.sh`.
// - The name is what call sites pass: a string literal (or a choice between
//   literals, tex(train ? "normalizeTrain" : "normalizeEval")), never a name
//   built at run time; tests/js/formulas.test.mjs checks every call site in
//   web/js against this list, and tex() throws for a name that is not here.
// - A display formula (the default) is set inline with \displaystyle so that
//   it wraps at its relations on a phone. For a formula inside running text
//   write { tex: String.raw`...`, inline: true }.
// - Numbers that change with the data are not part of a formula: pass them as
//   text after it, tex(name, { after: [", ", sym("m"), ` = ${m}`] }), or
//   register one entry per variant when there are only a few.
// - Each entry costs its rendered markup in dist/ (about 0.3–0.6 KB gzip).
export const FIRST_VIEW_FORMULAS = {
  // Forward pass (steps-forward.js)
  batchShape: String.raw`x \in \mathbb{R}^{m \times K}`,
  meanBatch: String.raw`\mu_B = \frac{1}{m}\sum_{i=1}^{m} x_i`,
  meanRunning: String.raw`\mu = \mu_{\text{run}}`,
  centreTrain: String.raw`x_i - \mu_B`,
  centreEval: String.raw`x_i - \mu`,
  varBatch: String.raw`\sigma^2_B = \frac{1}{m}\sum_{i=1}^{m} (x_i - \mu_B)^2`,
  varRunning: String.raw`\sigma^2 = \sigma^2_{\text{run}}`,
  stdTrain: String.raw`\sqrt{\sigma^2_B + \varepsilon}, \quad \frac{1}{\sqrt{\sigma^2_B + \varepsilon}}`,
  stdEval: String.raw`\sqrt{\sigma^2 + \varepsilon}, \quad \frac{1}{\sqrt{\sigma^2 + \varepsilon}}`,
  normalizeTrain: String.raw`\hat x_i = \frac{x_i - \mu_B}{\sqrt{\sigma^2_B + \varepsilon}}`,
  normalizeEval: String.raw`\hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \varepsilon}}`,
  scaleShift: String.raw`y_i = \gamma\,\hat x_i + \beta`,

  // Running statistics (steps-running.js): PyTorch's and Keras's momentum
  runningMeanPyTorch: String.raw`\mu_{\text{run}} \leftarrow (1-\text{momentum})\,\mu_{\text{run}} + \text{momentum}\cdot\mu_B`,
  runningVarPyTorch: String.raw`\sigma^2_{\text{run}} \leftarrow (1-\text{momentum})\,\sigma^2_{\text{run}} + \text{momentum}\cdot\frac{m}{m-1}\,\sigma^2_B`,
  runningMeanKeras: String.raw`\mu_{\text{run}} \leftarrow \text{momentum}\cdot\mu_{\text{run}} + (1-\text{momentum})\,\mu_B`,
  runningVarKeras: String.raw`\sigma^2_{\text{run}} \leftarrow \text{momentum}\cdot\sigma^2_{\text{run}} + (1-\text{momentum})\,\sigma^2_B`,
};

export const LATER_FORMULAS = {
  // Backward pass (steps-backward.js)
  dyTyped: String.raw`dy_i = \frac{\partial L}{\partial y_i}`,
  dyFromLoss: String.raw`L = \tfrac12 \sum_{i,k} (y_{ik} - t_{ik})^2, \qquad dy_i = \frac{\partial L}{\partial y_i} = y_i - t_i`,
  dbeta: String.raw`\frac{\partial L}{\partial \beta} = \sum_{i=1}^{m} dy_i`,
  dgamma: String.raw`\frac{\partial L}{\partial \gamma} = \sum_{i=1}^{m} dy_i\,\hat x_i`,
  dxhat: String.raw`d\hat x_i = dy_i \cdot \gamma`,
  dvar: String.raw`d\sigma^2_B = -\tfrac12\,(\sigma^2_B + \varepsilon)^{-3/2} \sum_{i=1}^{m} d\hat x_i\,(x_i - \mu_B)`,
  dmean: String.raw`d\mu_B = -\frac{1}{\sqrt{\sigma^2_B + \varepsilon}} \sum_{i=1}^{m} d\hat x_i \;+\; d\sigma^2_B \cdot \frac{-2}{m} \sum_{i=1}^{m} (x_i - \mu_B)`,
  dxEval: String.raw`dx_i = \frac{d\hat x_i}{\sqrt{\sigma^2 + \varepsilon}}`,
  dxTrain: String.raw`dx_i = \frac{d\hat x_i}{\sqrt{\sigma^2_B + \varepsilon}} + d\sigma^2_B\,\frac{2(x_i - \mu_B)}{m} + \frac{d\mu_B}{m}`,
  dxFolded: String.raw`dx_i = \frac{\gamma}{m\sqrt{\sigma^2_B + \varepsilon}}\Big(m\,dy_i - \sum_j dy_j - \hat x_i \sum_j dy_j\,\hat x_j\Big)`,

  // Normalization lab (lab-steps-view.js): the set S of the m cells one statistic reduces over, per layer
  labMeanBatch2d: String.raw`\mu_c = \frac{1}{N H W}\sum_{n,h,w} x_{nchw}`,
  labMeanLayer: String.raw`\mu_n = \frac{1}{C H W}\sum_{c,h,w} x_{nchw}`,
  labMeanGroup: String.raw`\mu_{ng} = \frac{1}{(C/G) H W}\sum_{c \in g,\,h,\,w} x_{nchw}`,
  labMeanInstance: String.raw`\mu_{nc} = \frac{1}{H W}\sum_{h,w} x_{nchw}`,
  labVar: String.raw`\sigma^2 = \frac{1}{m}\sum_{i \in S} (x_i - \mu)^2, \quad \sqrt{\sigma^2 + \varepsilon}`,
  labNormalize: String.raw`\hat x_i = \frac{x_i - \mu}{\sqrt{\sigma^2 + \varepsilon}}, \quad y_i = \gamma\,\hat x_i + \beta`,
  labDx: String.raw`dx_i = \frac{1}{m\sqrt{\sigma^2 + \varepsilon}}\Big(m\,d\hat x_i - \sum_{j \in S} d\hat x_j - \hat x_i \sum_{j \in S} d\hat x_j\,\hat x_j\Big), \quad d\hat x = \gamma\,dy`,
  labDparamsChannel: String.raw`\frac{\partial L}{\partial \gamma_c} = \sum_{n,h,w} dy_{nchw}\,\hat x_{nchw}, \quad \frac{\partial L}{\partial \beta_c} = \sum_{n,h,w} dy_{nchw}`,
  labDparamsLayer: String.raw`\frac{\partial L}{\partial \gamma_{chw}} = \sum_{n} dy_{nchw}\,\hat x_{nchw}, \quad \frac{\partial L}{\partial \beta_{chw}} = \sum_{n} dy_{nchw}`,

  // Inference card (eval-map-view.js, fold-view.js)
  evalMap: String.raw`a = \frac{\gamma}{\sqrt{\sigma^2_{\text{run}} + \varepsilon}}, \quad b = \beta - a\,\mu_{\text{run}}, \quad y = a\,x + b`,
  foldLinear: String.raw`y = a \odot (W x + b_{\text{lin}} - \mu_{\text{run}}) + \beta = W' x + b', \quad W' = \operatorname{diag}(a)\,W, \quad b' = a \odot (b_{\text{lin}} - \mu_{\text{run}}) + \beta`,
};

export const FORMULAS = { ...FIRST_VIEW_FORMULAS, ...LATER_FORMULAS };
