/**
 * Caps how many event streams one person holds open on this instance: each is a socket and a
 * subscriber for as long as it lasts, so a script opening thousands must be refused, not served.
 * Counted per instance on purpose: the resource protected (sockets, memory) is the instance's own.
 */
export class StreamLimiter {
  private readonly open = new Map<string, number>();

  constructor(readonly maxPerKey: number) {}

  /** A release function when a slot was free (call it once when the stream ends), else null. */
  tryAcquire(key: string): (() => void) | null {
    const count = this.open.get(key) ?? 0;
    if (count >= this.maxPerKey) return null;
    this.open.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }

  countFor(key: string): number {
    return this.open.get(key) ?? 0;
  }
}
