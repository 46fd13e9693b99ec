#!/usr/bin/env node
// `npm install` on this offline mirror drops optional native packages the registry does not serve
// (macOS/Windows/Android builds of @next/swc and @tailwindcss/oxide). `npm ci` on a fresh clone then
// refuses the lockfile as "out of sync". This adds a placeholder entry {version, optional, os, cpu}
// for each missing one, which is what npm itself would have written. Run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs";

const LOCKFILE = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(LOCKFILE, "utf8"));

const OS = ["darwin", "win32", "linux", "android", "freebsd", "wasi"];
const CPU = ["arm64", "x64", "arm", "ia32", "wasm32"];

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const os = OS.find((o) => parts.includes(o)) ?? null;
  const cpu = CPU.find((c) => parts.includes(c)) ?? null;
  return { os, cpu };
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? path + "/" : ""}node_modules/${dep}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${dep}`]) continue;
    const { os, cpu } = platformOf(dep);
    const placeholder = { version, optional: true };
    if (os === "wasi" || cpu === "wasm32") placeholder.cpu = ["wasm32"];
    else {
      if (os) placeholder.os = [os];
      if (cpu) placeholder.cpu = [cpu];
    }
    lock.packages[`node_modules/${dep}`] = placeholder;
    added++;
  }
}

const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
lock.packages = sorted;
writeFileSync(LOCKFILE, JSON.stringify(lock, null, 2) + "\n");
console.log(`complete-lockfile: added ${added} missing optional platform package(s)`);
