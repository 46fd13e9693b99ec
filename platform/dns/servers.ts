/** A DNS server list as configured (VALIDATION_DNS_SERVERS); no Node imports, so platform/env.ts may use it anywhere. */

/** "host", "host:port", "[v6]:port" or a bare IPv6 address; as Node's Resolver#setServers takes them. */
const SERVER = /^(?:\[[0-9a-fA-F:.]+\](?::\d{1,5})?|[0-9a-fA-F:]+:[0-9a-fA-F:.]*|[0-9.]+(?::\d{1,5})?)$/;

/** Parses a comma-separated server list ("127.0.0.1:5353, [::1]:53"); null when an entry is not an IP address (with optional port). */
export function parseDnsServers(value: string): string[] | null {
  const servers = value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (servers.length === 0 || !servers.every((server) => SERVER.test(server))) return null;
  return servers;
}
