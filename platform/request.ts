/**
 * The client address of a request. Behind a load balancer the first X-Forwarded-For entry is the
 * client; the app is expected to run behind a proxy that sets it (see README, "Several instances").
 */
export function clientIpFrom(header: (name: string) => string | null | undefined): string {
  const forwarded = header("x-forwarded-for")?.split(",")[0]?.trim();
  const real = header("x-real-ip")?.trim();
  return (forwarded || real || "unknown").slice(0, 64);
}
