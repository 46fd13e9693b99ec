import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";
import { derivedKey } from "@/platform/secret-keys";

/**
 * The device cookie: a random device id (128 bits from the CSPRNG) and its HMAC, so the browser
 * cannot make one up. The server keeps only `deviceIdHash(userId, id)`, a keyed hash bound to the
 * account, so the same browser can be known to two people of one household and a cookie copied
 * from someone else's browser proves nothing for this account.
 *
 * Not server-only: the e2e fixture registers its browsers with the same functions (given the
 * run's secret). Pure functions of (value, secret).
 */

/** About a year: a browser a person keeps using stays known; one not seen for a year asks again. */
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
const COOKIE_INFO = "veridesk/device-cookie/v1";
const HASH_INFO = "veridesk/device-id-hash/v1";
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const MAC_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** `__Host-` over HTTPS: only this host, Secure, path /, so no sub-domain or http page can plant one. */
export function deviceCookieName(secure: boolean): string {
  return secure ? "__Host-veridesk-device" : "veridesk-device";
}

export function newDeviceId(): string {
  return randomBytes(16).toString("base64url");
}

function cookieMac(deviceId: string, secret?: string): string {
  return createHmac("sha256", derivedKey(COOKIE_INFO, secret)).update(`v1|${deviceId}`).digest("base64url");
}

/** "<id>.<mac>": the cookie's value. */
export function signDeviceId(deviceId: string, secret?: string): string {
  return `${deviceId}.${cookieMac(deviceId, secret)}`;
}

/** The device id of a cookie value, or null when it is malformed or its signature is not ours. */
export function readDeviceCookie(value: string | null | undefined, secret?: string): string | null {
  if (typeof value !== "string" || value.length > 100) return null;
  const [deviceId = "", mac = "", extra] = value.split(".");
  if (extra !== undefined || !ID_PATTERN.test(deviceId) || !MAC_PATTERN.test(mac)) return null;
  const expected = Buffer.from(cookieMac(deviceId, secret));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : null;
}

/** What the database stores for (account, device): a keyed hash, so a dump gives no cookie. */
export function deviceIdHash(userId: string, deviceId: string, secret?: string): string {
  return createHmac("sha256", derivedKey(HASH_INFO, secret)).update(`v1|${userId}|${deviceId}`).digest("base64url");
}

/** The value of one cookie in a Cookie header, or null. */
export function cookieFromHeader(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, "iOS"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Linux/, "Linux"],
];

/** "Chrome on Windows", "Firefox on Android", "Unknown browser": what a person recognises, never the whole string. */
export function browserSummary(userAgent: string | null | undefined): string {
  const ua = userAgent ?? "";
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `A browser on ${system}` : "Unknown browser");
}

const PRIVATE = new BlockList();
for (const [address, prefix] of [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["100.64.0.0", 10],
] as const)
  PRIVATE.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of [
  ["fc00::", 7],
  ["fe80::", 10],
  ["::1", 128],
] as const)
  PRIVATE.addSubnet(address, prefix, "ipv6");

/**
 * Where a sign-in came from, honestly: the address itself, and "private network" for private,
 * loopback and carrier ranges. No geolocation: no third-party look-up, and no bundled database
 * that would be wrong without saying so.
 */
export function placeOfIp(ip: string | null | undefined): string {
  if (!ip) return "an unknown address";
  const family = isIP(ip);
  if (!family) return "an unknown address";
  return PRIVATE.check(ip, family === 4 ? "ipv4" : "ipv6") ? `${ip} (private network)` : ip;
}
