import { Resolver } from "node:dns/promises";

export { parseDnsServers } from "./servers";

/**
 * Does a mail domain exist and accept mail? Answered from DNS as a sending server would: its MX
 * records, else (RFC 5321 §5.1, the "implicit MX") an A or AAAA record. Knows no Veridesk domain;
 * bulk validation (features/data-quality/validation/) maps the outcomes to its reason codes.
 *
 * The resolver is an interface so that tests and the benchmark point it at a real DNS server on
 * loopback (./loopback-dns-server.ts) and nothing here depends on the Internet.
 */

/** The three lookups, each rejecting with a Node-style `code` (ENOTFOUND, ENODATA, ETIMEOUT, ESERVFAIL…). */
export interface DnsResolver {
  resolveMx(name: string): Promise<{ exchange: string; priority: number }[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
}

/**
 * - `mail`: an MX (other than the RFC 7505 "null MX", which says "no mail here"), or an A/AAAA;
 * - `not_found`: NXDOMAIN, the name does not exist;
 * - `no_mail_host`: it exists, but has no MX (or only a null MX) and no A or AAAA;
 * - `unanswered`: timed out, SERVFAIL, refused: nothing can be said (never a reason to call it invalid).
 */
export type MailDomainOutcome = "mail" | "not_found" | "no_mail_host" | "unanswered";

export const DEFAULT_DNS_TIMEOUT_MS = 3_000;
export const DEFAULT_DNS_CONCURRENCY = 16;

/** Node's resolver (c-ares), one try per lookup with `timeoutMs`; the system's servers unless `servers` is given. */
export function createNodeResolver(options: { servers?: readonly string[]; timeoutMs?: number } = {}): DnsResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS, tries: 1 });
  if (options.servers && options.servers.length > 0) resolver.setServers([...options.servers]);
  return {
    resolveMx: (name) => resolver.resolveMx(name),
    resolve4: (name) => resolver.resolve4(name),
    resolve6: (name) => resolver.resolve6(name),
  };
}

type Answer<T> = { ok: true; records: T[] } | { ok: false; code: "not_found" | "no_data" | "unanswered" };

function withTimeout<T>(lookup: Promise<T>, timeoutMs: number): Promise<T> {
  // The resolver has its own timeout; this one guards an injected resolver that has none.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error("DNS lookup timed out"), { code: "ETIMEOUT" })), timeoutMs);
  });
  return Promise.race([lookup, timeout]).finally(() => clearTimeout(timer));
}

async function ask<T>(lookup: () => Promise<T[]>, timeoutMs: number): Promise<Answer<T>> {
  try {
    const records = await withTimeout(lookup(), timeoutMs);
    return records.length > 0 ? { ok: true, records } : { ok: false, code: "no_data" };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ENOTFOUND") return { ok: false, code: "not_found" };
    if (code === "ENODATA") return { ok: false, code: "no_data" };
    return { ok: false, code: "unanswered" };
  }
}

/** One domain's outcome: MX first; A and AAAA only when there is no usable MX. */
export async function checkMailDomain(resolver: DnsResolver, domain: string, timeoutMs: number = DEFAULT_DNS_TIMEOUT_MS): Promise<MailDomainOutcome> {
  const name = domain.trim().toLowerCase().replace(/\.$/, "");
  const mx = await ask(() => resolver.resolveMx(name), timeoutMs);
  if (mx.ok) {
    // RFC 7505: a single MX "." of preference 0 means the domain accepts no mail.
    const usable = mx.records.filter((record) => record.exchange !== "" && record.exchange !== ".");
    return usable.length > 0 ? "mail" : "no_mail_host";
  }
  if (mx.code === "not_found") return "not_found";
  if (mx.code === "unanswered") return "unanswered";
  const [a, aaaa] = await Promise.all([ask(() => resolver.resolve4(name), timeoutMs), ask(() => resolver.resolve6(name), timeoutMs)]);
  if (a.ok || aaaa.ok) return "mail";
  if (a.code === "unanswered" || aaaa.code === "unanswered") return "unanswered";
  if (a.code === "not_found" && aaaa.code === "not_found") return "not_found";
  return "no_mail_host";
}

/**
 * Checks many domains for one run: each domain is looked up once (the promise is cached, so
 * concurrent askers share it), at most `concurrency` lookups are in flight, each with a timeout.
 */
export class MailDomainChecker {
  private readonly cache = new Map<string, Promise<MailDomainOutcome>>();
  private readonly waiting: (() => void)[] = [];
  private inFlight = 0;
  /** Domains actually sent to the resolver (a cache hit does not count). */
  lookups = 0;
  /** The most lookups that were ever in flight at once. */
  peakInFlight = 0;

  constructor(
    private readonly resolver: DnsResolver,
    private readonly options: { timeoutMs?: number; concurrency?: number } = {},
  ) {}

  check(domain: string): Promise<MailDomainOutcome> {
    const key = domain.trim().toLowerCase().replace(/\.$/, "");
    let outcome = this.cache.get(key);
    if (!outcome) {
      outcome = this.limited(() => checkMailDomain(this.resolver, key, this.options.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS));
      this.cache.set(key, outcome);
    }
    return outcome;
  }

  /** Every distinct domain's outcome. */
  async checkAll(domains: Iterable<string>): Promise<Map<string, MailDomainOutcome>> {
    const distinct = [...new Set([...domains].map((domain) => domain.trim().toLowerCase().replace(/\.$/, "")))];
    const outcomes = await Promise.all(distinct.map((domain) => this.check(domain)));
    return new Map(distinct.map((domain, i) => [domain, outcomes[i]!]));
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    const limit = this.options.concurrency ?? DEFAULT_DNS_CONCURRENCY;
    // A finishing lookup hands its slot straight to the next waiter, so the limit holds exactly.
    if (this.inFlight >= limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight += 1;
    this.lookups += 1;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight -= 1;
    }
  }
}
