import { domainToUnicode } from "node:url";
import { isWellKnownProviderDomain } from "@/platform/email-address/typo-suggestions";

/**
 * Look-alike domains: whether a sender's or registrant's domain imitates a domain Veridesk knows
 * (a customer's or an organisation's), as phishing does. Pure and domain-knowledge-free: it takes
 * a domain and the known domains (features/identity/look-alike-senders.ts supplies them).
 *
 * Caught (each "technique"):
 *  - `edit`: one character changed, swapped, inserted or dropped in the name ("northwimd.example",
 *    "nortwhind.example", "northwinds.example"); two for names of 10 characters or more. Names
 *    shorter than 5 characters are not compared this way: every short name is one letter from
 *    dozens of real ones ("acme"/"acne", "ibm"/"ibn").
 *  - `homoglyph`: ASCII characters that read alike: rn/m, vv/w, 0/o, 1/l/i ("northwlnd.example",
 *    "rnicrosoft.example"), alone or with one more edit.
 *  - `confusable`: letters of another script or decorated ones that render like the Latin ones
 *    (Cyrillic "о", Greek "ο", fullwidth, accents), also when the domain comes as punycode
 *    ("xn--…": decoded with node's url.domainToUnicode; `punycode` is then true).
 *  - `tld`: the same name under another ending ("northwind.co" for "northwind.example"), or the
 *    whole known domain flattened into a name ("northwind-example.com", "northwind-example.support").
 *  - `embedded`: the known domain inside another one ("northwind.example.evil.test"), or its
 *    name as a hyphenated part of another ("northwind-support.com", "secure-northwind.example").
 *
 * Never a look-alike (false alarms cost the agents' trust):
 *  - the known domain itself, a subdomain of it ("mail.northwind.example"), or a domain with the
 *    same registrable part; and any domain that is itself known: two domains on records are both
 *    real (a customer's aliases "northwind.example" and "northwind.co.uk" do not flag each other);
 *  - large free-mail providers (gmail.com…, the list in typo-suggestions.ts), on either side: the
 *    caller leaves them out of the known domains, and a provider sender is never flagged;
 *  - distinct names that differ by more than the rules allow: "southwind.example" (2 edits in 9
 *    letters) for "northwind.example", "acne.com" for "acme.com" (too short to compare).
 * Decided on purpose: "examples.com" IS flagged for "example.com" (one letter added; "paypals"
 * is the classic trick) and so is "example.org" (another ending). A look-alike is a warning for
 * the agent, not a refusal of the mail.
 */

export type LookAlikeTechnique = "edit" | "homoglyph" | "confusable" | "tld" | "embedded";

export interface LookAlike {
  /** The domain examined, lower-case, decoded from punycode when it was. */
  domain: string;
  /** The known domain it imitates. */
  knownDomain: string;
  technique: LookAlikeTechnique;
  /** The domain came as punycode (an "xn--" label). */
  punycode: boolean;
}

/** Second-level public suffixes common enough to matter ("co.uk"); everything else ends at its last label. */
const TWO_LABEL_SUFFIXES: ReadonlySet<string> = new Set([
  "co.uk",
  "org.uk",
  "ac.uk",
  "gov.uk",
  "me.uk",
  "ltd.uk",
  "plc.uk",
  "com.au",
  "net.au",
  "org.au",
  "co.nz",
  "org.nz",
  "co.jp",
  "ne.jp",
  "or.jp",
  "co.in",
  "com.br",
  "co.za",
  "com.mx",
  "co.kr",
  "com.cn",
  "com.tr",
  "com.sg",
  "com.hk",
  "co.il",
  "com.ar",
]);

