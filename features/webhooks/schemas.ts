import { z } from "zod";
import { webhookUrlProblem } from "@/platform/http/url-rules";
import { cleanText } from "@/platform/text/schemas";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "./event-types";

const urlSchema = z
  .string("Enter the endpoint's URL.")
  .trim()
  .min(1, "Enter the endpoint's URL.")
  .max(2000, "At most 2,000 characters.")
  .superRefine((value, context) => {
    const problem = webhookUrlProblem(value);
    if (problem) context.addIssue({ code: "custom", message: `The URL ${problem}.` });
  });

const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES as [WebhookEventType, ...WebhookEventType[]], "Not an event Veridesk sends."), "Choose at least one event.")
  .min(1, "Choose at least one event.")
  .max(WEBHOOK_EVENT_TYPES.length)
  .transform((events) => [...new Set(events)]);

const descriptionSchema = cleanText({ error: "At most 200 characters." }).trim().max(200, "At most 200 characters.").optional();

export const createWebhookEndpointSchema = z.object({ url: urlSchema, description: descriptionSchema, events: eventsSchema });
export type CreateWebhookEndpointInput = z.input<typeof createWebhookEndpointSchema>;

export const updateWebhookEndpointSchema = z.object({
  endpointId: z.uuid("Not an endpoint id."),
  url: urlSchema,
  description: descriptionSchema,
  events: eventsSchema,
});
export type UpdateWebhookEndpointInput = z.input<typeof updateWebhookEndpointSchema>;

export const webhookEndpointRefSchema = z.object({ endpointId: z.uuid("Not an endpoint id.") });
export const resendWebhookSchema = z.object({
  endpointId: z.uuid("Not an endpoint id."),
  attemptId: z.coerce.bigint("Not a delivery.").positive("Not a delivery."),
});
export const allowPrivateTargetsSchema = z.object({ allow: z.boolean() });
