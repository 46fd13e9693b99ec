import { describe, expect, it } from "vitest";
import { DEFAULT_QUEUE_FILTER, SEARCH_MAX_LENGTH, parseQueueFilter, queueQueryString, statusesOf } from "@/features/tickets/queue/schemas";

describe("queue filter schema", () => {
  it("defaults to open work by last activity, for everyone", () => {
    expect(parseQueueFilter({})).toEqual({
      status: "active",
      priority: "any",
      assignee: "anyone",
      channel: "any",
      identity: "any",
      entitlement: "any",
      sort: "updated",
      q: "",
      after: undefined,
      before: undefined,
    });
    expect(statusesOf("active")).toEqual(["new", "open", "pending", "on_hold"]);
    expect(statusesOf("all")).toHaveLength(6);
    expect(statusesOf("solved")).toEqual(["solved"]);
  });

  it("reads URL search params, the first of repeated ones", () => {
    const filter = parseQueueFilter(
      new URLSearchParams("status=pending&priority=urgent&assignee=me&channel=phone&identity=mismatch&entitlement=none&sort=priority&q=+printer++on%0Afire+"),
    );
    expect(filter).toMatchObject({
      status: "pending",
      priority: "urgent",
      assignee: "me",
      channel: "phone",
      identity: "mismatch",
      entitlement: "none",
      sort: "priority",
      q: "printer on fire",
    });
    expect(parseQueueFilter({ status: ["closed", "open"] }).status).toBe("closed");
  });

  it("falls back to defaults for anything unknown instead of failing", () => {
    const filter = parseQueueFilter({
      status: "deleted",
      priority: "URGENT",
      assignee: "everyone",
      channel: "",
      identity: "trusted",
      sort: "random",
      after: "not a cursor!",
      before: "x".repeat(400),
    });
    expect(filter).toEqual(DEFAULT_QUEUE_FILTER);
  });

  it("bounds the search text", () => {
    expect(parseQueueFilter({ q: "a".repeat(500) }).q).toHaveLength(SEARCH_MAX_LENGTH);
  });

  it("writes short links that parse back to the same filter, dropping cursors on change", () => {
    expect(queueQueryString(DEFAULT_QUEUE_FILTER)).toBe("");
    const filter = parseQueueFilter({ status: "all", identity: "bouncing", q: "maya patel", after: "abc_-123" });
    const query = queueQueryString(filter, { after: filter.after });
    expect(query).toBe("?q=maya+patel&status=all&identity=bouncing&after=abc_-123");
    expect(parseQueueFilter(new URLSearchParams(query.slice(1)))).toEqual(filter);
    expect(queueQueryString(filter, { status: "open" })).toBe("?q=maya+patel&status=open&identity=bouncing");
  });
});
