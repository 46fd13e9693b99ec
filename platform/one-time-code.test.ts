import { describe, expect, it } from "vitest";
import { codeFromLinkFragment } from "@/platform/one-time-code";

describe("codeFromLinkFragment", () => {
  it("reads exactly six digits from the link's #fragment, alone or among other parameters", () => {
    expect(codeFromLinkFragment("#code=004219")).toBe("004219");
    expect(codeFromLinkFragment("#x=1&code=913377&y=2")).toBe("913377");
    expect(codeFromLinkFragment("code=123456")).toBe("123456");
  });
  it("finds nothing in a fragment without a whole six-digit code", () => {
    for (const hash of ["", "#", "#code=12345", "#code=1234567", "#code=12a456", "#xcode=123456", "#code=123456x"])
      expect(codeFromLinkFragment(hash)).toBeNull();
  });
});
