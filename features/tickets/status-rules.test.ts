import { describe, expect, it } from "vitest";
import { DAY_MS, customerReopen, reopenDeadline, statusMove } from "@/features/tickets/status-rules";

describe("statusMove", () => {
  it("lets staff solve, set pending, close and reopen", () => {
    expect(statusMove("staff", "open", "solved")).toEqual({ ok: true });
    expect(statusMove("staff", "new", "pending")).toEqual({ ok: true });
    expect(statusMove("staff", "solved", "open")).toEqual({ ok: true });
    expect(statusMove("staff", "closed", "open")).toEqual({ ok: true });
  });

  it("never puts a ticket back to new, and says why", () => {
    expect(statusMove("staff", "open", "new")).toEqual({ ok: false, message: "A ticket cannot go back to new once someone has worked on it." });
  });

  it("refuses a move to the same status and staff moves out of closed other than reopening", () => {
    expect(statusMove("staff", "solved", "solved")).toEqual({ ok: false, message: "The ticket is already solved." });
    expect(statusMove("staff", "closed", "solved")).toEqual({ ok: false, message: "A closed ticket cannot be set to solved." });
  });

  it("lets customers close any of their tickets but reopen only a solved one", () => {
    for (const from of ["new", "open", "pending", "on_hold", "solved"] as const) expect(statusMove("customer", from, "closed")).toEqual({ ok: true });
    expect(statusMove("customer", "solved", "open")).toEqual({ ok: true });
    expect(statusMove("customer", "closed", "open")).toEqual({ ok: false, message: "This ticket is closed. Open a follow-up ticket to continue." });
    expect(statusMove("customer", "open", "solved")).toEqual({ ok: false, message: "An open ticket cannot be set to solved." });
  });
});

describe("customerReopen (the reopen window)", () => {
  const solvedAt = new Date("2026-03-27T12:00:00Z");
  const window = 7;

  it("allows reopening up to and including the deadline, and not a millisecond after", () => {
    const deadline = reopenDeadline(solvedAt, window);
    expect(deadline.toISOString()).toBe("2026-04-03T12:00:00.000Z");
    expect(customerReopen({ status: "solved", solvedAt }, new Date(solvedAt.getTime() + 1), window)).toEqual({ ok: true });
    expect(customerReopen({ status: "solved", solvedAt }, deadline, window)).toEqual({ ok: true });
    expect(customerReopen({ status: "solved", solvedAt }, new Date(deadline.getTime() + 1), window)).toEqual({
      ok: false,
      message: "This ticket was solved more than 7 days ago. Open a follow-up ticket to continue.",
    });
  });

  it("counts real elapsed time, whatever a clock change in between (7 × 24 h)", () => {
    expect(reopenDeadline(solvedAt, window).getTime() - solvedAt.getTime()).toBe(7 * DAY_MS);
  });

  it("a window of 0 days never allows reopening after the moment it was solved; closed tickets never reopen", () => {
    expect(customerReopen({ status: "solved", solvedAt }, new Date(solvedAt.getTime() + 1), 0).ok).toBe(false);
    expect(customerReopen({ status: "closed", solvedAt }, solvedAt, window).ok).toBe(false);
    expect(customerReopen({ status: "solved", solvedAt: null }, solvedAt, window).ok).toBe(false);
    expect(customerReopen({ status: "solved", solvedAt }, new Date(solvedAt.getTime() + 86_400_000), 1)).toEqual({ ok: true });
  });
});
