import "server-only";
import { parse } from "csv-parse/sync";
import { textProblem } from "@/platform/text/schemas";

/**
 * Reading a customer CSV as spreadsheets and CRMs write it: the encoding (UTF-8 with or without a
 * byte-order mark, else Windows-1252, what Excel on Windows saves as "CSV"), the delimiter
 * (comma, semicolon where the decimal separator is a comma, or tab) and RFC 4180 quoting with
 * line breaks inside quotes, by csv-parse. Anything that is not such a file is refused with a
 * sentence that says what is wrong, before a single row is looked at.
 */

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
export const MAX_IMPORT_COLUMNS = 200;
export const MAX_IMPORT_ROWS = 200_000;
/** The longest value a cell may hold; longer is not a name, an address or a phone number. */
export const MAX_CELL_LENGTH = 1_000;

export type CsvEncoding = "utf-8" | "windows-1252";
export type CsvDelimiter = "," | ";" | "\t";
export const DELIMITER_LABELS: Record<CsvDelimiter, string> = { ",": "comma", ";": "semicolon", "\t": "tab" };

export type CsvInspection = { ok: true; encoding: CsvEncoding; delimiter: CsvDelimiter; headers: string[]; text: string } | { ok: false; message: string };

export function formatMegabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** File types people pick by mistake, by their first bytes (ZIP covers .xlsx, .docx, .ods). */
const MAGIC: { bytes: number[]; name: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], name: "a ZIP archive or an Excel workbook (.xlsx): save it as CSV first" },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], name: "an old Excel workbook (.xls): save it as CSV first" },
  { bytes: [0x25, 0x50, 0x44, 0x46], name: "a PDF" },
  { bytes: [0x89, 0x50, 0x4e, 0x47], name: "a PNG image" },
  { bytes: [0xff, 0xd8, 0xff], name: "a JPEG image" },
  { bytes: [0x1f, 0x8b], name: "a gzip archive" },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], name: "a program" },
];

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** UTF-8 when there is a BOM or the bytes are valid UTF-8; Windows-1252 otherwise. */
export function decodeCsvBytes(bytes: Uint8Array): { encoding: CsvEncoding; text: string } {
  if (startsWith(bytes, UTF8_BOM)) return { encoding: "utf-8", text: new TextDecoder("utf-8").decode(bytes.subarray(3)) };
  try {
    return { encoding: "utf-8", text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { encoding: "windows-1252", text: decodeWindows1252(bytes) };
  }
}

/**
 * Windows-1252 is Latin-1 except for 0x80–0x9F (€, ‚, „, …, curly quotes, Š, Œ, Ž, ™, …). Node
 * builds without full ICU decode the "windows-1252" label as plain Latin-1, so that range is
 * mapped here (the five bytes 1252 leaves undefined stay as their C1 code points).
 */
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";
function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = new TextDecoder("latin1").decode(bytes);
  return latin1.replace(/[\u0080-\u009f]/g, (char) => CP1252_HIGH[char.charCodeAt(0) - 0x80] as string);
}

/** The delimiter that splits the header line into the most columns (outside quotes). */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && (char === "," || char === ";" || char === "\t")) counts[char]++;
  }
  const best = (Object.keys(counts) as CsvDelimiter[]).sort((a, b) => counts[b] - counts[a])[0] as CsvDelimiter;
  return counts[best] > 0 ? best : ",";
}

