import { describe, expect, it } from "vitest";
import { tinyExe, tinyPdf, tinyPng } from "@/platform/testing/sample-files";
import { checkUploadedFile, sanitizeFilename } from "@/features/tickets/uploads/file-check";
import { attachmentLimits, formatBytes } from "@/features/tickets/uploads/limits";

const limits = attachmentLimits({ ATTACHMENT_MAX_FILE_MB: 1, ATTACHMENT_MAX_MESSAGE_MB: 2 });
const text = (value: string) => new Uint8Array(Buffer.from(value, "utf8"));

describe("checkUploadedFile (type from the content, not the name)", () => {
  it("accepts a real PDF, PNG, text and CSV with the type read from their bytes", async () => {
    expect(await checkUploadedFile("invoice.pdf", tinyPdf(), limits)).toEqual({ ok: true, filename: "invoice.pdf", contentType: "application/pdf" });
    expect(await checkUploadedFile("Screen Shot.PNG", tinyPng(), limits)).toEqual({ ok: true, filename: "Screen Shot.PNG", contentType: "image/png" });
    expect(await checkUploadedFile("scanner.log", text("paper jam\r\nroller 2\t€\n"), limits)).toMatchObject({ ok: true, contentType: "text/plain" });
    expect(await checkUploadedFile("orders.csv", text("id,total\n1,20\n"), limits)).toMatchObject({ ok: true, contentType: "text/csv" });
  });

  it("refuses a program whatever its name, saying what it is", async () => {
    for (const name of ["invoice.pdf", "setup.exe", "photo.png", "readme.txt"]) {
      const result = await checkUploadedFile(name, tinyExe(), limits);
      expect(result).toEqual({ ok: false, status: 415, message: `"${name}" is a Windows program. Programs cannot be attached.` });
    }
  });

  it("refuses scripts by their extension even though they are text", async () => {
    expect(await checkUploadedFile("fix.ps1", text("Remove-Item C:\\ -Recurse"), limits)).toMatchObject({
      ok: false,
      status: 415,
      message: expect.stringContaining("(.ps1)"),
    });
  });

  it("refuses a mislabelled file and says how to fix it", async () => {
    expect(await checkUploadedFile("scan.pdf", tinyPng(), limits)).toEqual({
      ok: false,
      status: 415,
      message: '"scan.pdf" is named .pdf but its content is a PNG image. Rename it to .png and try again.',
    });
    expect(await checkUploadedFile("report.pdf", text("just text"), limits)).toMatchObject({
      ok: false,
      message: expect.stringContaining("its content is a text file"),
    });
  });

  it("refuses types it does not accept, and binary that is not text", async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(60)]);
    expect(await checkUploadedFile("logs.zip", zip, limits)).toMatchObject({ ok: false, status: 415 });
    expect(await checkUploadedFile("data.txt", new Uint8Array([0x00, 0x01, 0x02, 0xff]), limits)).toMatchObject({
      ok: false,
      status: 415,
      message: expect.stringContaining("is not a type that can be attached"),
    });
  });

  it("refuses empty and oversize files with their sizes", async () => {
    expect(await checkUploadedFile("empty.pdf", new Uint8Array(0), limits)).toEqual({
      ok: false,
      status: 400,
      message: '"empty.pdf" is empty (0 bytes). Choose a file with something in it.',
    });
    const big = new Uint8Array(limits.maxFileBytes + 1);
    big.set(tinyPdf());
    expect(await checkUploadedFile("big.pdf", big, limits)).toEqual({ ok: false, status: 413, message: '"big.pdf" is 1 MB; a file can be 1 MB at most.' });
    const atLimit = new Uint8Array(limits.maxFileBytes);
    atLimit.set(tinyPdf());
    expect(await checkUploadedFile("fits.pdf", atLimit, limits)).toMatchObject({ ok: true });
  });
});

describe("sanitizeFilename", () => {
  it("refuses names with a path", () => {
    expect(sanitizeFilename("../../etc/passwd")).toMatchObject({ ok: false, message: expect.stringContaining('"/" or "\\"') });
    expect(sanitizeFilename("C:\\Users\\me\\cv.pdf")).toMatchObject({ ok: false });
  });

  it("drops control and bidi characters, lone surrogates and outer dots, keeps Unicode", () => {
    expect(sanitizeFilename("in\u0000voice\r\n.pdf")).toEqual({ ok: true, filename: "invoice.pdf" });
    // U+202E shows "invoice\u202Efdp.exe" as "invoiceexe.pdf".
    expect(sanitizeFilename("invoice\u202Efdp.exe")).toEqual({ ok: true, filename: "invoicefdp.exe" });
    expect(sanitizeFilename("  ..hidden.txt. ")).toEqual({ ok: true, filename: "hidden.txt" });
    expect(sanitizeFilename("Ångström \ud83d\ude00 \ud800.txt")).toEqual({ ok: true, filename: "Ångström 😀 \ufffd.txt" });
    expect(sanitizeFilename("\u0001\u0002")).toMatchObject({ ok: false });
  });

  it("shortens long names to 200 characters, keeping the extension", () => {
    const result = sanitizeFilename(`${"a".repeat(300)}.pdf`);
    expect(result).toEqual({ ok: true, filename: `${"a".repeat(196)}.pdf` });
  });
});

describe("formatBytes", () => {
  it("speaks in KB and MB", () => {
    expect([formatBytes(1), formatBytes(2048), formatBytes(1.5 * 1024 * 1024), formatBytes(25 * 1024 * 1024)]).toEqual(["1 KB", "2 KB", "1.5 MB", "25 MB"]);
  });
});
