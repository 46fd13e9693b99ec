import "server-only";
import pg from "pg";

/**
 * One PostgreSQL LISTEN connection for one channel, shared by every subscriber in this process
 * (each server-sent event stream is a subscriber; the database sees one connection per instance,
 * whatever the number of open pages). NOTIFY is sent by the writer's transaction on commit, to the
 * listeners of every instance, which is what makes live pages work behind a load balancer.
 *
 * The connection opens with the first subscriber and stays open. When it drops (database restart,
 * network), it is reopened with exponential backoff, and every subscriber is told to resync: a
 * notification sent while nobody listened is lost, so they re-read what they show.
 */

export type ChannelSubscriber = {
  onMessage: (payload: string) => void;
  /** Notifications may have been missed (the connection was re-established). */
  onResync: () => void;
};

export type ChannelListenerOptions = {
  connectionString: string;
  channel: string;
  /** First reconnect delay; doubles per failure up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  log?: Pick<Console, "warn">;
};

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class PgChannelListener {
  private readonly subscribers = new Set<ChannelSubscriber>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  private everConnected = false;
  private readonly options: Required<ChannelListenerOptions>;

  constructor(options: ChannelListenerOptions) {
    if (!CHANNEL_NAME.test(options.channel)) throw new Error(`Not a safe channel name: ${options.channel}`);
    this.options = { initialBackoffMs: 500, maxBackoffMs: 30_000, log: console, ...options };
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** True while the LISTEN connection is up. */
  get listening(): boolean {
    return this.client !== null;
  }

  /** Adds a subscriber; resolves once the channel is being listened to (or the first attempt failed and a retry is scheduled). */
  async subscribe(subscriber: ChannelSubscriber): Promise<() => void> {
    if (this.closed) throw new Error("This listener is closed.");
    this.subscribers.add(subscriber);
    await this.ensureConnected();
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  private ensureConnected(): Promise<void> {
    if (this.client || this.retryTimer || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: "veridesk-realtime", keepAlive: true });
    // Keeps a silently dead TCP connection (a dropped NAT entry) from looking alive for hours.
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("connection ended")));
    client.on("notification", (message) => {
      if (message.channel !== this.options.channel || message.payload === undefined) return;
      for (const subscriber of this.subscribers) {
        try {
          subscriber.onMessage(message.payload);
        } catch (error) {
          this.options.log.warn(`[realtime] a subscriber failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.options.channel}`);
    } catch (error) {
      client.removeAllListeners("end");
      client.end().catch(() => {});
      this.scheduleRetry(error);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.failures = 0;
    if (this.everConnected) this.resyncAll();
    this.everConnected = true;
  }

  private lost(client: pg.Client, error: unknown) {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners("end");
    client.end().catch(() => {});
    if (!this.closed) this.scheduleRetry(error);
  }

  private scheduleRetry(error: unknown) {
    if (this.closed || this.retryTimer) return;
    this.failures += 1;
    const delay = Math.min(this.options.maxBackoffMs, this.options.initialBackoffMs * 2 ** (this.failures - 1));
    this.options.log.warn(
      `[realtime] LISTEN ${this.options.channel} unavailable (${error instanceof Error ? error.message : String(error)}); retrying in ${delay} ms`,
    );
    // Whatever was sent while the connection was down is lost: pages re-read now and again on reconnect.
    this.everConnected = true;
    this.resyncAll();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.ensureConnected();
    }, delay);
    this.retryTimer.unref();
  }

  private resyncAll() {
    for (const subscriber of this.subscribers) {
      try {
        subscriber.onResync();
      } catch {
        // One broken stream must not keep the others from resyncing.
      }
    }
  }

  /** The backend process id of the LISTEN connection (tests use it to cut the connection). */
  async backendPid(): Promise<number | null> {
    if (!this.client) return null;
    const result = await this.client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    return result.rows[0]?.pid ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    await this.connecting;
    const client = this.client;
    this.client = null;
    this.subscribers.clear();
    if (client) {
      client.removeAllListeners("end");
      await client.end().catch(() => {});
    }
  }
}
