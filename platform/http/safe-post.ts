import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

/**
 * POSTs to a URL someone else chose (an outgoing webhook) without letting it reach our own
 * network (SSRF). The check runs at connection time on the address actually connected to: the
 * request's DNS lookup is ours, and refuses loopback, private, link-local, carrier-grade NAT,
 * multicast and other special ranges, so a name that resolves to 127.0.0.1 (or is changed to,
 * after the URL was saved: DNS rebinding) is refused just like the literal address.
 */

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128], // unspecified
  ["::1", 128],
  ["::", 96], // IPv4-compatible (::7f00:1)
  ["::ffff:0:0:0", 96], // SIIT
  ["64:ff9b::", 96], // NAT64
  ["64:ff9b:1::", 48], // local-use NAT64
  ["2001::", 32], // Teredo (embeds an IPv4 address)
  ["2002::", 16], // 6to4 (embeds an IPv4 address)
  ["fec0::", 10], // site-local (deprecated)
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv6");
}

/** True when `address` (IPv4 or IPv6 text) is one a webhook must not reach unless private targets are allowed. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped?.[1]) return BLOCKED.check(mapped[1], "ipv4");
    return BLOCKED.check(address, "ipv6");
  }
  return BLOCKED.check(address, "ipv4");
}

export class UnsafeTargetError extends Error {
  constructor(readonly address: string) {
    super(`The endpoint's address ${address} is on a private, loopback or link-local network, which webhooks may not reach.`);
    this.name = "UnsafeTargetError";
  }
}

/** A DNS lookup that refuses private answers (unless allowed). */
export function guardedLookup(allowPrivate: boolean, resolve: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses as unknown as string, family: 4 }]) as LookupAddress[];
      const usable = allowPrivate ? list : list.filter((entry) => !isPrivateAddress(entry.address));
      if (usable.length === 0) return callback(new UnsafeTargetError(list[0]?.address ?? hostname), "", 0);
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
      const first = usable[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}

export type SafePostResult = { status: number; body: string; latencyMs: number };

/**
 * POSTs `body` and reads at most `maxResponseBytes` of the answer. Rejects with UnsafeTargetError
 * for a private target (literal or resolved), or the network error; never follows redirects (a
 * redirect to an internal address would be the classic bypass).
 */
export function safePost(
  target: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean; maxResponseBytes?: number; lookup?: typeof dnsLookup },
): Promise<SafePostResult> {
  const url = new URL(target);
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(literal) !== 0 && !options.allowPrivate && isPrivateAddress(literal)) return Promise.reject(new UnsafeTargetError(literal));
  const client = url.protocol === "https:" ? https : http;
  const maxBytes = options.maxResponseBytes ?? 4096;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.allowPrivate, options.lookup),
        timeout: options.timeoutMs,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          clearTimeout(deadline);
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), latencyMs: Math.round(performance.now() - started) });
        };
        response.on("data", (chunk: Buffer) => {
          if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size));
          size += chunk.length;
          // Enough to show in the log: stop reading rather than let a receiver stream for ever.
          if (size >= maxBytes) {
            finish();
            response.destroy();
          }
        });
        response.on("end", finish);
        response.on("error", (error) => {
          clearTimeout(deadline);
          reject(error);
        });
      },
    );
    // One deadline for the whole exchange: the socket's idle timeout alone lets a receiver that
    // drips a byte every few seconds hold the outbox worker as long as it likes.
    const deadline = setTimeout(() => request.destroy(new Error(`No complete answer within ${Math.round(options.timeoutMs / 1000)} s`)), options.timeoutMs);
    request.on("timeout", () => request.destroy(new Error(`No answer within ${Math.round(options.timeoutMs / 1000)} s`)));
    request.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    request.end(body);
  });
}
