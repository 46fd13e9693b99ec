import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LoopbackDnsServer, startLoopbackDnsServer } from "./loopback-dns-server";
import { checkMailDomain, createNodeResolver, MailDomainChecker, parseDnsServers } from "./mail-domains";

/** Tests against a real DNS server on loopback (UDP), through Node's own resolver. */
let server: LoopbackDnsServer;

beforeAll(async () => {
  server = await startLoopbackDnsServer((name) => {
    switch (name) {
      case "mail.test":
        return { mx: [{ exchange: "mx1.mail.test", priority: 10 }] };
      case "implicit.test":
        return { a: ["192.0.2.7"] };
      case "v6only.test":
        return { aaaa: ["2001:db8::25"] };
      case "nomail.test":
        return {};
      case "nullmx.test":
        return { mx: [{ exchange: "", priority: 0 }], a: ["192.0.2.8"] };
      case "broken.test":
        return { servfail: true };
      case "slow.test":
        return { mx: [{ exchange: "mx.slow.test", priority: 10 }], delayMs: 2_000 };
      default:
        if (name.startsWith("busy")) return { mx: [{ exchange: `mx.${name}`, priority: 10 }], delayMs: 50 };
        return undefined;
    }
  });
});
afterAll(async () => {
  await server.close();
});

const resolver = () => createNodeResolver({ servers: [server.address], timeoutMs: 300 });

describe("checkMailDomain against a loopback DNS server", () => {
  it("accepts a domain with an MX", async () => {
    expect(await checkMailDomain(resolver(), "mail.test", 300)).toBe("mail");
  });

  it("falls back to A, then AAAA, when there is no MX (the implicit MX)", async () => {
    expect(await checkMailDomain(resolver(), "implicit.test", 300)).toBe("mail");
    expect(await checkMailDomain(resolver(), "v6only.test", 300)).toBe("mail");
  });

  it("says not_found on NXDOMAIN", async () => {
    expect(await checkMailDomain(resolver(), "nowhere.test", 300)).toBe("not_found");
  });

  it("says no_mail_host for a name with no MX, A or AAAA, and for a null MX", async () => {
    expect(await checkMailDomain(resolver(), "nomail.test", 300)).toBe("no_mail_host");
    expect(await checkMailDomain(resolver(), "nullmx.test", 300)).toBe("no_mail_host");
  });

  it("says unanswered (never not_found) on SERVFAIL and on a timeout", async () => {
    expect(await checkMailDomain(resolver(), "broken.test", 300)).toBe("unanswered");
    const started = Date.now();
    expect(await checkMailDomain(resolver(), "slow.test", 300)).toBe("unanswered");
    // The 2 s answer was not waited for.
    expect(Date.now() - started).toBeLessThan(1_900);
  });
});

describe("MailDomainChecker", () => {
  it("looks each domain up once however many addresses share it, and caps lookups in flight", async () => {
    const checker = new MailDomainChecker(resolver(), { timeoutMs: 1_000, concurrency: 4 });
    const before = server.queries.length;
    const domains = Array.from({ length: 12 }, (_, i) => `busy${i}.test`);
    const outcomes = await checker.checkAll([...domains, ...domains, ...domains.map((domain) => domain.toUpperCase())]);
    expect(outcomes.size).toBe(12);
    expect([...outcomes.values()].every((outcome) => outcome === "mail")).toBe(true);
    expect(await checker.check("busy3.test")).toBe("mail");
    expect(checker.lookups).toBe(12);
    expect(checker.peakInFlight).toBe(4);
    const asked = server.queries.slice(before);
    expect(asked.filter((question) => question.startsWith("MX "))).toHaveLength(12);
    expect(new Set(asked).size).toBe(asked.length);
  });
});

describe("parseDnsServers", () => {
  it("takes IP addresses with optional ports, and refuses host names or junk", () => {
    expect(parseDnsServers("127.0.0.1:5353, [::1]:53,1.1.1.1")).toEqual(["127.0.0.1:5353", "[::1]:53", "1.1.1.1"]);
    expect(parseDnsServers("dns.example.com")).toBeNull();
    expect(parseDnsServers(" , ")).toBeNull();
  });
});
