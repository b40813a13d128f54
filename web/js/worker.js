// The training worker: one WebAssembly instance (loadBN) that runs, for each
// session a page opens, two Trainers from the same options and seed, one
// with batch norm and one without. Steps run here so the page's main thread
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

function create(bn, { id, generation, options, view }) {
  dispose(id);   // a failed create leaves no stale session playing
  if (typeof bn.Trainer !== "function") throw new Error("this build of bn-wasm has no Trainer");
  const withNorm = new bn.Trainer({ ...options, batchNorm: true });
  let without;
  try {
    without = new bn.Trainer({ ...options, batchNorm: false });
  } catch (error) {
    withNorm.dispose();
    throw error;
  }
  const points = withNorm.points();
  const session = {
    id, generation, view, playing: false, until: null, wasm: buildName(bn),
    nets: { bn: withNorm, plain: without },
    batchLoss: { bn: NaN, plain: NaN },
    extent: dataExtent(points.x),
    // Landscape samples taken since the last frame (landscape view open).
    samples: { bn: [], plain: [] }, every: landscapeEvery(options.hidden.length),
  };
  sessions.set(id, session);
  post(session, { x: points.x, y: points.y, test: points.test });
}

function dispose(id) {
  const session = sessions.get(id);
  if (!session) return;
  session.nets.bn.dispose();
  session.nets.plain.dispose();
  sessions.delete(id);
}

function advance(session, count) {
  if (count <= 0) return;
  session.batchLoss = stepSampling(session.nets, count, session.view.landscape ? session.every : 0, session.samples);
}

function sampleNow(session) {
  for (const key of ["bn", "plain"]) {
    const sample = landscapeSample(session.nets[key]);
    if (sample) session.samples[key].push(sample);
  }
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
      const steps = session.nets.bn.steps;
      advance(session, until === null ? session.view.stepsPerFrame
        : Math.min(Math.max(session.view.stepsPerFrame, Math.ceil(until / 250)), until - steps));
      const reached = until !== null && session.nets.bn.steps >= until;
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

// The class-1 probability over the plane. A deep network whose values stop
// being finite off the data (100 residual blocks without normalization)
// has none there: NaN, drawn as the neutral colour, as for a diverged one.
function gridOf(trainer, resolution, { xmin, xmax, ymin, ymax }) {
  try {
    return trainer.predictGrid(resolution, xmin, xmax, ymin, ymax);
  } catch (error) {
    if (!/stop being finite/.test(error.message)) throw error;
    return new Float32Array(resolution * resolution).fill(NaN);
  }
}

// The figures of one network, as the page shows them.
function figures(trainer, batchLoss, view, extent, samples) {
  const evaluation = trainer.evaluate();
  const grid = gridOf(trainer, view.gridResolution, extent);
  // Layer values exist once a training batch has gone through.
  const layer = trainer.steps > 0 ? trainer.activations(view.layerIndex) : null;
  const hist = (values) => (values ? histogram(values, view.histogramRange, view.histogramBins) : null);
  return {
    steps: trainer.steps, epoch: trainer.epoch, batchLoss,
    // Eval mode, on the training split (test split apart).
    loss: evaluation.trainLoss, accuracy: evaluation.trainAccuracy,
    testLoss: evaluation.testLoss, testAccuracy: evaluation.testAccuracy,
    // x̂ of the layer (the JS API calls it post until it is renamed xhat).
    grid, width: layer?.width ?? 0, pre: hist(layer?.pre), xhat: hist(layer?.xhat ?? layer?.post),
    // The depth view's figures, only while it is shown.
    layers: view.depth ? packLayerStats(trainer) : null, landscape: samples.splice(0),
  };
}

// extra: { until, reached } while training to a link's step.
function post(session, points, extra = {}) {
  const { view, extent, nets, batchLoss } = session;
  const bn = figures(nets.bn, batchLoss.bn, view, extent, session.samples.bn);
  const plain = figures(nets.plain, batchLoss.plain, view, extent, session.samples.plain);
  const transfer = [bn.grid.buffer, plain.grid.buffer];
  self.postMessage({
    type: "frame", id: session.id, generation: session.generation, playing: session.playing,
    wasm: session.wasm, extent, points, bn, plain, landscapeEvery: session.every, ...extra,
  }, transfer);
}