/** Letters of other scripts (and Latin variants) that render like a Latin letter, after NFKD. */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  а: "a",
  в: "b",
  е: "e",
  ё: "e",
  һ: "h",
  і: "i",
  ї: "i",
  ј: "j",
  к: "k",
  ӏ: "l",
  м: "m",
  н: "h",
  о: "o",
  р: "p",
  с: "c",
  ԛ: "q",
  ѕ: "s",
  т: "t",
  у: "y",
  ү: "y",
  х: "x",
  ԝ: "w",
  ԁ: "d",
  ь: "b",
  // Greek
  α: "a",
  β: "b",
  ε: "e",
  η: "n",
  ι: "i",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  ϲ: "c",
  ϳ: "j",
  // Latin look-alikes that NFKD leaves alone
  ı: "i",
  ɩ: "i",
  ł: "l",
  ɡ: "g",
  ø: "o",
  đ: "d",
  ħ: "h",
  ŀ: "l",
};

/** The domain as a person reads it: lower-case, without a trailing dot, punycode labels decoded. */
export function readableDomain(domain: string): { domain: string; punycode: boolean } {
  const plain = domain.trim().toLowerCase().replace(/\.+$/, "");
  const punycode = plain.split(".").some((label) => label.startsWith("xn--"));
  if (!punycode) return { domain: plain, punycode };
  const decoded = domainToUnicode(plain);
  // An undecodable "xn--" label: keep it as it came (it then imitates nothing by its letters).
  return { domain: decoded || plain, punycode: decoded !== "" };
}

/** Every letter mapped to the Latin letter it renders like (accents dropped, other scripts folded). */
function latinSkeleton(text: string): string {
  if (ASCII.test(text)) return text;
  let out = "";
  for (const char of text.normalize("NFKC").toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")) out += CONFUSABLES[char] ?? char;
  return out;
}

/** Latin letters and digits that read alike, folded to one form (rn→m, vv→w, 0→o, 1/i→l). */
function glyphSkeleton(text: string): string {
  return text.replace(/rn/g, "m").replace(/vv/g, "w").replace(/0/g, "o").replace(/[1i|]/g, "l");
}

interface Parts {
  /** Every label before the public suffix ("mail.northwind"). */
  name: string;
  /** The last label before the suffix ("northwind"). */
  core: string;
  suffix: string;
  /** core + "." + suffix: the part a company registers. */
  registrable: string;
}

function parts(domain: string): Parts {
  const labels = domain.split(".");
  const suffixLabels = labels.length > 2 && TWO_LABEL_SUFFIXES.has(labels.slice(-2).join(".")) ? 2 : 1;
  const suffix = labels.slice(-suffixLabels).join(".");
  const nameLabels = labels.slice(0, -suffixLabels);
  const core = nameLabels.at(-1) ?? "";
  return { name: nameLabels.join("."), core, suffix, registrable: core ? `${core}.${suffix}` : suffix };
}

const ASCII = /^[\x00-\x7f]*$/;

const flat = (text: string) => text.replace(/[.-]/g, "");

/** Edits allowed between two names, by the known name's length. */
function allowedEdits(knownCore: string): number {
  if (knownCore.length < 5) return 0;
  return knownCore.length >= 10 ? 2 : 1;
}

/** Three reusable rows for boundedEditDistance (grown on demand): a lookup compares thousands of names. */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Edit distance (a swap of neighbours counts as one) if it is at most `max`, else max + 1.
 * Only the diagonal band of width 2·max+1 is computed, in preallocated rows, and it stops as soon
 * as a whole row is past the bound: a lookup runs it against every known name of a similar length.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  const out = max + 1;
  if (Math.abs(a.length - b.length) > max) return out;
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  if (rows[0].length < m + 2) rows = [new Int32Array(m + 2), new Int32Array(m + 2), new Int32Array(m + 2)];
  let [before, previous, current] = rows;
  for (let j = 0; j <= m; j++) previous[j] = j <= max ? j : out;
  if (m + 1 < previous.length) previous[m + 1] = out;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(m, i + max);
    current[0] = i <= max ? i : out;
    current[lo - 1] = lo === 1 ? current[0]! : out;
    let rowMin = lo === 1 ? current[0]! : out;
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) best = Math.min(best, before[j - 2]! + 1);
      if (best > out) best = out;
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    // The next row reads one cell past this band: it must read "too far", not a stale value.
    if (hi + 1 <= m) current[hi + 1] = out;
    if (rowMin > max) return out;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[m]!, out);
}

