import "server-only";
/**
 * The sender-authentication verdicts (SPF, DKIM, DMARC) a receiving mail server recorded in the
 * headers it added: Authentication-Results (RFC 8601) and, for SPF, Received-SPF (RFC 7208 §9.1).
 *
 * Tolerant by design: real headers come with comments holding ";" and "=", quoted strings,
 * folded lines, upper case, no authserv-id (Microsoft), several signatures per method, trailing
 * semicolons and vendor methods ("compauth", "arc", "dkim-atps"). Anything unreadable becomes
 * "unknown" or "none", never an exception.
 *
 * Trust: mail servers prepend these headers, so the topmost one was written by the server that
 * handed the email to us; ones further down may have been written by the sender and are ignored.
 * This relies on the receiving server (Resend, or the mail gateway in front of /api/inbound)
 * adding its own Authentication-Results and removing any that claim its name, as RFC 8601 §5
 * requires.
 */
import { truncateText } from "@/platform/text/schemas";

export type AuthVerdict = "pass" | "fail" | "softfail" | "neutral" | "none" | "temperror" | "permerror" | "policy" | "unknown";

/** What InboundEmail.authResults holds. */
export interface SenderAuthentication {
  spf: AuthVerdict;
  dkim: AuthVerdict;
  dmarc: AuthVerdict;
  /** Domain SPF was checked for (smtp.mailfrom / envelope-from, else smtp.helo), when given. */
  spfDomain: string | null;
  /** Domains (header.d, or header.i's domain) of the DKIM signatures that passed. */
  dkimPassDomains: string[];
  /** The From domain DMARC was evaluated for (header.from), when given. */
  dmarcDomain: string | null;
  /** The server that wrote the results ("mx.google.com"), when it said. */
  authservId: string | null;
  source: "authentication-results" | "received-spf" | "none";
}

export interface MethodResult {
  method: string;
  result: AuthVerdict;
  /** Lower-cased property names ("header.d", "smtp.mailfrom", "action"…) and their values. */
  properties: Record<string, string>;
}

export interface ParsedAuthenticationResults {
  authservId: string | null;
  results: MethodResult[];
}

/** Header name and value pairs in the order they appear in the email (topmost first). */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

const VERDICTS: Record<string, AuthVerdict> = {
  pass: "pass",
  fail: "fail",
  hardfail: "fail",
  softfail: "softfail",
  neutral: "neutral",
  none: "none",
  temperror: "temperror",
  permerror: "permerror",
  policy: "policy",
  // Older spellings (RFC 5451) and Microsoft's "no DMARC record, but it would have passed".
  "temp-error": "temperror",
  "perm-error": "permerror",
  bestguesspass: "none",
};

export function verdictOf(word: string | undefined): AuthVerdict {
  return (word && VERDICTS[word.trim().toLowerCase()]) || "unknown";
}

/** Removes RFC 5322 comments "( … )" (nested, with quoted pairs), leaving quoted strings alone. */
function stripComments(value: string): string {
  let out = "";
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" && (quoted || depth > 0)) {
      if (depth === 0) out += c + (value[i + 1] ?? "");
      i++;
      continue;
    }
    if (depth === 0 && c === '"') quoted = !quoted;
    if (!quoted && c === "(") {
      depth++;
      continue;
    }
    if (!quoted && c === ")" && depth > 0) {
      depth--;
      if (depth === 0) out += " ";
      continue;
    }
    if (depth === 0) out += c;
  }
  return out;
}

function splitOutsideQuotes(value: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === "\\" && quoted) {
      current += c + (value[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      parts.push(current);
      current = "";
      continue;
    }
    current += c;
  }
  parts.push(current);
  return parts;
}

/** "key=value" tokens of a segment; values may be quoted; tolerant of spaces around "=". */
function tokensOf(segment: string): Array<{ key: string; value: string } | { word: string }> {
  const compact = segment.replace(/\s*=\s*/g, "=");
  return splitOutsideQuotes(compact.trim(), " ")
    .map((token) => token.trim())
    .filter(Boolean)
    .map((token) => {
      const equals = token.indexOf("=");
      if (equals <= 0) return { word: token };
      const raw = token.slice(equals + 1);
      const value = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw;
      return { key: token.slice(0, equals).toLowerCase(), value };
    });
}

/** Real values stay far below this; the cap keeps a hostile header cheap to read. */
const MAX_VALUE_LENGTH = 16_384;
const capped = (value: string) => truncateText(value, MAX_VALUE_LENGTH, "");

const METHOD_TOKEN = /^[a-z][a-z0-9_-]*(\/\d+)?$/i;

