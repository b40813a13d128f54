// Paints a trainer's figures over successive animation frames so that no
// frame does much work: each figure is a job, (frame) -> true when it
// painted (false when nothing had changed or it was put off), and a frame
// runs the jobs in turn, from where the last frame stopped, until it has
// spent its budget of script time. The browser's own work for the frame
// (style, layout, paint of what changed) grows with what the jobs painted,
// so the budget bounds it too. A frame that stops early asks for the next;
// a figure that is clean costs a flag test.
//
// A job painted in one frame is not run again in that frame, so every
// figure gets its turn however often new data arrives. At depth 100 with
// the depth lab open, a 2 ms budget keeps each frame's task (script and
// rendering) to about 6-9 ms of CPU on a loaded 2-core machine
// (tests/browser/trainer-depth-view.test.mjs).
export const FRAME_BUDGET_MS = 2;

// jobs(): the current list (views come and go with their parts);
// prepare(): the frame's shared inputs ({ palette, ... }), read once per
// frame, to which a frame adds everything: true when every figure must
// be painted, on screen or not (printing); measure: the
// performance.measure name of each frame's work; isPending(): whether
// some figure put its painting off (line-chart.js chartsPending);
// afterFrame(start): called after each frame (start: its performance.now()).
export function createFrameScheduler({ jobs, prepare, measure, isPending = () => false, afterFrame = () => {} }) {
  let cursor = 0;
  let requested = false;

  // Runs jobs until `budget` ms are spent; returns whether some were left.
  function run(budget, everything = false) {
    const started = performance.now();
    const list = jobs();
    const frame = { ...prepare(), everything };
    let left = false;
    for (let k = 0; k < list.length; k++) {
      const index = (cursor + k) % list.length;
      if (list[index](frame) && performance.now() - started >= budget && k < list.length - 1) {
        cursor = index + 1;
        left = true;
        break;
      }
    }
    if (!left) cursor = 0;
    performance.measure(measure, { start: started, end: performance.now() });
    afterFrame(started);
    return left;
  }

  function onFrame() {
    requested = false;
    if (run(FRAME_BUDGET_MS) || isPending()) request();
  }

  function request() {
    if (requested) return;
    requested = true;
    requestAnimationFrame(onFrame);
  }

  return {
    // Paints what changed over the next frames.
    request,
    // Paints everything now, whatever it costs (before printing).
    now() {
      cursor = 0;
      run(Infinity, true);
    },
  };
}
