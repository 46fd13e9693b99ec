import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { newWebhookSecret, secretsIn, signWebhook, verifyWebhookSignature, webhookHeadersFrom } from "@/platform/webhook-signature";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const payload = JSON.stringify({ type: "email.delivered", data: { email_id: "4ef9a417-02e9-4d39-ad75-9611e0fcc33c" } });
const at = new Date("2026-11-22T12:00:00Z");

describe("verifyWebhookSignature", () => {
  it("accepts a delivery signed with the secret, under svix-* or webhook-* names", () => {
    const headers = signWebhook({ secret, payload, id: "msg_1", timestamp: at });
    expect(verifyWebhookSignature({ secret, payload, headers: new Headers(headers), now: at })).toEqual({ ok: true, id: "msg_1", timestamp: at });
    const renamed = { "webhook-id": headers["svix-id"], "webhook-timestamp": headers["svix-timestamp"], "webhook-signature": headers["svix-signature"] };
    expect(verifyWebhookSignature({ secret, payload, headers: renamed, now: at }).ok).toBe(true);
  });

  it("signs exactly as the Standard Webhooks library verifies (what the Resend SDK uses)", () => {
    const headers = signWebhook({ secret, payload, id: "msg_lib" });
    const verified = new Webhook(secret).verify(payload, {
      "webhook-id": headers["svix-id"],
      "webhook-timestamp": headers["svix-timestamp"],
      "webhook-signature": headers["svix-signature"],
    });
    expect(verified).toEqual(JSON.parse(payload));
  });

  it("refuses a forged signature and a changed body", () => {
    const headers = signWebhook({ secret, payload, id: "msg_2", timestamp: at });
    const forged = { ...headers, "svix-signature": "v1,bm90IGEgcmVhbCBzaWduYXR1cmUgYXQgYWxsIG5vcGU=" };
    expect(verifyWebhookSignature({ secret, payload, headers: forged, now: at })).toMatchObject({ ok: false, reason: "bad_signature" });
    expect(verifyWebhookSignature({ secret, payload: payload.replace("delivered", "bounced"), headers, now: at })).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
    // The id is part of what is signed: a valid signature cannot be moved to another id.
    expect(verifyWebhookSignature({ secret, payload, headers: { ...headers, "svix-id": "msg_other" }, now: at })).toMatchObject({
      ok: false,
      reason: "bad_signature",
    });
  });

  it("refuses a delivery signed with another secret", () => {
    const headers = signWebhook({ secret: newWebhookSecret(), payload, timestamp: at });
    expect(verifyWebhookSignature({ secret, payload, headers, now: at })).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("refuses timestamps more than 5 minutes away, either way, even when correctly signed", () => {
    const old = signWebhook({ secret, payload, timestamp: new Date(at.getTime() - 5 * 60_000 - 1000) });
    const future = signWebhook({ secret, payload, timestamp: new Date(at.getTime() + 5 * 60_000 + 1000) });
    const edge = signWebhook({ secret, payload, timestamp: new Date(at.getTime() - 5 * 60_000) });
    expect(verifyWebhookSignature({ secret, payload, headers: old, now: at })).toMatchObject({ ok: false, reason: "stale" });
    expect(verifyWebhookSignature({ secret, payload, headers: future, now: at })).toMatchObject({ ok: false, reason: "stale" });
    expect(verifyWebhookSignature({ secret, payload, headers: edge, now: at }).ok).toBe(true);
  });

  it("refuses missing headers and a non-numeric timestamp", () => {
    expect(verifyWebhookSignature({ secret, payload, headers: {}, now: at })).toMatchObject({ ok: false, reason: "missing_headers" });
    const headers = signWebhook({ secret, payload, timestamp: at });
    expect(verifyWebhookSignature({ secret, payload, headers: { ...headers, "svix-timestamp": "yesterday" }, now: at })).toMatchObject({
      ok: false,
      reason: "invalid_timestamp",
    });
  });

  it("accepts any of several signatures (rotation) and any of several configured secrets", () => {
    const other = newWebhookSecret();
    const headers = signWebhook({ secret, payload, timestamp: at });
    const rotated = { ...headers, "svix-signature": `v1,AAAA ${headers["svix-signature"]}` };
    expect(verifyWebhookSignature({ secret, payload, headers: rotated, now: at }).ok).toBe(true);
    expect(verifyWebhookSignature({ secret: `${other} ${secret}`, payload, headers, now: at }).ok).toBe(true);
    expect(secretsIn(`${other}, ${secret}`)).toEqual([other, secret]);
  });

  it("never accepts with a malformed secret", () => {
    const headers = signWebhook({ secret, payload, timestamp: at });
    expect(verifyWebhookSignature({ secret: "whsec_!!!not base64", payload, headers, now: at }).ok).toBe(false);
    expect(verifyWebhookSignature({ secret: "", payload, headers, now: at }).ok).toBe(false);
  });

  it("reads header names case-insensitively from plain objects", () => {
    expect(webhookHeadersFrom({ "Svix-Id": "a", "SVIX-TIMESTAMP": "1", "svix-signature": "v1,x" })).toEqual({ id: "a", timestamp: "1", signature: "v1,x" });
  });
});