interface KnownEntry {
  domain: string;
  parts: Parts;
  /** glyphSkeleton(latinSkeleton(registrable)) */
  skeleton: string;
}

/** The known domains prepared for lookups: build it once (per refresh), query it per message. */
export interface LookAlikeIndex {
  readonly size: number;
  readonly known: ReadonlySet<string>;
  readonly registrables: ReadonlySet<string>;
  readonly bySkeleton: ReadonlyMap<string, KnownEntry[]>;
  readonly byName: ReadonlyMap<string, KnownEntry[]>;
  readonly byFlat: ReadonlyMap<string, KnownEntry[]>;
  readonly bySkeletonLength: ReadonlyMap<number, KnownEntry[]>;
  /** Answers already worked out against this index (the same senders come back page after page). */
  readonly answers: Map<string, Readonly<LookAlike> | null>;
}

/** Answers kept per index before the memo starts again (bounded: senders are attacker-chosen). */
export const LOOK_ALIKE_MEMO_SIZE = 10_000;

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Known domains (lower-case, no "@"); provider domains and unusable values are left out. */
export function buildLookAlikeIndex(domains: Iterable<string>): LookAlikeIndex {
  const known = new Set<string>();
  const registrables = new Set<string>();
  const bySkeleton = new Map<string, KnownEntry[]>();
  const byName = new Map<string, KnownEntry[]>();
  const byFlat = new Map<string, KnownEntry[]>();
  const bySkeletonLength = new Map<number, KnownEntry[]>();
  for (const raw of domains) {
    const { domain } = readableDomain(raw);
    if (!domain.includes(".") || known.has(domain) || isWellKnownProviderDomain(domain)) continue;
    known.add(domain);
    const domainParts = parts(domain);
    if (!domainParts.core) continue;
    registrables.add(domainParts.registrable);
    const entry: KnownEntry = { domain, parts: domainParts, skeleton: glyphSkeleton(latinSkeleton(domainParts.registrable)) };
    push(bySkeleton, entry.skeleton, entry);
    push(byName, domainParts.core, entry);
    push(byFlat, flat(domainParts.registrable), entry);
    push(bySkeletonLength, entry.skeleton.length, entry);
  }
  return { size: known.size, known, registrables, bySkeleton, byName, byFlat, bySkeletonLength, answers: new Map() };
}

/** The known domain `domain` is, or is a subdomain of, or shares a registrable part with. */
function isKnownOrOwn(domain: string, domainParts: Parts, index: LookAlikeIndex): boolean {
  if (index.registrables.has(domainParts.registrable)) return true;
  const labels = domain.split(".");
  for (let start = 0; start < labels.length - 1; start++) if (index.known.has(labels.slice(start).join("."))) return true;
  return false;
}

/**
 * The known domain that `domain` imitates, and how; null when it imitates none (or is known, a
 * provider, or not a domain). The most telling technique wins when several apply.
 */
export function findLookAlike(rawDomain: string, index: LookAlikeIndex): Readonly<LookAlike> | null {
  const remembered = index.answers.get(rawDomain);
  if (remembered !== undefined) return remembered;
  const answer = lookAlikeAgainst(rawDomain, index);
  if (index.answers.size >= LOOK_ALIKE_MEMO_SIZE) index.answers.clear();
  index.answers.set(rawDomain, answer ? Object.freeze(answer) : null);
  return answer;
}

