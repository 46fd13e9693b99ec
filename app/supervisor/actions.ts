"use server";

import { z } from "zod";
import { authorizedAction } from "@/lib/auth/guard";
import { sendDeliveryTestEmail } from "@/lib/delivery/test-email";

export const sendTestEmail = authorizedAction("supervisor", z.object({}), async (_input, actor) => sendDeliveryTestEmail(actor));
