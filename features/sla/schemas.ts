import { z } from "zod";
import { isKnownTimeZone } from "./business-time";

/* The SLA policy edit, shared by the supervisor's form (in the browser) and the server action: no database here. */

/** One policy per agreement tier, plus one for tickets from people without a valid agreement. */
export const SLA_SCOPES = ["premium", "standard", "basic", "no_agreement"] as const;
export type SlaScope = (typeof SLA_SCOPES)[number];

export const SLA_SCOPE_LABELS: Record<SlaScope, string> = {
  premium: "Premium agreement",
  standard: "Standard agreement",
  basic: "Basic agreement",
  no_agreement: "No valid agreement",
};

export const WEEKDAYS = [
  { day: 1, label: "Monday", short: "Mon" },
  { day: 2, label: "Tuesday", short: "Tue" },
  { day: 3, label: "Wednesday", short: "Wed" },
  { day: 4, label: "Thursday", short: "Thu" },
  { day: 5, label: "Friday", short: "Fri" },
  { day: 6, label: "Saturday", short: "Sat" },
  { day: 7, label: "Sunday", short: "Sun" },
] as const;

export type SlaPolicyTimes = {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  businessHoursOnly: boolean;
  businessDayStartMinute: number;
  businessDayEndMinute: number;
  businessDays: number[];
  timeZone: string;
};

const MAX_TARGET_MINUTES = 60 * 24 * 90;
const timeOfDay = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
export const minutesOfTimeOfDay = (value: string) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));
export const timeOfDayOfMinutes = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

const targetMinutes = (what: string) =>
  z.coerce
    .number({ error: `${what} must be a number of minutes` })
    .int({ error: `${what} must be a whole number of minutes` })
    .min(1, { error: `${what} must be at least 1 minute` })
    .max(MAX_TARGET_MINUTES, { error: `${what} can be at most 90 days` });

/** The supervisor's edit of one policy (the form and the server action both use it). */
export const slaPolicyInputSchema = z
  .object({
    scope: z.enum(SLA_SCOPES),
    firstResponseMinutes: targetMinutes("First-response target"),
    resolutionMinutes: targetMinutes("Resolution target"),
    warnBeforeMinutes: z.coerce
      .number({ error: "Warning must be a number of minutes" })
      .int({ error: "Warning must be a whole number of minutes" })
      .min(0, { error: "Warning cannot be negative (0 = escalate only on a breach)" }),
    businessHoursOnly: z.boolean(),
    businessDayStart: z.string().regex(timeOfDay, { error: "Enter the opening time as HH:MM" }),
    businessDayEnd: z.string().regex(timeOfDay, { error: "Enter the closing time as HH:MM" }),
    businessDays: z.array(z.coerce.number().int().min(1).max(7)),
    timeZone: z.string().trim().refine(isKnownTimeZone, { error: "Choose a time zone from the list (e.g. Europe/London)" }),
  })
  .superRefine((input, ctx) => {
    if (input.resolutionMinutes <= input.firstResponseMinutes) {
      ctx.addIssue({ code: "custom", path: ["resolutionMinutes"], message: "Resolution target must be longer than the first-response target" });
    }
    if (input.warnBeforeMinutes >= input.firstResponseMinutes) {
      ctx.addIssue({ code: "custom", path: ["warnBeforeMinutes"], message: "Warning must come before the first-response target (make it shorter)" });
    }
    if (input.businessHoursOnly) {
      if (
        timeOfDay.test(input.businessDayStart) &&
        timeOfDay.test(input.businessDayEnd) &&
        minutesOfTimeOfDay(input.businessDayEnd) <= minutesOfTimeOfDay(input.businessDayStart)
      ) {
        ctx.addIssue({ code: "custom", path: ["businessDayEnd"], message: "Closing time must be after the opening time" });
      }
      if (input.businessDays.length === 0) {
        ctx.addIssue({ code: "custom", path: ["businessDays"], message: "Choose at least one business day" });
      }
    }
  });
export type SlaPolicyInput = z.input<typeof slaPolicyInputSchema>;
