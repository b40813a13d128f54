// The training worker: one WebAssembly instance (loadBN) that runs, for each
// session a page opens, two Trainers (the panels "bn" and "plain", each from
// its own options, the same seed). Steps run here so the page's main thread
// only draws. See trainer-page/worker-client.js for the message protocol.
import { loadBN } from "./bn.js";
import { wasmDirectory } from "./trainer-page/assets.js";
import { histogram, dataExtent } from "./trainer-page/frame-math.js";
import { buildName, simdChoice } from "./wasm-choice.js";
import { landscapeEvery, landscapeSample, packLayerStats, stepSampling } from "./trainer-page/depth-figures.js";

const FRAME_MS = 33;            // about 30 frames a second while playing
const sessions = new Map();     // id -> session
// ?wasm= on this script's URL (copied from the page's) picks the build.
const bnReady = loadBN({ simd: simdChoice(), locateFile: (name) => new URL(name, wasmDirectory).href });
let timer = null;

// Messages are handled in order, each after the module has loaded.
let queue = bnReady.then(() => undefined);
self.addEventListener("message", (event) => {
  const message = event.data;
  queue = queue.then(() => handle(message)).catch((error) => report(message, error));
});

async function handle(message) {
  const bn = await bnReady;
  const session = sessions.get(message.id);
  switch (message.op) {
    case "create": return create(bn, message);
    case "dispose": return dispose(message.id);
    case "play":
      // until: train to that step (in larger chunks, about 250 frames on
      // the way) and stop there.
      if (session) { session.playing = true; session.until = message.until ?? null; schedule(); }
      return;
    case "pause":
      if (session) { session.playing = false; session.until = null; post(session); }
      return;
    case "step":
      if (session) { advance(session, message.count); post(session); }
      return;
    case "recalibrate":
      if (session) { for (const net of Object.values(session.nets)) net?.recalibrate(); post(session); }
      return;
    case "view":
      // A new view of the same run (the depth view opened, another layer):
      // nothing restarts; a paused session posts a frame at once.
      if (!session) return;
      // Opening the landscape view samples the networks as they are now.
      if (message.view.landscape && !session.view.landscape) sampleNow(session);
      session.view = { ...session.view, ...message.view };
      if (!session.playing) post(session);
      return;
    default:
      throw new Error(`unknown worker op ${JSON.stringify(message.op)}`);
  }
}

function report(message, error) {
  const session = sessions.get(message.id);
  if (session) session.playing = false;
  self.postMessage({ type: "error", id: message.id, generation: message.generation ?? session?.generation,
    message: error?.message ?? String(error) });
}

// options: { bn, plain }, each panel's Trainer options. A panel whose
// options the core refuses (batch norm at batch size 1) shows the message
// in its place; the other trains. Both refused: an error.
function create(bn, { id, generation, options, view }) {
  dispose(id);   // a failed create leaves no stale session playing
  if (typeof bn.Trainer !== "function") throw new Error("this build of bn-wasm has no Trainer");
  const nets = {}, refused = {};
  for (const key of ["bn", "plain"]) {
    try { nets[key] = new bn.Trainer(options[key]); } catch (error) { nets[key] = null; refused[key] = error.message; }
  }
  const first = nets.bn ?? nets.plain;
  if (!first) throw new Error(refused.bn);
  const points = first.points();
  const session = {
    id, generation, view, playing: false, until: null, wasm: buildName(bn), nets, refused,
    batchLoss: { bn: NaN, plain: NaN },
    extent: dataExtent(points.x),
    // Landscape samples taken since the last frame (landscape view open).
    samples: { bn: [], plain: [] }, every: landscapeEvery(first.options.hidden.length),
  };
  sessions.set(id, session);
  post(session, { x: points.x, y: points.y, test: points.test }, { schema: bn.schema.Trainer.options, norms: normsAvailable(bn) });
}

// The schema's norm values this build can train (layer and group are in
// the schema before the core has them): each tried on a tiny network.
let norms = null;
function normsAvailable(bn) {
  norms ??= (bn.schema.Trainer.options.norm?.values ?? ["batch", "none"]).filter((norm) => {
    try { new bn.Trainer({ norm, samples: 10, hidden: [2], batchSize: 2 }).dispose(); return true; } catch { return false; }
  });
  return norms;
}

function dispose(id) {
  const session = sessions.get(id);
  if (!session) return;
  for (const net of Object.values(session.nets)) net?.dispose();
  sessions.delete(id);
}

function advance(session, count) {
  if (count <= 0) return;
  // The networks the core built (a refused one is null); the landscape
  // sampled every session.every steps while that view is open.
  const live = Object.fromEntries(Object.entries(session.nets).filter(([, net]) => net));
  Object.assign(session.batchLoss, stepSampling(live, count, session.view.landscape ? session.every : 0, session.samples));
}

function sampleNow(session) {
  for (const key of ["bn", "plain"]) {
    const sample = session.nets[key] ? landscapeSample(session.nets[key]) : null;
    if (sample) session.samples[key].push(sample);
  }
}