function lookAlikeAgainst(rawDomain: string, index: LookAlikeIndex): LookAlike | null {
  const { domain, punycode } = readableDomain(rawDomain);
  if (!domain.includes(".") || index.size === 0 || isWellKnownProviderDomain(domain)) return null;
  const own = parts(domain);
  if (!own.core || isKnownOrOwn(domain, own, index)) return null;
  const found = (knownDomain: string, technique: LookAlikeTechnique): LookAlike => ({ domain, knownDomain, technique, punycode });
  const latin = latinSkeleton(own.registrable);
  const skeleton = glyphSkeleton(latin);
  const foreign = punycode || !ASCII.test(own.registrable);

  // Letters that read the same: another script (confusable) or ASCII glyphs (homoglyph).
  const sameLook = index.bySkeleton.get(skeleton)?.[0];
  if (sameLook) return found(sameLook.domain, foreign ? "confusable" : "homoglyph");

  // The same name under another ending, or the whole known domain flattened into a name.
  const sameName = index.byName.get(own.core)?.find((entry) => entry.parts.suffix !== own.suffix);
  if (sameName) return found(sameName.domain, "tld");
  const flattened = index.byFlat.get(flat(own.name))?.[0];
  if (flattened) return found(flattened.domain, "tld");

  // A known domain inside this one: as labels (northwind.example.evil.test) or as a part of a name.
  const labels = domain.split(".");
  for (let start = 0; start < labels.length - 1; start++) {
    for (let end = start + 2; end < labels.length; end++) {
      const inside = labels.slice(start, end).join(".");
      if (index.known.has(inside)) return found(inside, "embedded");
    }
  }
  for (const token of own.name.split(/[.-]/)) {
    if (token.length < 4 || token === own.core) continue;
    const entry = index.byName.get(token)?.[0];
    if (entry) return found(entry.domain, "embedded");
  }

  // One or two characters off, as typed or once look-alike letters are folded.
  let best: { entry: KnownEntry; distance: number; technique: LookAlikeTechnique } | null = null;
  for (let length = skeleton.length - 2; length <= skeleton.length + 2; length++) {
    for (const entry of index.bySkeletonLength.get(length) ?? []) {
      const max = allowedEdits(entry.parts.core);
      if (max === 0) continue;
      const raw = boundedEditDistance(own.registrable, entry.parts.registrable, max);
      const folded = raw <= max ? raw : boundedEditDistance(skeleton, entry.skeleton, max);
      if (folded > max) continue;
      const technique: LookAlikeTechnique = raw <= max ? "edit" : foreign ? "confusable" : "homoglyph";
      const distance = Math.min(raw, folded);
      if (!best || distance < best.distance) best = { entry, distance, technique };
    }
  }
  return best ? found(best.entry.domain, best.technique) : null;
}

/** findLookAlike over a plain list (tests, one-off checks). */
export function lookAlikeOf(domain: string, knownDomains: Iterable<string>): LookAlike | null {
  return findLookAlike(domain, buildLookAlikeIndex(knownDomains));
}

/** How the domain imitates the known one, in the agent's words. */
export function describeLookAlike(lookAlike: LookAlike): string {
  const known = lookAlike.knownDomain;
  const how = {
    edit: `one or two letters differ from ${known}`,
    homoglyph: `characters that read alike (rn/m, vv/w, 0/o, 1/l/i) imitate ${known}`,
    confusable: `letters of another alphabet imitate ${known}`,
    tld: `the name of ${known} under another ending`,
    embedded: `${known} hidden inside another domain`,
  }[lookAlike.technique];
  return lookAlike.punycode ? `${how} (the domain came as punycode)` : how;
}

// ───────────────────────────── Display names ─────────────────────────────

const ADDRESS_IN_TEXT = /[^\s<>()[\]"',;:@]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

/**
 * An email address written in a display name ("ceo@northwind.example" <x@evil.test>) that is not
 * the address the mail really came from: mail programs show the name, so people read the fake one.
 * Returns the first such address, lower-cased, or null.
 */
export function addressInDisplayName(displayName: string | null | undefined, actualAddress: string | null | undefined): string | null {
  if (!displayName) return null;
  const actual = (actualAddress ?? "").trim().toLowerCase();
  for (const match of displayName.slice(0, 500).matchAll(ADDRESS_IN_TEXT)) {
    const address = match[0].toLowerCase().replace(/\.+$/, "");
    if (address !== actual) return address;
  }
  return null;
}
