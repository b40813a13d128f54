// The page side of the training worker. All trainers on a page share one
// module Web Worker (same origin, never a blob: URL, so the strict CSP
// allows it); each trainer view is a session with its own id.
//
// Protocol (main -> worker): { op: "create", id, generation, options, view }
// | { op: "play" | "pause" | "dispose", id } | { op: "step", id, count }.
// Worker -> main: { type: "frame", id, generation, playing, bn, plain }
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
    play: () => send({ op: "play" }),
    pause: () => send({ op: "pause" }),
    step: (count) => send({ op: "step", count }),
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
