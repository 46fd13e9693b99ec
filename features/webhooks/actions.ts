"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  resendWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
  setPrivateTargetsAllowed,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
} from "@/features/webhooks/endpoints";
import {
  allowPrivateTargetsSchema,
  createWebhookEndpointSchema,
  resendWebhookSchema,
  updateWebhookEndpointSchema,
  webhookEndpointRefSchema,
} from "@/features/webhooks/schemas";

const who = (actor: { userId: string; role: "admin" | "supervisor" | "agent" | "customer" }) => ({ userId: actor.userId, role: actor.role });

export const createWebhookEndpointAction = authorizedAction("admin", createWebhookEndpointSchema, async (input, actor) =>
  createWebhookEndpoint(input, who(actor), await requestIp()),
);
export const updateWebhookEndpointAction = authorizedAction("admin", updateWebhookEndpointSchema, async (input, actor) =>
  updateWebhookEndpoint(input, who(actor), await requestIp()),
);
export const rotateWebhookSecretAction = authorizedAction("admin", webhookEndpointRefSchema, async (input, actor) =>
  rotateWebhookSecret(input.endpointId, who(actor), await requestIp()),
);
export const enableWebhookEndpointAction = authorizedAction("admin", webhookEndpointRefSchema, async (input, actor) =>
  setWebhookEndpointEnabled(input.endpointId, true, who(actor), await requestIp()),
);
export const disableWebhookEndpointAction = authorizedAction("admin", webhookEndpointRefSchema, async (input, actor) =>
  setWebhookEndpointEnabled(input.endpointId, false, who(actor), await requestIp()),
);
export const deleteWebhookEndpointAction = authorizedAction("admin", webhookEndpointRefSchema, async (input, actor) =>
  deleteWebhookEndpoint(input.endpointId, who(actor), await requestIp()),
);
export const sendTestWebhookAction = authorizedAction("admin", webhookEndpointRefSchema, async (input, actor) =>
  sendTestWebhook(input.endpointId, who(actor), await requestIp()),
);
export const resendWebhookAction = authorizedAction("admin", resendWebhookSchema, async (input, actor) =>
  resendWebhook(input.endpointId, BigInt(input.attemptId), who(actor), await requestIp()),
);
export const setPrivateTargetsAllowedAction = authorizedAction("admin", allowPrivateTargetsSchema, async (input, actor) =>
  setPrivateTargetsAllowed(input.allow, who(actor), await requestIp()),
);
