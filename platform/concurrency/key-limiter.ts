/**
 * Caps how many of one kind of long-lived thing (an event stream, an upload being received) one key
 * (usually a person) holds at once on this instance. Counted per instance on purpose: what it
 * protects (sockets, memory) is the instance's own.
 */
export class KeyedLimiter {
  private readonly open = new Map<string, number>();

  constructor(readonly maxPerKey: number) {}

  /** A release function when a slot was free (call it once when the thing ends), else null. */
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
