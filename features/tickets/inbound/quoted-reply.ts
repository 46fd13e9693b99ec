import { REPLY_MARKER } from "@/features/tickets/reply-marker";

/**
 * The new part of a customer's emailed answer: what they typed, without the conversation their mail
 * program quoted below it. Used only when an email is filed on an existing ticket (a new ticket keeps a
 * forwarded thread whole); the full text stays in InboundEmail.textBody and the agent's thread offers it.
 *
 * Cut points, the first one found wins:
 *   - our reply marker line (quoted or not), with a mail program's attribution line right above it;
 *   - an attribution line: "On Tue, 1 Dec 2026 at 10:00, Name <a@b> wrote:" (Gmail, Apple Mail,
 *     Thunderbird; Gmail wraps it over two or three lines), and the same in German, French, Spanish,
 *     Portuguese, Italian, Dutch, Scandinavian and Polish;
 *   - an Outlook header block: "From: …" followed by "Sent:/Date:", "To:", "Subject:" (also localized),
 *     with the "________________________________" separator above it;
 *   - "-----Original Message-----" (and translations).
 * Then a block of "> " lines at the end (with an attribution line above it), then a signature after
 * "-- ". If nothing would be left, nothing is cut: stripping must never lose a customer's words.
 *
 * A well-known npm parser (email-reply-parser 2.3.9) was measured first: without the optional native re2
 * its regular expressions are quadratic (a 16,000-character line took 632 ms, so a 1 MB body would take
 * tens of minutes) and it drops text below a "Cheers" line. This one looks at each line once with bounded
 * patterns, so its cost is linear in the body.
 */

export interface QuotedReply {
  /** The customer's new text (the whole text when nothing was cut). */
  text: string;
  /** True when something was cut. */
  stripped: boolean;
}

// Header lines longer than this are prose, never a mail program's attribution.
const MAX_HEADER_LINE = 600;

const ATTRIBUTION_START = /^(?:on|am|le|el|em|il|op|den|dnia|w dniu|pe)\s/i;
const ATTRIBUTION_END = /(?:wrote|schrieb|a écrit|escribió|escreveu|ha scritto|schreef|skrev|napisał(?:\(a\))?|pisze|kirjoitti|написал(?:\(а\))?)\s*:\s*$/i;

