import { z } from "zod";
import { timeZoneSchema } from "@/platform/time-zone";

/** The account page's time-zone choice, and the browser's own zone sent on first load: one shape. */
export const timeZoneInputSchema = z.object({ timeZone: timeZoneSchema });
export type TimeZoneInput = z.input<typeof timeZoneInputSchema>;
