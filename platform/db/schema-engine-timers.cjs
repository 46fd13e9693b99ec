// Preloaded into the Prisma CLI (see platform/db/database.ts and the "prisma" npm script).
// Prisma 6.19's WebAssembly schema engine arms 10 s / 60 s timers it never clears, so every
// migrate command sat idle for about a minute before exiting. Only timers scheduled from
// WebAssembly frames are unref'd: they still fire while the engine has work in flight, but no
// longer keep a finished CLI alive. Every other timer is untouched.
"use strict";
const originalSetTimeout = global.setTimeout;
global.setTimeout = function setTimeoutUnlessEngineIdleTimer(callback, delay, ...args) {
  const timer = originalSetTimeout(callback, delay, ...args);
  if (delay >= 1000 && /wasm:\/\//.test(new Error().stack ?? "")) timer.unref();
  return timer;
};
