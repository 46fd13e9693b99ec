import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import type { AddressInfo } from "node:net";

/**
 * A real DNS server on loopback (UDP), for tests, the benchmark and the e2e run: it answers MX, A
 * and AAAA queries from a zone function, NXDOMAIN, an empty answer, SERVFAIL, or after a delay
 * (a slow name, to exercise timeouts). Node's own resolver talks to it like to any server, so the
 * whole lookup path is the production one. Enough of RFC 1035 for that and nothing more: one
 * question per query, no compression in what it writes, no TCP.
 */

export type LoopbackZoneAnswer =
  | { mx?: { exchange: string; priority: number }[]; a?: string[]; aaaa?: string[]; delayMs?: number }
  | { nxdomain: true; delayMs?: number }
  | { servfail: true; delayMs?: number }
  /** Never answers (the resolver times out). */
  | { silent: true };

/** The answer for a name (lower-case, no trailing dot); undefined = NXDOMAIN. */
export type LoopbackZone = (name: string) => LoopbackZoneAnswer | undefined;

export interface LoopbackDnsServer {
  /** "127.0.0.1:<port>", as VALIDATION_DNS_SERVERS and Resolver#setServers take it. */
  address: string;
  port: number;
  /** Every question received, in order ("MX example.com"). */
  queries: string[];
  close(): Promise<void>;
}

const TYPE = { A: 1, MX: 15, AAAA: 28 } as const;
const TYPE_NAME: Record<number, string> = { 1: "A", 15: "MX", 28: "AAAA" };

function encodeName(name: string): Buffer {
  const parts = name === "" || name === "." ? [] : name.replace(/\.$/, "").split(".");
  return Buffer.concat([...parts.map((label) => Buffer.concat([Buffer.from([Buffer.byteLength(label)]), Buffer.from(label)])), Buffer.from([0])]);
}

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  for (let guard = 0; guard < 128; guard += 1) {
    const length = message[at];
    if (length === undefined) throw new Error("truncated name");
    if (length === 0) return { name: labels.join("."), end: at + 1 };
    if (length >= 0xc0) throw new Error("compressed question names are not supported");
    labels.push(message.subarray(at + 1, at + 1 + length).toString("latin1"));
    at += 1 + length;
  }
  throw new Error("name too long");
}

function record(name: Buffer, type: number, data: Buffer): Buffer {
  const header = Buffer.alloc(10);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(1, 2); // IN
  header.writeUInt32BE(60, 4); // TTL
  header.writeUInt16BE(data.length, 8);
  return Buffer.concat([name, header, data]);
}

function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const parts = tail === undefined ? headParts : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill("0"), ...tailParts];
  const bytes = Buffer.alloc(16);
  parts.forEach((part, i) => bytes.writeUInt16BE(Number.parseInt(part || "0", 16), i * 2));
  return bytes;
}

/** Builds the response to one query message, or null to stay silent. */
export function answerQuery(query: Buffer, zone: LoopbackZone): { response: Buffer | null; question: string; delayMs: number } {
  const id = query.readUInt16BE(0);
  const { name, end } = readName(query, 12);
  const type = query.readUInt16BE(end);
  const question = `${TYPE_NAME[type] ?? type} ${name.toLowerCase()}`;
  const answer = zone(name.toLowerCase());
  if (answer && "silent" in answer) return { response: null, question, delayMs: 0 };
  const delayMs = answer?.delayMs ?? 0;
  let rcode = 0;
  const records: Buffer[] = [];
  const owner = encodeName(name);
  if (!answer || "nxdomain" in answer) rcode = 3;
  else if ("servfail" in answer) rcode = 2;
  else if (type === TYPE.MX) {
    for (const mx of answer.mx ?? []) {
      const priority = Buffer.alloc(2);
      priority.writeUInt16BE(mx.priority, 0);
      records.push(record(owner, TYPE.MX, Buffer.concat([priority, encodeName(mx.exchange)])));
    }
  } else if (type === TYPE.A) {
    for (const ip of answer.a ?? []) records.push(record(owner, TYPE.A, Buffer.from(ip.split(".").map(Number))));
  } else if (type === TYPE.AAAA) {
    for (const ip of answer.aaaa ?? []) records.push(record(owner, TYPE.AAAA, ipv6Bytes(ip)));
  }
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  // QR=1, opcode 0, AA=1, RD copied, RA=1, rcode.
  header.writeUInt16BE(0x8000 | 0x0400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const questionSection = query.subarray(12, end + 4);
  return { response: Buffer.concat([header, questionSection, ...records]), question, delayMs };
}

/** Starts the server on 127.0.0.1 (port 0: any free port). */
export function startLoopbackDnsServer(zone: LoopbackZone, options: { port?: number } = {}): Promise<LoopbackDnsServer> {
  const socket: Socket = createSocket("udp4");
  const queries: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  socket.on("message", (message: Buffer, from: RemoteInfo) => {
    let built: ReturnType<typeof answerQuery>;
    try {
      built = answerQuery(message, zone);
    } catch {
      return; // not a query we understand: no answer
    }
    queries.push(built.question);
    const { response } = built;
    if (!response) return;
    const send = () => socket.send(response, from.port, from.address);
    if (built.delayMs > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, built.delayMs);
      timers.add(timer);
    } else send();
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port ?? 0, "127.0.0.1", () => {
      const { port } = socket.address() as AddressInfo;
      resolve({
        address: `127.0.0.1:${port}`,
        port,
        queries,
        close: () =>
          new Promise<void>((done) => {
            for (const timer of timers) clearTimeout(timer);
            socket.close(() => done());
          }),
      });
    });
  });
}

/**
 * The zone the e2e run and the benchmark use: every name under a ".test", ".example" or other
 * domain has an MX ("mx.<domain>"), except names that say otherwise:
 * "*nxdomain*" / "*does-not-exist*" → NXDOMAIN, "*no-mail*" → no MX/A/AAAA, "*a-only*" → only an A,
 * "*slow-dns*" → answers after 10 s (past any sensible timeout).
 */
export const conventionalZone: LoopbackZone = (name) => {
  if (name.includes("nxdomain") || name.includes("does-not-exist")) return { nxdomain: true };
  if (name.includes("no-mail")) return {};
  if (name.includes("a-only")) return { a: ["192.0.2.10"] };
  if (name.includes("slow-dns")) return { mx: [{ exchange: `mx.${name}`, priority: 10 }], delayMs: 10_000 };
  return { mx: [{ exchange: `mx.${name}`, priority: 10 }], a: ["192.0.2.1"] };
};
