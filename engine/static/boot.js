// Start the demos' Python runtime while the rest of the page is still loading.
//
// Post pages load this module with `async` from <head>, right after the runtime settings:
// the worker and its downloads begin before the body is parsed and before demo.js and its
// imports arrive. demo.js then uses the same runtime (see runtime.js).

import { startPageRuntime } from "./runtime.js";

startPageRuntime();
