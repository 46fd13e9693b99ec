/**
 * "Did you mean …@gmail.com?": a one-click fix for a mistyped but valid-looking domain of a
 * large email provider (gmial.com, hotmial.com, yaho.com, outlok.com, gmail.con…). Browser-safe
 * and pure: the registration form calls it as the person types.
 *
 * Only domains close to a well-known provider's are questioned: a company's own domain, however
 * unusual, never gets a suggestion, and neither does a real provider domain (yahoo.de, gmx.net).
 * A suggestion is only a suggestion: the address as typed is still accepted.
 */

/** Real domains of large providers, by provider name (the first label). */
const PROVIDER_DOMAINS: Record<string, readonly string[]> = {
  gmail: ["gmail.com"],
  googlemail: ["googlemail.com"],
  yahoo: ["yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.es", "yahoo.it", "yahoo.ca", "yahoo.com.au", "yahoo.co.in", "yahoo.co.jp", "yahoo.com.br"],
  ymail: ["ymail.com"],
  hotmail: ["hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de", "hotmail.it", "hotmail.es"],
  outlook: ["outlook.com", "outlook.fr", "outlook.de", "outlook.es", "outlook.it"],
  live: ["live.com", "live.co.uk", "live.fr", "live.de", "live.nl", "live.com.au"],
  msn: ["msn.com"],
  icloud: ["icloud.com"],
  me: ["me.com"],
  mac: ["mac.com"],
  aol: ["aol.com"],
  protonmail: ["protonmail.com", "protonmail.ch"],
  proton: ["proton.me"],
  gmx: ["gmx.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch"],
  web: ["web.de"],
  mail: ["mail.com"],
  email: ["email.com"],
  zoho: ["zoho.com"],
  yandex: ["yandex.com", "yandex.ru"],
  comcast: ["comcast.net"],
  verizon: ["verizon.net"],
  att: ["att.net"],
  btinternet: ["btinternet.com"],
  bigpond: ["bigpond.com"],
  optusnet: ["optusnet.com.au"],
  orange: ["orange.fr"],
  free: ["free.fr"],
  libero: ["libero.it"],
  "t-online": ["t-online.de"],
  fastmail: ["fastmail.com"],
};

const ALL_PROVIDER_DOMAINS: readonly string[] = Object.values(PROVIDER_DOMAINS).flat();
const PROVIDER_DOMAIN_SET: ReadonlySet<string> = new Set(ALL_PROVIDER_DOMAINS);

/** Free-mail domains: an address there says nothing about which company someone works for. */
export function isWellKnownProviderDomain(domain: string): boolean {
  return PROVIDER_DOMAIN_SET.has(domain.trim().toLowerCase());
}

/** Typos too far from the right spelling for the distance rule, or too common to leave to it. */
const KNOWN_TYPOS: Record<string, string> = {
  "gmial.com": "gmail.com",
  "gamil.com": "gmail.com",
  "gmaill.com": "gmail.com",
  "gnail.com": "gmail.com",
  "gmail.cm": "gmail.com",
  "gmal.com": "gmail.com",
  "hotmial.com": "hotmail.com",
  "hotmal.com": "hotmail.com",
  "hotmil.com": "hotmail.com",
  "homail.com": "hotmail.com",
  "hotamil.com": "hotmail.com",
  "yaho.com": "yahoo.com",
  "yahooo.com": "yahoo.com",
  "yhoo.com": "yahoo.com",
  "outlok.com": "outlook.com",
  "outloook.com": "outlook.com",
  "otlook.com": "outlook.com",
  "iclod.com": "icloud.com",
  "icoud.com": "icloud.com",
};

/** Providers close to another real domain ("ymail" is one letter from "email"): never guessed at. */
const NOT_GUESSED: ReadonlySet<string> = new Set(["ymail", "email", "orange", "proton"]);

/** Misspelt top-level parts, as in "gmail.con". */
const TLD_TYPOS: Record<string, string> = {
  con: "com",
  cmo: "com",
  ocm: "com",
  comm: "com",
  cpm: "com",
  vom: "com",
  xom: "com",
  co: "com",
  cm: "com",
  om: "com",
  nte: "net",
  ner: "net",
};

/** Edit distance counting a swap of two neighbouring letters as one edit ("gmial" → "gmail" = 1). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The provider domain the typed one is probably a misspelling of, or null. */
export function suggestDomain(typedDomain: string): string | null {
  const domain = typedDomain.trim().toLowerCase().replace(/\.+$/, "");
  if (domain === "" || PROVIDER_DOMAIN_SET.has(domain)) return null;
  const known = KNOWN_TYPOS[domain];
  if (known) return known;

  const dot = domain.indexOf(".");
  if (dot <= 0) return null;
  const label = domain.slice(0, dot);
  const tld = domain.slice(dot + 1);

  // The provider's name is right but the ending is not: "gmail.con", "hotmail.co".
  const sameProvider = PROVIDER_DOMAINS[label];
  if (sameProvider) {
    const fixedTld = TLD_TYPOS[tld];
    if (fixedTld && sameProvider.includes(`${label}.${fixedTld}`)) return `${label}.${fixedTld}`;
    // Any other ending (yahoo.nl, gmx.org…) may be real: no suggestion.
    return null;
  }

  // The name is misspelt: the closest provider domain, if it is close enough to be a slip of the finger.
  let best: { domain: string; distance: number } | null = null;
  for (const candidate of ALL_PROVIDER_DOMAINS) {
    const candidateDot = candidate.indexOf(".");
    // Only compare like with like: a misspelt name with the provider's own ending (or a misspelt one).
    const candidateTld = candidate.slice(candidateDot + 1);
    if (tld !== candidateTld && TLD_TYPOS[tld] !== candidateTld) continue;
    const candidateLabel = candidate.slice(0, candidateDot);
    // Short names ("me", "mail", "live") are one letter away from too many real domains to guess at.
    if (candidateLabel.length < 5 || NOT_GUESSED.has(candidateLabel)) continue;
    const distance = editDistance(label, candidateLabel);
    const allowed = candidateLabel.length >= 9 ? 2 : 1;
    if (distance > 0 && distance <= allowed && (!best || distance < best.distance)) best = { domain: candidate, distance };
  }
  return best?.domain ?? null;
}

/** The whole address with the suggested domain ("jane@gmial.com" → "jane@gmail.com"), or null. */
export function suggestEmail(address: string): string | null {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1) return null;
  const domain = suggestDomain(trimmed.slice(at + 1));
  return domain ? `${trimmed.slice(0, at)}@${domain}` : null;
}
