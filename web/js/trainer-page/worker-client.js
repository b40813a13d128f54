// The page side of the training worker. All trainers on a page share one
// module Web Worker (same origin, never a blob: URL, so the strict CSP
// allows it); each trainer view is a session with its own id.
//
// Protocol (main -> worker): { op: "create", id, generation, options, view }
// | { op: "play", id, until } | { op: "pause" | "dispose", id }
// | { op: "step", id, count } | { op: "recalibrate", id } (tr.recalibrate()
//   on both networks, then a frame) | { op: "view", id, view } (a partial
//   view: changes what frames carry without restarting; a paused session
//   posts a frame at once). until (optional): train to that step, then
//   stop playing (a link's "step"); null or absent: play until paused.
//   options: { bn, plain }, the bn.Trainer options of each panel
//     (state.js panelOptions).
//   view: { gridResolution, layerIndex, stepsPerFrame, histogramRange,
//     histogramBins, checkpoints, depth, landscape, runningStats } (checkpoints: steps
//     that get a frame; depth: true while the depth view is shown, frames
//     then carry depthLayers; landscape: true while the Santurkar measures
//     are shown, sampled every landscapeEvery steps and when it opens;
//     depth-figures.js). layerIndex counts hidden layers from 0, as the JS
//     API's Trainer.activations(layerIndex) does; the page shows and stores
//     layer numbers from 1 (state.layer) and converts in one place
//     (trainer-view.js view()). stepsPerFrame: training steps per frame
//     while playing (the page's "Steps per frame", state.stepsPerFrame).
// Worker -> main: { type: "frame", id, generation, playing, wasm, extent,
//   points, bn, plain } where wasm is the worker's build ("simd" | "scalar")
//   and bn and plain are one network's figures: steps, epoch, batchLoss,
//   loss, accuracy, testLoss, testAccuracy (eval mode), trainModeLoss,
//   trainModeAccuracy (train mode, training split), allAccuracy and
//   trainModeAllAccuracy (all points), layers ([{ preMean, preStd,
//   saturation, gradNorm }] per hidden layer, or null), grid, width, and the
//   histograms pre (Wx + b) and xhat (x̂) of layer layerIndex, depthLayers
//   (with depth: per hidden layer preMean, preStd, actStd, saturation,
//   gradNorm as Float64Arrays; null before the first step or without depth)
//   and landscape (the Santurkar samples taken since the last frame, each
//   depth-figures.js landscapeSample(); [] without them; the frame's
//   landscapeEvery says how often), runningStats (with view.runningStats and
//   batch norm: tr.runningStats(0)'s features, runningMean, runningVar,
//   populationMean, populationVar; else null); a panel whose options the core refused
//   is { refused: its message, steps: 0 }. The first frame of a session also
//   has schema (bn.schema.Trainer.options) and norms (the norm values this
//   build trains). While training to a
//   step, also until (the step, null once there) and reached (true on the
//   frame that got there, with playing false);
// | { type: "error", id, generation, message }.
const workers = new Map();   // worker URL -> { worker, sessions }
let nextId = 1;

function sharedWorker(url) {
  const key = String(url);
  let entry = workers.get(key);
  if (!entry) {
    const worker = new Worker(url, { type: "module", name: "bn-trainer" });
    entry = { worker, sessions: new Map() };
    worker.addEventListener("message", (event) => {
      const message = event.data;
      entry.sessions.get(message.id)?.(message);
    });
    worker.addEventListener("error", (event) => {
      const text = event.message || "the training worker failed to start";
      for (const listener of entry.sessions.values()) listener({ type: "error", message: text });
    });
    workers.set(key, entry);
  }
  return entry;
}

// Opens a session on the shared worker; `onMessage` gets its frames/errors.
export function openSession(workerUrl, onMessage) {
  const entry = sharedWorker(workerUrl);
  const id = nextId++;
  entry.sessions.set(id, onMessage);
  const send = (message) => entry.worker.postMessage({ ...message, id });
  return {
    id,
    create: (generation, options, view) => send({ op: "create", generation, options, view }),
    play: (until = null) => send({ op: "play", until }),
    pause: () => send({ op: "pause" }),
    step: (count) => send({ op: "step", count }),
    recalibrate: () => send({ op: "recalibrate" }),
    setView: (view) => send({ op: "view", view }),
    close() {
      send({ op: "dispose" });
      entry.sessions.delete(id);
    },
  };
}

// How many workers this page has started (the tests check it is at most one).
export function workerCount() {
  return workers.size;
}
