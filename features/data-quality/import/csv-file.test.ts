import { describe, expect, it } from "vitest";
import { decodeCsvBytes, detectDelimiter, inspectCsv, MAX_IMPORT_BYTES, parseCsvRows } from "./csv-file";
import { cleanRow } from "./clean";
import { suggestMapping } from "./fields";

const utf8 = (text: string) => new TextEncoder().encode(text);

function inspect(bytes: Uint8Array) {
  const result = inspectCsv(bytes);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe("reading a customer CSV", () => {
  it("reads UTF-8 with and without a byte-order mark alike", () => {
    const text = "Name,E-mail\nZoë Müller,zoe@example.com\n";
    const plain = inspect(utf8(text));
    const withBom = inspect(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]));
    for (const file of [plain, withBom]) {
      expect(file.encoding).toBe("utf-8");
      expect(file.headers).toEqual(["Name", "E-mail"]);
      expect(parseCsvRows(file.text, file.delimiter, 2)).toEqual([{ rowNumber: 1, cells: ["Zoë Müller", "zoe@example.com"] }]);
    }
  });

  it("reads Windows-1252 (what Excel on Windows saves) when the bytes are not UTF-8", () => {
    // "Müller" in Windows-1252: ü is the single byte 0xFC.
    const bytes = new Uint8Array([...utf8("Name;Mobile\r\nM"), 0xfc, ...utf8("ller;07911 123456\r\n")]);
    const file = inspect(bytes);
    expect(file.encoding).toBe("windows-1252");
    expect(file.delimiter).toBe(";");
    expect(parseCsvRows(file.text, file.delimiter, 2)).toEqual([{ rowNumber: 1, cells: ["Müller", "07911 123456"] }]);
    expect(decodeCsvBytes(new Uint8Array([0x80, 0x93, 0x94, 0x9f, 0xe9])).text).toBe("€“”Ÿé");
  });

  it("finds the delimiter from the header line, not from commas inside quotes", () => {
    expect(detectDelimiter('"Name, full";Email;Phone\n')).toBe(";");
    expect(detectDelimiter("Name\tEmail\n")).toBe("\t");
    expect(detectDelimiter("Name,Email\n")).toBe(",");
  });

  it("keeps line breaks inside quoted values in their row", () => {
    const file = inspect(utf8('Name,Organisation\n"Ann","Acme\nLtd"\nBob,Beta\n'));
    expect(parseCsvRows(file.text, file.delimiter, 2)).toEqual([
      { rowNumber: 1, cells: ["Ann", "Acme\nLtd"] },
      { rowNumber: 2, cells: ["Bob", "Beta"] },
    ]);
  });

  it("reports a row with the wrong number of cells on that row only", () => {
    const file = inspect(utf8("Name,Email\nAnn,ann@example.com\nBob,bob@example.com,extra\nCy,cy@example.com,,\n"));
    const rows = parseCsvRows(file.text, file.delimiter, 2);
    expect(rows[0]).toEqual({ rowNumber: 1, cells: ["Ann", "ann@example.com"] });
    expect(rows[1]).toMatchObject({ rowNumber: 2, error: expect.stringContaining("has 3 cells where the header has 2") });
    expect(rows[2]).toEqual({ rowNumber: 3, cells: ["Cy", "cy@example.com"] }); // trailing empty cells are harmless
  });

  it("refuses a file with 10,000 columns, saying the limit", () => {
    const header = Array.from({ length: 10_000 }, (_, index) => `c${index}`).join(",");
    const result = inspectCsv(utf8(`${header}\n${"x,".repeat(9_999)}x\n`));
    expect(result).toEqual({ ok: false, message: expect.stringContaining("10,000 columns; an import takes at most 200") });
  });

  it("refuses binary files, by NUL bytes or by their type", () => {
    expect(inspectCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toEqual({ ok: false, message: expect.stringContaining("Excel workbook") });
    expect(inspectCsv(new Uint8Array([0x4e, 0x61, 0x00, 0x6d]))).toEqual({ ok: false, message: expect.stringContaining("binary data") });
    expect(inspectCsv(utf8("%PDF-1.7\n"))).toEqual({ ok: false, message: expect.stringContaining("PDF") });
  });

  it("refuses empty, header-only, oversized and badly headed files with specific messages", () => {
    expect(inspectCsv(new Uint8Array())).toEqual({ ok: false, message: "The file is empty." });
    expect(inspectCsv(utf8("Name,Email\r\n\r\n"))).toEqual({ ok: false, message: "The file has a header line but no rows under it." });
    expect(inspectCsv(new Uint8Array(MAX_IMPORT_BYTES + 1))).toEqual({ ok: false, message: expect.stringContaining("larger than 50 MB") });
    expect(inspectCsv(utf8("Name,,Email\na,b,c\n"))).toEqual({ ok: false, message: "Column 2 has no name in the header line: every column needs one." });
    expect(inspectCsv(utf8("Email,email\na,b\n"))).toEqual({ ok: false, message: 'Two columns are both called "email": rename one of them.' });
  });

  it("refuses a stray quote with the line it is on", () => {
    const file = inspect(utf8('Name,Email\nAnn,ann@example.com\n"Bob,bob@example.com\n'));
    expect(() => parseCsvRows(file.text, file.delimiter, 2)).toThrow(/not valid CSV.*quoted value is never closed/);
  });
});

describe("cleaning a row", () => {
  const headers = ["Account", "Name", "E-mail", "Other emails", "Mobile", "Phone"];
  const mapping = suggestMapping(headers);

  it("suggests fields from common header names", () => {
    expect(mapping).toEqual({ Account: "accountNumber", Name: "name", "E-mail": "email", "Other emails": "alias", Mobile: "mobile", Phone: "phone" });
    expect(suggestMapping(["Company", "Email", "Email 2", "Cell"])).toEqual({ Company: "organisation", Email: "email", "Email 2": "alias", Cell: "mobile" });
  });

  it("trims, splits aliases, turns phones into E.164 and reports what it cannot read", () => {
    const { values, issues } = cleanRow(
      headers,
      [" A-1 ", " Ann  Lee ", "Ann@Example.com", "a2@example.com; a3@example.com", "07911 123456", "not a phone"],
      mapping,
      "GB",
    );
    expect(values).toEqual({
      accountNumber: "A-1",
      name: "Ann  Lee",
      email: "Ann@Example.com",
      aliases: ["a2@example.com", "a3@example.com"],
      mobile: "+447911123456",
    });
    expect(issues).toEqual([{ column: "Phone", value: "not a phone", reason: expect.stringContaining("Not a phone number") }]);
  });

  it("keeps formula-looking cells as the text they are", () => {
    const { values, issues } = cleanRow(headers, ["", '=HYPERLINK("http://evil.example","x")', "", "", "", ""], mapping, "GB");
    expect(values.name).toBe('=HYPERLINK("http://evil.example","x")');
    expect(issues).toEqual([]);
  });

  it("refuses NUL and control characters in a cell", () => {
    const { values, issues } = cleanRow(headers, ["", "Ann\u0000", "", "", "", ""], mapping, "GB");
    expect(values.name).toBeUndefined();
    expect(issues[0]?.reason).toMatch(/NUL/);
  });
});