const ORIGINAL_MESSAGE =
  /^-{2,}\s*(?:original message|ursprüngliche nachricht|originalnachricht|message d'origine|mensaje original|messaggio originale|oorspronkelijk bericht|originalmeddelande|oprindelig meddelelse|opprinnelig melding|wiadomość oryginalna|mensagem original)\s*-{2,}\s*$/i;

const FROM_FIELD = /^\*?(?:from|von|de|van|da|från|fra|od|от|lähettäjä)\s?:\*?\s*\S/i;
const OTHER_FIELD =
  /^\*?(?:sent|date|to|cc|subject|gesendet|datum|an|betreff|envoyé|à|objet|enviado|fecha|para|asunto|assunto|verzonden|aan|onderwerp|inviato|data|a|oggetto|skickat|till|ämne|sendt|til|emne|wysłano|do|temat)\s?:\*?(?:\s|$)/i;

// Outlook's underscores in text; "----" is an <hr> in text taken from HTML.
const OUTLOOK_SEPARATOR = /^(?:_{10,}|-{4,})\s*$/;
const SIGNATURE = /^-- ?$/;
// A signature is short; a "--" line above a long text is the customer's own separator.
const MAX_SIGNATURE_LINES = 15;

const unquote = (line: string) => line.replace(/^(?:\s*>)+\s?/, "");
const isBlank = (line: string) => line.trim() === "";

function hasMarker(line: string): boolean {
  return line.length <= MAX_HEADER_LINE && line.includes(REPLY_MARKER);
}

/** "On Tue, 1 Dec 2026 at 10:00, Dana <a@b> wrote:" starting at line `i`, over up to three lines (Gmail wraps it). */
function isAttributionAt(lines: readonly string[], i: number): boolean {
  const first = lines[i]!.trim();
  if (first.length > MAX_HEADER_LINE || !ATTRIBUTION_START.test(first)) return false;
  let joined = first;
  for (let j = 0; j < 3 && i + j < lines.length; j++) {
    if (j > 0) {
      const next = lines[i + j]!.trim();
      if (next === "" || next.length > MAX_HEADER_LINE) return false;
      joined = `${joined} ${next}`;
    }
    // A date or time in it: "On Monday you wrote:" in the customer's prose is not a mail program's line.
    if (ATTRIBUTION_END.test(joined)) return /\d/.test(joined);
  }
  return false;
}

/** Outlook's "From: … / Sent: … / To: … / Subject: …" block starting at line `i`. */
function isOutlookHeaderAt(lines: readonly string[], i: number): boolean {
  const first = lines[i]!.trim();
  if (first.length > MAX_HEADER_LINE || !FROM_FIELD.test(first)) return false;
  let fields = 0;
  for (let j = i + 1; j < lines.length && j <= i + 8; j++) {
    const line = lines[j]!.trim();
    if (line === "") {
      if (fields > 0) break;
      continue;
    }
    if (line.length <= MAX_HEADER_LINE && OTHER_FIELD.test(line)) fields++;
    // Outlook may wrap a long To: or Cc: list onto a following line; other lines end the block.
  }
  return fields >= 2;
}

/** The line before `index`, skipping blank lines, or -1. */
function previousNonBlank(lines: readonly string[], index: number): number {
  let i = index - 1;
  while (i >= 0 && isBlank(lines[i]!)) i--;
  return i;
}

/** An attribution line in a language or shape not listed above: ends with ":" and names an address. */
function looksLikeAttribution(line: string): boolean {
  const trimmed = unquote(line).trim();
  return trimmed.length <= MAX_HEADER_LINE && /:\s*$/.test(trimmed) && (/@/.test(trimmed) || ATTRIBUTION_END.test(trimmed));
}

/** Where the quoted history starts (a line index), or lines.length when there is none. */
function firstCut(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (hasMarker(line)) {
      const above = previousNonBlank(lines, i);
      return above >= 0 && i - above <= 3 && looksLikeAttribution(lines[above]!) ? above : i;
    }
    const trimmed = line.trim();
    if (trimmed.length > MAX_HEADER_LINE) continue;
    if (ORIGINAL_MESSAGE.test(trimmed) || isAttributionAt(lines, i)) return i;
    if (isOutlookHeaderAt(lines, i)) {
      const above = previousNonBlank(lines, i);
      return above >= 0 && i - above <= 2 && OUTLOOK_SEPARATOR.test(lines[above]!.trim()) ? above : i;
    }
  }
  return lines.length;
}

/** Drops a block of "> " lines at the end (and an attribution line right above it). */
function withoutTrailingQuote(lines: readonly string[]): readonly string[] {
  let end = lines.length;
  let quoted = false;
  while (end > 0) {
    const line = lines[end - 1]!;
    if (isBlank(line)) end--;
    else if (/^\s*>/.test(line)) {
      quoted = true;
      end--;
    } else break;
  }
  if (!quoted) return lines;
  const above = previousNonBlank(lines, end);
  if (above >= 0 && above === end - 1 && looksLikeAttribution(lines[above]!)) end = above;
  return lines.slice(0, end);
}

/** Drops a short signature after the last "-- " line. */
function withoutSignature(lines: readonly string[]): readonly string[] {
  for (let i = lines.length - 1; i >= 0 && lines.length - i <= MAX_SIGNATURE_LINES + 1; i--) {
    if (SIGNATURE.test(lines[i]!)) return lines.slice(0, i);
  }
  return lines;
}

function trimmedText(lines: readonly string[]): string {
  return lines
    .join("\n")
    .replace(/\s+$/, "")
    .replace(/^(?:[ \t]*\n)+/, "");
}

