// Message names between the page and the runtime worker. The Python side
// (engine/runtime/protocol.py) defines the same names; a test keeps them equal.
export const MSG = Object.freeze({
  RUNTIME_START: "runtime:start",
  RUNTIME_PROGRESS: "runtime:progress",
  RUNTIME_READY: "runtime:ready",
  RUNTIME_FAILED: "runtime:failed",
  DEMO_INIT: "demo:init",
  DEMO_STEP: "demo:step",
  DEMO_RESET: "demo:reset",
  DEMO_CONFIGURE: "demo:configure",
  DEMO_DOUBLE: "demo:double",
  DEMO_UPLOAD: "demo:upload",
  DEMO_SAVE_RUN: "demo:save-run",
  DEMO_STATE: "demo:state",
  DEMO_RUN: "demo:run",
  DEMO_ERROR: "demo:error",
});
