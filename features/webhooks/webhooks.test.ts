import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/platform/db/client";
import { isPrivateAddress, safePost, UnsafeTargetError } from "@/platform/http/safe-post";
import { deliverDueMessages } from "@/platform/outbox/outbox";
import { ALLOW_PRIVATE_TARGETS_KEY, createWebhookTransport, DISABLE_AFTER_FAILING_MS } from "./delivery";
import { createWebhookEndpoint, resendWebhook, rotateWebhookSecret } from "./endpoints";
import { emitWebhookEvent } from "./events";

/** A loopback receiver that verifies every delivery with the standardwebhooks library, as a customer's code would. */
type Received = { headers: IncomingHttpHeaders; body: string; verifiedWith: string[] };
let server: Server;
let receiverUrl: string;
let answerStatus = 200;
const received: Received[] = [];
const secretsToTry: string[] = [];

const admin = { userId: randomUUID(), role: "admin" as const };

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const verifiedWith = secretsToTry.filter((secret) => {
        try {
          new Webhook(secret).verify(body, request.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      });
      received.push({ headers: request.headers, body, verifiedWith });
      response.writeHead(answerStatus, { "Content-Type": "text/plain" }).end(`answered ${answerStatus}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(async () => {
  received.length = 0;
  secretsToTry.length = 0;
  answerStatus = 200;
  await db.appSetting.upsert({ where: { key: ALLOW_PRIVATE_TARGETS_KEY }, create: { key: ALLOW_PRIVATE_TARGETS_KEY, value: true }, update: { value: true } });
  // Each test owns its endpoints: earlier ones are gone.
  await db.webhookEndpoint.deleteMany({});
});

async function deliverEndpointMessages(endpointId: string, now: Date = new Date()) {
  const due = await db.outboxMessage.findMany({ where: { channel: "webhook", recipient: endpointId, status: "queued" }, select: { id: true } });
  return deliverDueMessages({ onlyIds: due.map((row) => row.id), now, transports: { webhook: createWebhookTransport({ now: () => now }) } });
}

describe("outgoing webhooks", () => {
  it("delivers a subscribed event signed per Standard Webhooks, and nothing to endpoints that did not subscribe", async () => {
    const { endpointId, secret } = await createWebhookEndpoint({ url: receiverUrl, events: ["ticket.created"] }, admin, null);
    const other = await createWebhookEndpoint({ url: receiverUrl, events: ["sla.breached"] }, admin, null);
    secretsToTry.push(secret);
    const ticketId = randomUUID();
    expect(await emitWebhookEvent("ticket.created", { ticketId })).toBe(1);

    expect(await deliverEndpointMessages(endpointId)).toMatchObject({ sent: 1 });
    expect(await deliverEndpointMessages(other.endpointId)).toMatchObject({ claimed: 0 });
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery?.verifiedWith).toEqual([secret]);
    expect(delivery?.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(JSON.parse(delivery?.body ?? "")).toMatchObject({ type: "ticket.created", data: { ticketId } });
    const log = await db.webhookDeliveryAttempt.findMany({ where: { endpointId } });
    expect(log).toMatchObject([{ statusCode: 200, eventType: "ticket.created", responseExcerpt: "answered 200" }]);
  });

  it("retries after a 500 on the Standard Webhooks schedule with the same webhook-id, then succeeds", async () => {
    const { endpointId, secret } = await createWebhookEndpoint({ url: receiverUrl, events: ["escalation.raised"] }, admin, null);
    secretsToTry.push(secret);
    await emitWebhookEvent("escalation.raised", { escalationId: randomUUID() });
    answerStatus = 500;
    expect(await deliverEndpointMessages(endpointId)).toMatchObject({ retrying: 1 });
    const row = await db.outboxMessage.findFirstOrThrow({ where: { recipient: endpointId } });
    const wait = row.nextAttemptAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(3_000); // ~5 s ± 10 %
    expect(wait).toBeLessThan(6_000);
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).failingSince).not.toBeNull();

    answerStatus = 204;
    expect(await deliverEndpointMessages(endpointId, new Date(Date.now() + 10_000))).toMatchObject({ sent: 1 });
    expect(received.map((delivery) => delivery.headers["webhook-id"])).toEqual([received[0]?.headers["webhook-id"], received[0]?.headers["webhook-id"]]);
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).failingSince).toBeNull();
  });

  it("disables an endpoint that answers 410 Gone, and one failing for five days", async () => {
    const gone = await createWebhookEndpoint({ url: receiverUrl, events: ["ticket.updated"] }, admin, null);
    await emitWebhookEvent("ticket.updated", { ticketId: randomUUID() });
    answerStatus = 410;
    expect(await deliverEndpointMessages(gone.endpointId)).toMatchObject({ failed: 1 });
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: gone.endpointId } })).toMatchObject({
      enabled: false,
      disabledReason: "The endpoint answered 410 Gone",
    });
    expect(await emitWebhookEvent("ticket.updated", { ticketId: randomUUID() })).toBe(0);

    const anAdmin = await db.user.create({ data: { email: `webhook-admin-${randomUUID().slice(0, 8)}@example.com`, name: "Webhook admin", role: "admin" } });
    const failing = await createWebhookEndpoint({ url: receiverUrl, events: ["ticket.updated"] }, admin, null);
    await db.webhookEndpoint.update({ where: { id: failing.endpointId }, data: { failingSince: new Date(Date.now() - DISABLE_AFTER_FAILING_MS - 1_000) } });
    await emitWebhookEvent("ticket.updated", { ticketId: randomUUID() });
    answerStatus = 503;
    expect(await deliverEndpointMessages(failing.endpointId)).toMatchObject({ failed: 1 });
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: failing.endpointId } })).toMatchObject({
      enabled: false,
      disabledReason: "Every delivery failed for 5 days",
    });
    expect(await db.outboxMessage.count({ where: { kind: "webhook-endpoint-disabled", recipient: anAdmin.email } })).toBe(1);
  });

  it("signs with both secrets during a rotation, so a receiver on either secret accepts it", async () => {
    const { endpointId, secret: oldSecret } = await createWebhookEndpoint({ url: receiverUrl, events: ["customer.merged"] }, admin, null);
    const { secret: newSecret } = await rotateWebhookSecret(endpointId, admin, null);
    secretsToTry.push(oldSecret, newSecret);
    await emitWebhookEvent("customer.merged", { survivorId: randomUUID(), absorbedId: randomUUID() });
    await deliverEndpointMessages(endpointId);
    expect(received[0]?.verifiedWith).toEqual([oldSecret, newSecret]);
    expect(String(received[0]?.headers["webhook-signature"]).split(" ")).toHaveLength(2);

    // After the grace period only the new secret signs.
    await db.webhookEndpoint.update({ where: { id: endpointId }, data: { previousSecretExpiresAt: new Date(Date.now() - 1) } });
    await emitWebhookEvent("customer.merged", { survivorId: randomUUID(), absorbedId: randomUUID() });
    await deliverEndpointMessages(endpointId);
    expect(received[1]?.verifiedWith).toEqual([newSecret]);
  });

  it("resends a logged delivery with the same webhook-id and body", async () => {
    const { endpointId, secret } = await createWebhookEndpoint({ url: receiverUrl, events: ["sla.breached"] }, admin, null);
    secretsToTry.push(secret);
    await emitWebhookEvent("sla.breached", { ticketId: randomUUID() });
    await deliverEndpointMessages(endpointId);
    const [attempt] = await db.webhookDeliveryAttempt.findMany({ where: { endpointId } });
    await resendWebhook(endpointId, attempt?.id ?? 0n, admin, null);
    await deliverEndpointMessages(endpointId);
    expect(received).toHaveLength(2);
    expect(received[1]?.headers["webhook-id"]).toBe(received[0]?.headers["webhook-id"]);
    expect(received[1]?.body).toBe(received[0]?.body);
    expect(received[1]?.verifiedWith).toEqual([secret]);
  });

  it("refuses private, loopback and link-local targets unless an admin allowed them, also when a name resolves to one", async () => {
    await db.appSetting.update({ where: { key: ALLOW_PRIVATE_TARGETS_KEY }, data: { value: false } });
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.9",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["::7f00:1", "2002:7f00:1::", "2001:0:4136:e378::1", "64:ff9b:1::a00:1", "fec0::1"])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"]) expect(isPrivateAddress(address), address).toBe(false);

    const post = (url: string) => safePost(url, "{}", {}, { timeoutMs: 2_000, allowPrivate: false });
    await expect(post(receiverUrl)).rejects.toBeInstanceOf(UnsafeTargetError);
    await expect(post("http://[::1]:9/")).rejects.toBeInstanceOf(UnsafeTargetError);
    await expect(post("http://10.0.0.1:9/")).rejects.toBeInstanceOf(UnsafeTargetError);
    // "localhost" is a name: the check runs on what it resolves to, at connection time.
    await expect(post(receiverUrl.replace("127.0.0.1", "localhost"))).rejects.toBeInstanceOf(UnsafeTargetError);
    // A resolver that answers a public-looking name with a private address (DNS rebinding).
    const rebinding = ((_host: string, _options: unknown, callback: (error: null, addresses: { address: string; family: number }[]) => void) =>
      callback(null, [{ address: "127.0.0.1", family: 4 }])) as unknown as typeof import("node:dns").lookup;
    await expect(safePost("http://hooks.example.com:80/", "{}", {}, { timeoutMs: 2_000, allowPrivate: false, lookup: rebinding })).rejects.toBeInstanceOf(
      UnsafeTargetError,
    );
    expect(received).toHaveLength(0);

    // Through the outbox: the delivery fails with the reason in the log, without retrying.
    const { endpointId } = await createWebhookEndpoint({ url: receiverUrl, events: ["ticket.created"] }, admin, null);
    await emitWebhookEvent("ticket.created", { ticketId: randomUUID() });
    expect(await deliverEndpointMessages(endpointId)).toMatchObject({ failed: 1 });
    const [log] = await db.webhookDeliveryAttempt.findMany({ where: { endpointId } });
    expect(log?.error).toMatch(/private, loopback or link-local/);
    expect(received).toHaveLength(0);
  });

  it("gives up on a receiver that drips its answer, at the deadline for the whole exchange", async () => {
    const drip = createServer((_request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write("."), 200);
      response.on("close", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => drip.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(drip.address() as AddressInfo).port}/`;
      // Bytes arrive every 200 ms, so the socket is never idle: only the overall deadline ends it.
      await expect(safePost(url, "{}", {}, { timeoutMs: 1_000, allowPrivate: true })).rejects.toThrow(/No complete answer within 1 s/);
    } finally {
      drip.closeAllConnections();
      await new Promise<void>((resolve) => drip.close(() => resolve()));
    }
  });

  it("announces an event only when its transaction commits", async () => {
    const { endpointId } = await createWebhookEndpoint({ url: receiverUrl, events: ["ticket.created"] }, admin, null);
    await expect(
      db.$transaction(async (tx) => {
        await emitWebhookEvent("ticket.created", { ticketId: randomUUID() }, tx);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await db.outboxMessage.count({ where: { recipient: endpointId } })).toBe(0);
  });
});