/** The new part of an emailed answer; see the rules at the top of this file. */
export function stripQuotedReply(text: string): QuotedReply {
  const whole = text.replace(/\r\n?/g, "\n");
  const original = trimmedText(whole.split("\n"));
  let lines: readonly string[] = whole.split("\n");
  lines = lines.slice(0, firstCut(lines));
  lines = withoutTrailingQuote(lines);
  const beforeSignature = trimmedText(lines);
  const afterSignature = trimmedText(withoutSignature(lines));
  const kept = afterSignature.trim() ? afterSignature : beforeSignature;
  if (!kept.trim()) return { text: original, stripped: false };
  return { text: kept, stripped: kept !== original };
}

// ───────────────────────────── HTML ─────────────────────────────

/**
 * The HTML of an email up to where its mail program put the quoted conversation, or null when no
 * quote container is found:
 *   - Gmail: an element with class "gmail_quote" (holds the "On … wrote:" line and the quote);
 *   - Apple Mail (and others): <blockquote type="cite">;
 *   - Outlook on the web / new Outlook: <div id="appendonsend">, <hr> + <div id="divRplyFwdMsg">;
 *   - Outlook for Windows: the <div style="border:none;border-top:solid …"> holding "From: … Sent: …";
 *   - Thunderbird: <div class="moz-cite-prefix">; Yahoo: <div class="yahoo_quoted">.
 * A single scan over the tags (no backtracking patterns over the document), so a hostile body costs linear time.
 */
export function cutQuotedHtml(html: string): string | null {
  const lower = html.toLowerCase();
  let lastHr = -1;
  let i = lower.indexOf("<");
  while (i !== -1) {
    const name = /^<([a-z][a-z0-9]*)/.exec(lower.slice(i, i + 16))?.[1];
    let next = i + 1;
    if (name === "div" || name === "blockquote" || name === "hr") {
      const close = lower.indexOf(">", i);
      if (close === -1) return null;
      // The scan goes on after this tag's ">" (a "<" inside it is attribute text, not a tag): every
      // character is searched once, so "<div <div <div …" costs linear time, not a search to the end per "<".
      next = close + 1;
      // Attributes past 4 KB are not a mail program's markers.
      const tag = lower.slice(i, Math.min(close + 1, i + 4096));
      if (name === "hr") lastHr = i;
      else if (isQuoteContainer(name, tag, lower, close)) {
        // OWA puts <hr> right before divRplyFwdMsg: cut there, so the rule goes too.
        const hrRightBefore = lastHr !== -1 && i - lastHr < 512 && !/\S/.test(stripTags(lower.slice(lastHr, i)));
        const cutAt = tag.includes("divrplyfwdmsg") && hrRightBefore ? lastHr : i;
        return html.slice(0, cutAt);
      }
    }
    i = lower.indexOf("<", next);
  }
  return null;
}

const ATTRIBUTE_VALUE = {
  class: /\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/,
  id: /\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/,
};

function classOrIdHas(tag: string, attribute: "class" | "id", word: string): boolean {
  const value = ATTRIBUTE_VALUE[attribute].exec(tag);
  const text = value ? (value[1] ?? value[2] ?? value[3] ?? "") : "";
  return text.split(/\s+/).includes(word);
}

function isQuoteContainer(name: string, tag: string, lower: string, tagEnd: number): boolean {
  if (classOrIdHas(tag, "class", "gmail_quote") || classOrIdHas(tag, "class", "gmail_quote_container")) return true;
  if (name === "blockquote") return /\stype\s*=\s*["']?cite\b/.test(tag);
  if (classOrIdHas(tag, "id", "appendonsend") || classOrIdHas(tag, "id", "divrplyfwdmsg")) return true;
  if (classOrIdHas(tag, "class", "moz-cite-prefix") || classOrIdHas(tag, "class", "yahoo_quoted")) return true;
  const style = /\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(tag);
  const css = (style?.[1] ?? style?.[2] ?? "").replace(/\s+/g, "");
  if (css.includes("border-top:solid")) {
    // Outlook's header block: a "From:" (or a translation) early inside it.
    const inside = stripTags(lower.slice(tagEnd + 1, tagEnd + 2000));
    return /(?:^|\s)(?:from|von|de|van|da|från|fra|od)\s?:/.test(inside);
  }
  return false;
}

function stripTags(html: string): string {
  return html.replace(/<[^>]{0,4096}>/g, " ").replace(/&nbsp;/g, " ");
}