/** Parses one Authentication-Results value. */
export function parseAuthenticationResults(value: string): ParsedAuthenticationResults {
  const segments = splitOutsideQuotes(stripComments(capped(value).replace(/\r?\n[ \t]*/g, " ")), ";");
  let authservId: string | null = null;
  const results: MethodResult[] = [];
  segments.forEach((segment, index) => {
    const tokens = tokensOf(segment);
    const first = tokens[0];
    if (!first) return;
    if (index === 0 && "word" in first) {
      // "mx.google.com" or "mx.example.com 1" (with a version); Microsoft leaves it out.
      authservId = first.word.toLowerCase();
      return;
    }
    if (!("key" in first) || !METHOD_TOKEN.test(first.key)) return;
    const properties: Record<string, string> = {};
    for (const token of tokens.slice(1)) if ("key" in token && !(token.key in properties)) properties[token.key] = token.value;
    results.push({ method: first.key.replace(/\/\d+$/, ""), result: verdictOf(first.value), properties });
  });
  return { authservId, results };
}

/** The verdict of a Received-SPF value ("SoftFail (…) client-ip=…; envelope-from=…"), with the domain it names. */
export function parseReceivedSpf(value: string): { result: AuthVerdict; domain: string | null } {
  const cleaned = stripComments(capped(value).replace(/\r?\n[ \t]*/g, " ")).trim();
  const result = verdictOf(cleaned.split(/[\s;]+/)[0]);
  let domain: string | null = null;
  for (const segment of splitOutsideQuotes(cleaned, ";")) {
    for (const token of tokensOf(segment)) {
      if ("key" in token && (token.key === "envelope-from" || token.key === "helo") && !domain) domain = domainOf(token.value);
    }
  }
  return { result, domain };
}

/** The domain of "user@example.com", "@example.com", "<user@example.com>" or "example.com"; null for "none". */
export function domainOf(value: string | undefined | null): string | null {
  if (!value) return null;
  const cleaned = value.trim().replace(/^<|>$/g, "").toLowerCase();
  const domain = cleaned.includes("@") ? cleaned.slice(cleaned.lastIndexOf("@") + 1) : cleaned;
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+\.?$/.test(domain) ? domain.replace(/\.$/, "") : null;
}

// A method with several results (two DKIM signatures) counts as its best one.
const STRENGTH: AuthVerdict[] = ["pass", "fail", "softfail", "policy", "neutral", "temperror", "permerror", "unknown", "none"];
function best(results: MethodResult[]): AuthVerdict {
  if (results.length === 0) return "none";
  return results.map((entry) => entry.result).sort((a, b) => STRENGTH.indexOf(a) - STRENGTH.indexOf(b))[0]!;
}

const NONE: SenderAuthentication = {
  spf: "none",
  dkim: "none",
  dmarc: "none",
  spfDomain: null,
  dkimPassDomains: [],
  dmarcDomain: null,
  authservId: null,
  source: "none",
};

const AUTH_METHODS = new Set(["spf", "dkim", "dmarc"]);

/**
 * The sender's authentication from an email's headers (topmost first): the topmost
 * Authentication-Results that reports SPF, DKIM or DMARC, with Received-SPF filling in a missing
 * SPF verdict. Missing everything → all "none".
 */
export function senderAuthenticationFrom(headers: HeaderList): SenderAuthentication {
  const named = (name: string) => headers.filter(([key]) => key.trim().toLowerCase() === name).map(([, value]) => value);
  const parsed = named("authentication-results")
    .map(parseAuthenticationResults)
    .find((entry) => entry.results.some((result) => AUTH_METHODS.has(result.method)));

  const outcome: SenderAuthentication = { ...NONE, dkimPassDomains: [] };
  if (parsed) {
    const of = (method: string) => parsed.results.filter((result) => result.method === method);
    const spf = of("spf");
    const dkim = of("dkim");
    const dmarc = of("dmarc");
    outcome.source = "authentication-results";
    outcome.authservId = parsed.authservId;
    outcome.spf = best(spf);
    outcome.spfDomain = domainOf(spf[0]?.properties["smtp.mailfrom"]) ?? domainOf(spf[0]?.properties["smtp.helo"]);
    outcome.dkim = best(dkim);
    outcome.dkimPassDomains = [
      ...new Set(
        dkim
          .filter((result) => result.result === "pass")
          .map((result) => domainOf(result.properties["header.d"]) ?? domainOf(result.properties["header.i"]))
          .filter((domain): domain is string => domain !== null),
      ),
    ];
    outcome.dmarc = best(dmarc);
    outcome.dmarcDomain = domainOf(dmarc[0]?.properties["header.from"]);
  }
  if (outcome.spf === "none" && !(parsed?.results.some((result) => result.method === "spf") ?? false)) {
    const receivedSpf = named("received-spf")[0];
    if (receivedSpf !== undefined) {
      const spf = parseReceivedSpf(receivedSpf);
      outcome.spf = spf.result;
      outcome.spfDomain = spf.domain;
      if (outcome.source === "none") outcome.source = "received-spf";
    }
  }
  return outcome;
}

/** Same domain, or one a subdomain of the other ("mail.example.com" and "example.com"): relaxed alignment. */
export function domainsAlign(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/** The results as a short line for people: "SPF pass, DKIM none, DMARC fail". */
export function describeAuthentication(auth: Pick<SenderAuthentication, "spf" | "dkim" | "dmarc">): string {
  return `SPF ${auth.spf}, DKIM ${auth.dkim}, DMARC ${auth.dmarc}`;
}
