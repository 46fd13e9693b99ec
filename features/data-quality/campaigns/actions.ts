"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { previewCampaign, startCampaign } from "@/features/data-quality/campaigns/campaigns";
import { campaignCriteriaSchema } from "@/features/data-quality/campaigns/schemas";

/** Re-verification campaigns: a supervisor previews, then starts one (sent by a background job). */

export const previewCampaignAction = authorizedAction("supervisor", campaignCriteriaSchema, async (input) => previewCampaign(input));

export const startCampaignAction = authorizedAction("supervisor", campaignCriteriaSchema, async (input, actor) =>
  startCampaign(input, { userId: actor.userId, role: actor.role }, await requestIp()),
);
