/**
 * `npm start` / `npm run demo`: runs the launcher (scripts/start.ts) without a TypeScript loader in
 * its process. The launcher lives beside the server for as long as it runs (it forwards signals and
 * stops the embedded database), and under `node --import tsx` the loader's hooks thread, an isolate of
 * its own, made it ~76 MB instead of ~54 (issue 17: the server's memory). So a short-lived child
 * process compiles the launcher with esbuild (the compiler tsx itself uses; its API would cost this
 * process ~12 MB more) into one file beside its dependencies, node_modules/.cache/veridesk/launcher.mjs
 * (bare imports such as "zod" resolve from there), and this process imports that file. If it cannot
 * be written (a read-only install), the launcher says so and runs under tsx as before.
 *
 * Plain JavaScript, so node runs it as is. Arguments as scripts/start.ts's: [--demo] [--no-seed];
 * `--launcher-cache DIR` compiles into DIR instead (for tests; a folder inside the project, where the
 * package imports resolve; an unwritable one shows the fallback).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const self = fileURLToPath(import.meta.url);
const source = path.join(path.dirname(self), "start.ts");
const root = path.dirname(path.dirname(self));
const COMPILE = "--compile-launcher-to";

/** Compiles scripts/start.ts into outDir/launcher.mjs (in the child process). */
async function compileLauncher(outDir) {
  const { default: esbuild } = await import("esbuild");
  // Written under a name of its own, then renamed: two instances starting at once never import a half-written file.
  const partial = path.join(outDir, `launcher.${process.pid}.mjs`);
  try {
    mkdirSync(outDir, { recursive: true });
    await esbuild.build({
      entryPoints: [source],
      outfile: partial,
      bundle: true,
      platform: "node",
      format: "esm",
      target: `node${process.versions.node}`,
      // Packages stay imports, loaded from node_modules as under tsx; only our own modules are inlined.
      packages: "external",
      tsconfig: path.join(root, "tsconfig.json"),
      // The launcher finds its sibling scripts (next-server.mjs, prepare-database.ts) from its own URL.
      define: { "import.meta.url": JSON.stringify(pathToFileURL(source).href) },
      sourcemap: "inline",
      logLevel: "silent",
    });
    renameSync(partial, path.join(outDir, "launcher.mjs"));
  } finally {
    // Never hides the error above (with no folder, even this fails).
    try {
      rmSync(partial, { force: true });
    } catch {}
    await esbuild.stop();
  }
}

const compileIndex = process.argv.indexOf(COMPILE);
if (compileIndex > 0) {
  try {
    await compileLauncher(process.argv[compileIndex + 1]);
  } catch (error) {
    // One line for the parent's sentence: esbuild's "Build failed with 1 error:\nerror: …" or the file system's code.
    process.stderr.write(
      String(error?.message ?? error)
        .replace(/\s*\n\s*/g, " ")
        .trim(),
    );
    process.exitCode = 1;
  }
} else {
  const cacheIndex = process.argv.indexOf("--launcher-cache");
  const outDir = cacheIndex > 0 ? path.resolve(process.argv[cacheIndex + 1]) : path.join(root, "node_modules", ".cache", "veridesk");
  const compiled = spawnSync(process.execPath, [self, COMPILE, outDir], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (compiled.status === 0) {
    // Stack traces name start.ts and its modules, as under tsx (the bundle carries an inline source map).
    process.setSourceMapsEnabled(true);
    await import(pathToFileURL(path.join(outDir, "launcher.mjs")).href);
  } else {
    const reason = compiled.error?.message ?? (compiled.stderr.trim() || `exit code ${compiled.status ?? compiled.signal}`);
    console.log(`[veridesk] Could not compile the launcher into ${outDir} (${reason}); running it under tsx instead.`);
    const { register } = await import("tsx/esm/api");
    register();
    await import(pathToFileURL(source).href);
  }
}
