import { describe, expect, it } from "vitest";
import { formatRate } from "@/ui/bar-table";
import { formatDuration } from "@/platform/text/durations";

describe("report number formats", () => {
  it("formats durations in minutes, hours or days", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(45 * 60)).toBe("45 min");
    expect(formatDuration(3.5 * 3600)).toBe("3 h 30 min");
    expect(formatDuration(29 * 3600)).toBe("29 h");
    expect(formatDuration(53 * 3600)).toBe("2 d 5 h");
    expect(formatDuration(72 * 3600)).toBe("3 d");
  });

  it("formats rates as whole percentages", () => {
    expect(formatRate(2, 5)).toBe("40%");
    expect(formatRate(0, 0)).toBe("—");
    expect(formatRate(2, 3)).toBe("67%");
  });
});
