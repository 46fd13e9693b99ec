import { describe, expect, it } from "vitest";
import { slaStateOf, type SlaTicketFields } from "./state";

const now = new Date("2026-03-02T10:00:00Z");
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

function ticket(overrides: Partial<SlaTicketFields> = {}): SlaTicketFields {
  return {
    status: "open",
    firstResponseAt: null,
    firstResponseDueAt: minutes(30),
    resolutionDueAt: minutes(480),
    solvedAt: null,
    ...overrides,
  };
}

describe("slaStateOf", () => {
  it("tracks the first response until the ticket is answered", () => {
    expect(slaStateOf(ticket(), now)).toEqual({
      phase: "ok",
      target: "first_response",
      dueAt: minutes(30),
      secondsLeft: 1800,
    });
  });

  it("tracks the resolution once the first response was given, even if it was late", () => {
    const state = slaStateOf(ticket({ firstResponseAt: minutes(-5), firstResponseDueAt: minutes(-10) }), now);
    expect(state).toEqual({ phase: "ok", target: "resolution", dueAt: minutes(480), secondsLeft: 28_800 });
  });

  it("warns within the warn-before window and not before it", () => {
    expect(slaStateOf(ticket(), now, 30 * 60)).toMatchObject({ phase: "warning", secondsLeft: 1800 });
    expect(slaStateOf(ticket(), now, 29 * 60)).toMatchObject({ phase: "ok" });
    expect(slaStateOf(ticket(), now, 0)).toMatchObject({ phase: "ok" });
  });

  it("is breached at the due time and counts the overdue seconds as negative", () => {
    expect(slaStateOf(ticket({ firstResponseDueAt: now }), now)).toMatchObject({ phase: "breached", secondsLeft: 0 });
    expect(slaStateOf(ticket({ firstResponseDueAt: minutes(-120) }), now, 600)).toMatchObject({
      phase: "breached",
      target: "first_response",
      secondsLeft: -7200,
    });
  });

  it("never shows zero seconds left while time remains, nor rounds an overdue ticket back to zero", () => {
    const almostDue = new Date(now.getTime() + 400);
    expect(slaStateOf(ticket({ firstResponseDueAt: almostDue }), now)).toMatchObject({ phase: "ok", secondsLeft: 1 });
    const justOverdue = new Date(now.getTime() - 400);
    expect(slaStateOf(ticket({ firstResponseDueAt: justOverdue }), now)).toMatchObject({
      phase: "breached",
      secondsLeft: -1,
    });
  });

  it("has no clock for solved or closed tickets, even overdue ones", () => {
    expect(slaStateOf(ticket({ status: "solved", solvedAt: minutes(-1), resolutionDueAt: minutes(-60) }), now)).toEqual({
      phase: "none",
    });
    expect(slaStateOf(ticket({ status: "closed", firstResponseDueAt: minutes(-60) }), now)).toEqual({ phase: "none" });
  });

  it("has no clock for a ticket without due times", () => {
    expect(slaStateOf(ticket({ firstResponseDueAt: null, resolutionDueAt: null }), now)).toEqual({ phase: "none" });
    expect(slaStateOf(ticket({ firstResponseAt: minutes(-1), resolutionDueAt: null }), now)).toEqual({ phase: "none" });
  });

  it("reports a paused resolution clock with the time that was left when it stopped, however late it is now", () => {
    const waiting = ticket({ status: "pending", firstResponseAt: minutes(-60), resolutionDueAt: minutes(120), slaPausedAt: minutes(-30) });
    // Paused 150 minutes before the due time: that stays the time left, even long past the due time.
    expect(slaStateOf(waiting, now, 600)).toEqual({ phase: "paused", target: "resolution", dueAt: minutes(120), secondsLeft: 150 * 60 });
    expect(slaStateOf(waiting, minutes(600), 600)).toEqual({ phase: "paused", target: "resolution", dueAt: minutes(120), secondsLeft: 150 * 60 });
  });

  it("does not pause the first-response target, nor a solved ticket's clock", () => {
    expect(slaStateOf(ticket({ status: "pending", slaPausedAt: minutes(-30) }), now)).toEqual({
      phase: "ok",
      target: "first_response",
      dueAt: minutes(30),
      secondsLeft: 1800,
    });
    expect(slaStateOf(ticket({ status: "solved", solvedAt: now, firstResponseAt: minutes(-60), slaPausedAt: minutes(-30) }), now)).toEqual({ phase: "none" });
  });

  it("falls back to the resolution when only that target is set", () => {
    expect(slaStateOf(ticket({ firstResponseDueAt: null }), now)).toMatchObject({ target: "resolution" });
  });
});
