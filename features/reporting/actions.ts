"use server";

import "server-only";

import { z } from "zod";
import { authorizedAction } from "@/platform/auth/guard";
import { sendDeliveryTestEmail } from "@/features/reporting/delivery-test-email";

export const sendTestEmail = authorizedAction("supervisor", z.object({}), async (_input, actor) => sendDeliveryTestEmail(actor));
