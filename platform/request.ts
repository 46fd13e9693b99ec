import { BlockList, isIP } from "node:net";

/**
 * The client address of a request, used as the key of every per-address limit and in the audit log.
 *
 * It starts from the TCP peer address: the launcher's HTTP server (scripts/next-server.mjs) deletes
 * any client-sent `x-veridesk-peer` header and sets it from `req.socket.remoteAddress` before Next.js
 * sees the request, so a client cannot forge it. X-Forwarded-For is read only when the operator says
 * which hops are trusted proxies (TRUSTED_PROXY_HOPS and/or TRUSTED_PROXY_CIDRS): walking from the
 * peer leftwards through X-Forwarded-For, trusted entries are skipped and the first untrusted one is
 * the client. The left-most entries are whatever the client sent and are never believed on their own.
 */
export const PEER_ADDRESS_HEADER = "x-veridesk-peer";

export interface TrustedProxies {
  /** How many proxies, counted from the app, always sit in front of it (each appends one entry). */
  hops: number;
  /** Address ranges whose entries are proxies, wherever they appear in the chain. */
  cidrs: string[];
}

const NO_PROXIES: TrustedProxies = { hops: 0, cidrs: [] };

/** Parses "10.0.0.0/8, 2001:db8::/32, 192.0.2.7"; returns null and the bad entry when one is wrong. */
export function parseCidrList(value: string): { cidrs: string[]; bad: string | null } {
  const cidrs = value
    .split(/[\s,]+/)
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const cidr of cidrs) {
    const [address = "", prefix] = cidr.split("/");
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    if (!family || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= max))) return { cidrs, bad: cidr };
  }
  return { cidrs, bad: null };
}

/** "::ffff:203.0.113.9" (IPv4 on a dual-stack socket) is 203.0.113.9; brackets and ports are dropped. */
export function normalizeAddress(raw: string): string {
  let address = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.replace(/:\d+$/, "");
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(address);
  if (mapped) address = mapped[1]!;
  return address.toLowerCase();
}

function blockListOf(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = "", prefix] = cidr.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

const blockLists = new Map<string, BlockList>();

function isTrustedRange(address: string, cidrs: string[]): boolean {
  if (cidrs.length === 0) return false;
  const family = isIP(address);
  if (!family) return false;
  const key = cidrs.join(",");
  let list = blockLists.get(key);
  if (!list) blockLists.set(key, (list = blockListOf(cidrs)));
  return list.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** The operator's trusted proxies, from TRUSTED_PROXY_HOPS / TRUSTED_PROXY_CIDRS (validated at start-up by platform/env.ts). */
export function trustedProxiesFrom(source: Record<string, string | undefined> = process.env): TrustedProxies {
  const hops = Number(source.TRUSTED_PROXY_HOPS ?? 0);
  const { cidrs, bad } = parseCidrList(source.TRUSTED_PROXY_CIDRS ?? "");
  return { hops: Number.isInteger(hops) && hops > 0 ? hops : 0, cidrs: bad ? [] : cidrs };
}

export function clientIpFrom(header: (name: string) => string | null | undefined, proxies: TrustedProxies = trustedProxiesFrom()): string {
  const peer = header(PEER_ADDRESS_HEADER);
  // No peer header: the app was not started by scripts/start.ts (e.g. a bare `next start`). Every
  // such client shares one bucket rather than being trusted to name its own address.
  if (!peer) return "unknown";
  const chain = [...(proxies.hops > 0 || proxies.cidrs.length > 0 ? (header("x-forwarded-for") ?? "").split(",") : []), peer]
    .map(normalizeAddress)
    .filter(Boolean);
  let hopsLeft = proxies.hops;
  for (let index = chain.length - 1; index >= 0; index--) {
    const address = chain[index]!;
    const trusted = hopsLeft > 0 || isTrustedRange(address, proxies.cidrs);
    hopsLeft = Math.max(0, hopsLeft - 1);
    if (!trusted) return address.slice(0, 64);
  }
  // Every entry is a trusted proxy: the left-most one is as close to the client as we can see.
  return (chain[0] ?? "unknown").slice(0, 64);
}
