"""Message names between the page and the runtime (mirrored in engine/static/protocol.js)."""

from typing import Final

RUNTIME_START: Final = "runtime:start"
RUNTIME_PROGRESS: Final = "runtime:progress"
RUNTIME_READY: Final = "runtime:ready"
RUNTIME_FAILED: Final = "runtime:failed"
DEMO_INIT: Final = "demo:init"
DEMO_STEP: Final = "demo:step"
DEMO_RESET: Final = "demo:reset"
DEMO_CONFIGURE: Final = "demo:configure"
DEMO_DOUBLE: Final = "demo:double"
DEMO_UPLOAD: Final = "demo:upload"
DEMO_SAVE_RUN: Final = "demo:save-run"
DEMO_STATE: Final = "demo:state"
DEMO_RUN: Final = "demo:run"
DEMO_ERROR: Final = "demo:error"
