import type { AgreementTier } from "@/platform/db/generated/prisma/enums";

/** A support agreement's tier as staff read it (the queue, escalations, the agreement panel, reports). Browser-safe. */
export const TIER_LABEL: Record<AgreementTier, string> = { basic: "Basic", standard: "Standard", premium: "Premium" };
