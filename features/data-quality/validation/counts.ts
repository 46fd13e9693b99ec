import type { ReasonCode } from "@/features/data-quality/reasons";

/** The shape of ValidationRun.counts (and of the job's progress while it runs); the report reads it too. */
export type ChannelCounts = { total: number; valid: number; doubtful: number; invalid: number; verified: number; reasons: Partial<Record<ReasonCode, number>> };
export type ValidationCounts = { email: ChannelCounts; phone: ChannelCounts; duplicates: { phones: number; customers: number } };

const emptyChannel = (): ChannelCounts => ({ total: 0, valid: 0, doubtful: 0, invalid: 0, verified: 0, reasons: {} });
export const emptyCounts = (): ValidationCounts => ({ email: emptyChannel(), phone: emptyChannel(), duplicates: { phones: 0, customers: 0 } });

/** Reads stored counts defensively (an empty "{}" before the first batch, or an older shape). */
export function readCounts(value: unknown): ValidationCounts {
  const counts = emptyCounts();
  if (!value || typeof value !== "object") return counts;
  const source = value as Partial<ValidationCounts>;
  for (const channel of ["email", "phone"] as const) {
    const given = source[channel];
    if (given && typeof given === "object") counts[channel] = { ...counts[channel], ...given, reasons: { ...(given.reasons ?? {}) } };
  }
  if (source.duplicates && typeof source.duplicates === "object") counts.duplicates = { ...counts.duplicates, ...source.duplicates };
  return counts;
}