// The steps taken (a diverged network stops counting; the other goes on).
const stepsOf = (session) => Math.max(...Object.values(session.nets).map((net) => net?.steps ?? 0));
const allDiverged = (session) => Object.values(session.nets).every((net) => !net || net.diverged);

// At most `count` steps, stopping at the next of view.checkpoints (steps
// where the page records layer statistics), so every checkpoint has a frame.
function chunk(session, count) {
  const steps = stepsOf(session);
  const next = (session.view.checkpoints ?? []).find((c) => c > steps);
  return next === undefined ? count : Math.min(count, next - steps);
}

function schedule() {
  if (timer === null) timer = setTimeout(tick, 0);
}

// Runs every playing session for one frame's worth of steps, then posts
// frames. Yields to the event loop between frames so Pause is seen at once.
function tick() {
  timer = null;
  const started = performance.now();
  let anyPlaying = false;
  for (const session of sessions.values()) {
    if (!session.playing) continue;
    anyPlaying = true;
    try {
      const { until } = session;
      const steps = stepsOf(session);
      advance(session, chunk(session, until === null ? session.view.stepsPerFrame
        : Math.min(Math.max(session.view.stepsPerFrame, Math.ceil(until / 250)), until - steps)));
      const reached = until !== null && (stepsOf(session) >= until || allDiverged(session));
      if (reached) { session.playing = false; session.until = null; }
      post(session, undefined, { until: reached ? null : until, reached });
    } catch (error) {
      report({ id: session.id, generation: session.generation }, error);
    }
  }
  // Training to a link's step runs flat out (a frame per chunk); playing, about 30 frames a second.
  const catchingUp = [...sessions.values()].some((s) => s.playing && s.until !== null);
  if (anyPlaying) timer = setTimeout(tick, catchingUp ? 0 : Math.max(0, FRAME_MS - (performance.now() - started)));
}

// The figures of one network, as the page shows them.
function figures(trainer, batchLoss, view, extent, refused, samples) {
  if (!trainer) return { refused, steps: 0, landscape: samples.splice(0) };
  const evaluation = trainer.evaluate();
  // A deep plain network can overflow away from the data: no map then (NaN
  // paints the middle colour), and the core's message beside it.
  let grid, gridProblem = null;
  try {
    grid = trainer.predictGrid(view.gridResolution, extent.xmin, extent.xmax, extent.ymin, extent.ymax);
  } catch (error) {
    grid = new Float32Array(view.gridResolution ** 2).fill(NaN);
    gridProblem = error.message;
  }
  // Layer values exist once a training batch has gone through.
  const layer = trainer.steps > 0 ? trainer.activations(Math.min(view.layerIndex, trainer.options.hidden.length - 1)) : null;
  const hist = (values) => (values ? histogram(values, view.histogramRange, view.histogramBins) : null);
  return {
    steps: trainer.steps, epoch: trainer.epoch, batchLoss, diverged: trainer.diverged,
    // Eval mode, on the training split (test split apart).
    loss: evaluation.trainLoss, accuracy: evaluation.trainAccuracy,
    testLoss: evaluation.testLoss, testAccuracy: evaluation.testAccuracy,
    // Train mode (batch statistics), and both modes on all points.
    trainModeLoss: evaluation.trainModeTrainLoss, trainModeAccuracy: evaluation.trainModeTrainAccuracy,
    allAccuracy: evaluation.accuracy, trainModeAllAccuracy: evaluation.trainModeAccuracy,
    // Per hidden layer, from the last step (none before it or once diverged).
    layers: trainer.steps > 0 && !trainer.diverged ? trainer.layerStats().map(({ preMean, preStd, saturation, gradNorm }) =>
      ({ preMean, preStd, saturation, gradNorm })) : null,
    // x̂ of the layer (the JS API calls it post until it is renamed xhat).
    grid, gridProblem, width: layer?.width ?? 0, pre: hist(layer?.pre), xhat: hist(layer?.xhat ?? layer?.post),
    // The depth view's figures, only while it is shown.
    depthLayers: view.depth ? packLayerStats(trainer) : null, landscape: samples.splice(0),
    runningStats: view.runningStats ? firstRunningStats(trainer) : null,
  };
}

// The running-statistics view's figures: hidden layer 1's (a network
// without batch norm, or diverged: none).
function firstRunningStats(trainer) {
  if (trainer.options.norm !== "batch" || trainer.diverged) return null;
  const { features, runningMean, runningVar, populationMean, populationVar } = trainer.runningStats(0);
  return { features, runningMean, runningVar, populationMean, populationVar };
}

// extra: { until, reached } while training to a link's step.
function post(session, points, extra = {}) {
  const { view, extent, nets, batchLoss } = session;
  const bn = figures(nets.bn, batchLoss.bn, view, extent, session.refused.bn, session.samples.bn);
  const plain = figures(nets.plain, batchLoss.plain, view, extent, session.refused.plain, session.samples.plain);
  const transfer = [bn.grid?.buffer, plain.grid?.buffer].filter(Boolean);
  self.postMessage({
    type: "frame", id: session.id, generation: session.generation, playing: session.playing,
    wasm: session.wasm, extent, points, bn, plain, landscapeEvery: session.every, ...extra,
  }, transfer);
}
