import { describe, expect, it } from "vitest";
import { csvField, csvRecord } from "@/platform/csv";
import { parseCsv } from "@/platform/testing/csv-reader";

describe("csvField", () => {
  it("leaves plain text alone and writes empty for null and undefined", () => {
    expect(csvField("auth.sign_in")).toBe("auth.sign_in");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(42n)).toBe("42");
    expect(csvField(new Date(Date.UTC(2026, 10, 29, 13, 5, 0)))).toBe("2026-11-29T13:05:00.000Z");
  });

  it("quotes commas, quotes and line breaks, doubling inner quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line1\nline2")).toBe('"line1\nline2"');
    expect(csvField("cr\rlf")).toBe('"cr\rlf"');
    expect(csvField('{"reason":"wrong_password","n":1}')).toBe('"{""reason"":""wrong_password"",""n"":1}"');
  });

  it("neutralises cells a spreadsheet would run as a formula", () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvField("+1+1")).toBe("'+1+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe('"\'\r=1"');
    // Only a leading sign counts; numbers we write are not text.
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField(-5)).toBe("-5");
  });
});

describe("csvRecord", () => {
  it("writes CRLF-terminated records that read back as the same values", () => {
    const rows = [
      ["id", "action", "details"],
      ["1", "auth.sign_in_failed", '{"reason":"wrong_password"}'],
      ["2", "note, with comma", 'multi\nline "quoted"'],
    ];
    const text = rows.map((row) => csvRecord(row)).join("");
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parseCsv(text)).toEqual(rows);
  });
});
