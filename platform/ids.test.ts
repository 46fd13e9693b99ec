import { describe, expect, it } from "vitest";
import { isUuid } from "@/platform/ids";

describe("isUuid", () => {
  it("accepts uuids in either case and nothing else", () => {
    expect(isUuid("01a227bf-0e12-775d-8455-c1abadf34b31")).toBe(true);
    expect(isUuid("01A227BF-0E12-775D-8455-C1ABADF34B31")).toBe(true);
    expect(isUuid("01a227bf-0e12-775d-8455-c1abadf34b3")).toBe(false);
    expect(isUuid(" 01a227bf-0e12-775d-8455-c1abadf34b31")).toBe(false);
    expect(isUuid("1001")).toBe(false);
    expect(isUuid(undefined)).toBe(false);
    expect(isUuid(["01a227bf-0e12-775d-8455-c1abadf34b31"])).toBe(false);
  });
});