/** Checks the whole file (type, encoding, delimiter, header) without parsing its rows. */
export function inspectCsv(bytes: Uint8Array): CsvInspection {
  if (bytes.byteLength === 0) return { ok: false, message: "The file is empty." };
  if (bytes.byteLength > MAX_IMPORT_BYTES)
    return { ok: false, message: `The file is larger than ${formatMegabytes(MAX_IMPORT_BYTES)}, the most an import can be. Split it into smaller files.` };
  for (const magic of MAGIC) {
    if (startsWith(bytes, magic.bytes)) return { ok: false, message: `This is not a CSV file: it looks like ${magic.name}.` };
  }
  // Text files never hold NUL bytes (a UTF-16 export does: ask for UTF-8).
  if (bytes.includes(0))
    return { ok: false, message: "This is not a CSV text file: it contains binary data (NUL bytes). If it is a UTF-16 export, save it as CSV UTF-8." };
  const { encoding, text } = decodeCsvBytes(bytes);
  const delimiter = detectDelimiter(text);
  let headerRows: string[][];
  try {
    headerRows = parse(text, { delimiter, to_line: 1, relax_column_count: true, max_record_size: 1_000_000 }) as string[][];
  } catch (error) {
    return { ok: false, message: `The header line cannot be read as CSV: ${csvErrorSentence(error)}` };
  }
  const headers = (headerRows[0] ?? []).map((header) => header.trim());
  if (headers.length === 0 || headers.every((header) => header === ""))
    return { ok: false, message: "The file has no header line: its first line must name the columns." };
  if (headers.length > MAX_IMPORT_COLUMNS)
    return {
      ok: false,
      message: `The file has ${headers.length.toLocaleString("en")} columns; an import takes at most ${MAX_IMPORT_COLUMNS}. Remove the columns you do not need.`,
    };
  const blank = headers.findIndex((header) => header === "");
  if (blank >= 0) return { ok: false, message: `Column ${blank + 1} has no name in the header line: every column needs one.` };
  const seen = new Set<string>();
  for (const header of headers) {
    const problem = textProblem(header);
    if (problem) return { ok: false, message: `The column name "${header.slice(0, 40)}" cannot be used: ${problem}` };
    if (header.length > 200) return { ok: false, message: "A column name is longer than 200 characters: this does not look like a header line." };
    const key = header.toLowerCase();
    if (seen.has(key)) return { ok: false, message: `Two columns are both called "${header}": rename one of them.` };
    seen.add(key);
  }
  // A header with nothing under it.
  const afterHeader = text.replace(/^[^\r\n]*(\r\n|\r|\n)?/, "");
  if (!/[^\s,;\t"]/.test(afterHeader) && !hasQuotedNewlineInHeader(text)) return { ok: false, message: "The file has a header line but no rows under it." };
  return { ok: true, encoding, delimiter, headers, text };
}

function hasQuotedNewlineInHeader(text: string): boolean {
  const firstBreak = text.search(/[\r\n]/);
  if (firstBreak < 0) return false;
  return (text.slice(0, firstBreak).split('"').length - 1) % 2 === 1;
}

function csvErrorSentence(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "CSV_QUOTE_NOT_CLOSED") return "a quoted value is never closed (a stray double quote).";
  if (code === "CSV_INVALID_CLOSING_QUOTE") return "a double quote is followed by text (quotes inside a value must be doubled).";
  if (code === "CSV_MAX_RECORD_SIZE") return "a line is far too long.";
  return error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : "it is not valid CSV.";
}

export type CsvRecord = { rowNumber: number; cells: string[] } | { rowNumber: number; error: string };

/**
 * Every data row (row 1 = the first after the header). A row with another number of cells than the
 * header is returned as an error for that row, not a failure of the file; blank lines are skipped.
 * Throws a sentence (as Error) when the file as a whole is not CSV.
 */
export function parseCsvRows(text: string, delimiter: CsvDelimiter, columnCount: number): CsvRecord[] {
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      from_line: 2,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 1_000_000,
      bom: true,
    }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new Error(`The file is not valid CSV${line ? ` near line ${line}` : ""}: ${csvErrorSentence(error)}`);
  }
  if (records.length > MAX_IMPORT_ROWS)
    throw new Error(
      `The file has ${records.length.toLocaleString("en")} rows; an import takes at most ${MAX_IMPORT_ROWS.toLocaleString("en")}. Split it into smaller files.`,
    );
  return records.map((cells, index) => {
    const rowNumber = index + 1;
    if (cells.length !== columnCount) {
      // Trailing empty cells (a spreadsheet's ragged export) are harmless; anything else is not.
      const trimmed = cells.length > columnCount && cells.slice(columnCount).every((cell) => cell.trim() === "") ? cells.slice(0, columnCount) : null;
      if (trimmed) return { rowNumber, cells: trimmed };
      return {
        rowNumber,
        error: `This row has ${cells.length} cells where the header has ${columnCount} (a missing or extra ${DELIMITER_LABELS[delimiter]}, or an unquoted ${DELIMITER_LABELS[delimiter]} inside a value).`,
      };
    }
    return { rowNumber, cells };
  });
}

/** The first `count` data rows, from the start of the file only (for the mapping form's examples); [] when they cannot be read. */
export function sampleRows(bytes: Uint8Array, delimiter: CsvDelimiter, encoding: CsvEncoding, count = 3): string[][] {
  // The file's encoding was found on the whole file; a cut at 256 KB may split a UTF-8 character,
  // so decode leniently in that encoding rather than guess again from the slice.
  const head = bytes.subarray(0, 256 * 1024);
  const text = encoding === "utf-8" ? new TextDecoder("utf-8").decode(startsWith(head, UTF8_BOM) ? head.subarray(3) : head) : decodeWindows1252(head);
  try {
    return parse(text, {
      delimiter,
      from_line: 2,
      to_line: count + 1,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      max_record_size: 1_000_000,
    }) as string[][];
  } catch {
    return [];
  }
}
