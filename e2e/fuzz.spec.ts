import { readdirSync, readFileSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join, relative } from "node:path";
import fc from "fast-check";
import { signWebhook } from "@/platform/webhook-signature";
import { type APIRequestContext, type APIResponse, E2E_INBOUND_EMAIL_SECRET, E2E_RESEND_WEBHOOK_SECRET, expect, test } from "./fixtures/test";

/**
 * Hostile input against the running build: every page (app/**\/page.tsx) with fuzzed query strings,
 * every route handler with fuzzed bodies (signed where the route checks a signature), and every
 * server action in the build's manifest with fuzzed arguments — anonymously, as a customer and as
 * an administrator. Any 5xx fails. The corpus is fixed (seeded fast-check samples), so a run is
 * repeatable; its size is printed.
 *
 * Requests carry their own X-Forwarded-For so per-address rate limits do not touch the other specs.
 */

const SEED = 16_04;
const FUZZ_IP = "198.51.100.16";
const distDir = process.env.NEXT_DIST_DIR || ".next";

// ───────────────────────────── The corpus ─────────────────────────────

const uuid = "00000000-0000-4000-8000-000000000016";
const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");
const IMPOSSIBLE_INSTANTS = [
  "2026-02-30T10:00:00.000Z",
  "0000-01-01T00:00:00.000Z",
  "2026-13-01T00:00:00.000Z",
  "2026-01-01T24:00:00.000Z",
  "9999-12-31T23:59:59.999Z",
];

/** Text values as JavaScript strings (lone surrogates included: they reach actions through JSON). */
const hostileText = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udc00y",
    "😀".slice(0, 1),
    "_",
    "",
    " ",
    "0000-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-02-30",
    "-1",
    "1e309",
    "NaN",
    "$1",
    "$$",
    "$@0",
    "../../etc/passwd",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
    "<script>x</script>",
    "'; drop table",
    "\u202e",
    "%00",
    "x".repeat(20_000),
    ...IMPOSSIBLE_INSTANTS,
    ...["u", "o", "n", "p"].flatMap((code) => IMPOSSIBLE_INSTANTS.map((at) => cursor([code, at, uuid, "high"].slice(0, code === "p" ? 4 : 3)))),
    `${IMPOSSIBLE_INSTANTS[0]}_${uuid}`,
    uuid,
  ),
  fc.string({ unit: "binary", maxLength: 30 }),
);

/** One query value as it travels in a URL: lone surrogates as the UTF-8 bytes a client would send. */
function encodeQueryValue(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    out += code >= 0xd800 && code <= 0xdfff ? "%ED%A0%80" : encodeURIComponent(char);
  }
  return out;
}

const QUERY_KEYS = [
  "q",
  "callbackUrl",
  "from",
  "to",
  "after",
  "before",
  "status",
  "sort",
  "priority",
  "assignee",
  "channel",
  "identity",
  "entitlement",
  "token",
  "days",
  "created",
  "required",
  "verified",
  "signedOut",
  "filter",
  "cursor",
  "actor",
  "action",
  "subjectType",
  "subjectId",
  "ip",
  "id",
  "error",
];

const queryString = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })), hostileText, fc.boolean()), { minLength: 1, maxLength: 4 })
  .map((pairs) =>
    pairs
      .flatMap(([key, value, repeat]) => {
        const one = `${encodeQueryValue(key)}=${encodeQueryValue(value)}`;
        return repeat ? [one, `${encodeQueryValue(key)}=${encodeQueryValue(value)}x`] : [one];
      })
      .join("&"),
  );

const FIELDS = [
  "subject",
  "description",
  "body",
  "note",
  "reason",
  "outcome",
  "name",
  "company",
  "email",
  "password",
  "confirmPassword",
  "currentPassword",
  "token",
  "code",
  "ticketId",
  "customerId",
  "userId",
  "id",
  "escalationId",
  "agentId",
  "channelRef",
  "fullName",
  "accountOrEmail",
  "phone",
  "phoneCountry",
  "accountHint",
  "reference",
  "tier",
  "startsOn",
  "endsOn",
  "agreementId",
  "title",
  "category",
  "priority",
  "status",
  "kind",
  "role",
  "scope",
  "timeZone",
  "idempotencyKey",
];

const actionArgument = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), hostileText, { maxKeys: 6 }),
  fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(hostileText, fc.integer(), fc.constant(null), fc.array(hostileText, { maxLength: 2 })), { maxKeys: 6 }),
  hostileText,
  fc.constant(null),
);

const jsonBody = fc.oneof(
  fc.dictionary(fc.string({ maxLength: 10 }), fc.oneof(hostileText, fc.integer(), fc.array(hostileText, { maxLength: 3 }))),
  fc.record({
    from: fc.oneof(hostileText, fc.constant("jane@example.com"), fc.record({ address: hostileText, name: hostileText })),
    to: fc.oneof(hostileText, fc.constant("support@veridesk.test")),
    subject: fc.oneof(hostileText, fc.constant(`${"Lost emoji ".repeat(90)}😀😀`)),
    text: hostileText,
    html: hostileText,
    messageId: hostileText,
    inReplyTo: hostileText,
    references: fc.array(hostileText, { maxLength: 3 }),
    headers: fc.dictionary(fc.constantFrom("Authentication-Results", "Auto-Submitted", "X-Anything"), hostileText),
  }),
  fc.record({
    type: fc.constantFrom("email.sent", "email.delivered", "email.bounced", "email.complained", "email.failed", "email.received", "email.delivery_delayed"),
    created_at: hostileText,
    data: fc.record({
      email_id: hostileText,
      created_at: hostileText,
      from: hostileText,
      to: fc.array(hostileText, { maxLength: 2 }),
      subject: hostileText,
      bounce: fc.record({ message: hostileText }),
    }),
  }),
);

const sample = <T>(arbitrary: fc.Arbitrary<T>, count: number, salt: number): T[] => fc.sample(arbitrary, { seed: SEED + salt, numRuns: count });

// ───────────────────────────── What to hit ─────────────────────────────

function filesNamed(dir: string, name: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...filesNamed(path, name));
    else if (entry === name) found.push(path);
  }
  return found;
}

/** URL paths of app/**\/<file>, dynamic segments filled with a hostile or well-formed value. */
function routePaths(file: string, segment: string): string[] {
  return filesNamed("app", file).map((path) => {
    const route = `/${relative("app", path).split("/").slice(0, -1).join("/")}`;
    return route.replace(/\[\.\.\.[^\]]+\]/g, "session").replace(/\[[^\]]+\]/g, segment);
  });
}

const SEGMENTS = [uuid, "x%ED%A0%80"];
const PAGES = [...new Set(SEGMENTS.flatMap((segment) => routePaths("page.tsx", segment)))].sort();
const ROUTES = [...new Set(SEGMENTS.flatMap((segment) => routePaths("route.ts", segment)))].sort();

type ActionEntry = { id: string; name: string; path: string };
function serverActions(): ActionEntry[] {
  const manifest = JSON.parse(readFileSync(join(distDir, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { workers: Record<string, unknown>; exportedName?: string; filename?: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    // Any page that loads the action can run it: prefer one without dynamic segments.
    const workers = Object.keys(entry.workers).filter((worker) => worker.endsWith("/page"));
    const worker = workers.find((candidate) => !candidate.includes("[")) ?? workers[0] ?? "app/page";
    const path = `/${worker.replace(/^app\//, "").replace(/\/?page$/, "")}`.replace(/\[[^\]]+\]/g, uuid);
    return { id, name: `${entry.filename ?? "?"}#${entry.exportedName ?? "?"}`, path };
  });
}

/** Free-text fields: in a template they carry the hostile text; everything else is well-formed. */
const TEXT_FIELDS = [
  "subject",
  "description",
  "body",
  "note",
  "outcome",
  "reason",
  "title",
  "name",
  "company",
  "fullName",
  "accountOrEmail",
  "q",
  "token",
  "reference",
];
const TEMPLATE_POISON = ["\u0000", "\ud800", "a\u0000b\ud83d"];

/**
 * A plausible, valid-looking argument for any action (real ids where the role can see some) with
 * every free-text field poisoned: the input that used to get through validation to PostgreSQL.
 * Each also carries an unknown field holding a NUL, so once fixed none of them changes any data.
 */
function templates(ids: Ids): Record<string, unknown>[] {
  const base: Record<string, unknown> = {
    subject: "Fuzz subject",
    description: "A long enough fuzz text for validation.",
    body: "A long enough fuzz text for validation.",
    note: "A long enough fuzz text for validation.",
    outcome: "A long enough fuzz text for validation.",
    reason: "A long enough fuzz text for validation.",
    title: "Fuzz title",
    name: "Fuzz Name",
    company: "Fuzz Company",
    fullName: "Maya Patel",
    accountOrEmail: "maya.patel@northwind.example",
    q: "maya",
    token: "fuzz-token",
    reference: "SA-FUZZ-1",
    email: "fuzz@example.com",
    newEmail: "fuzz@example.com",
    password: "correct horse battery staple 17",
    confirmPassword: "correct horse battery staple 17",
    currentPassword: "correct horse battery staple 16",
    code: "123456",
    category: "question",
    priority: "normal",
    status: "open",
    kind: "totp",
    role: "agent",
    tier: "basic",
    scope: "basic",
    channel: "phone",
    timeZone: "Europe/London",
    startsOn: "2026-01-01",
    endsOn: "2026-12-31",
    phone: "+44 7700 900000",
    phoneCountry: "GB",
    country: "GB",
    number: "+44 7700 900000",
    ticketId: ids.ticket ?? uuid,
    customerId: ids.customer ?? uuid,
    userId: ids.user ?? uuid,
    id: ids.ticket ?? uuid,
    escalationId: uuid,
    agreementId: uuid,
    agentId: ids.user ?? uuid,
    channelRef: `email:${uuid}`,
    idempotencyKey: "00000000-0000-4000-8000-00000000f022",
  };
  return TEMPLATE_POISON.map((poison) => ({
    ...base,
    ...Object.fromEntries(TEXT_FIELDS.map((field) => [field, `${base[field]}${poison}`])),
    comment: "\u0000",
  }));
}

type Ids = { ticket?: string; customer?: string; user?: string };

/** Ids the signed-in role can see, read from its pages' links. */
async function idsVisibleTo(request: APIRequestContext): Promise<Ids> {
  const html: string[] = [];
  for (const path of ["/console", "/portal", "/console/registrations", "/admin/staff"]) {
    const response = await request.get(path, { headers: { "X-Forwarded-For": FUZZ_IP }, maxRedirects: 0, failOnStatusCode: false });
    if (response.ok()) html.push(await response.text());
  }
  const first = (pattern: RegExp) => html.map((text) => pattern.exec(text)?.[1]).find(Boolean);
  const ticket = first(/\/(?:console|portal)\/tickets\/([0-9a-f-]{36})/);
  if (ticket) {
    const page = await request.get(`/console/tickets/${ticket}`, { headers: { "X-Forwarded-For": FUZZ_IP }, maxRedirects: 0, failOnStatusCode: false });
    if (page.ok()) html.push(await page.text());
  }
  return { ticket, customer: first(/\/console\/customers\/([0-9a-f-]{36})/), user: first(/\/console\/registrations\/([0-9a-f-]{36})/) };
}

/** Pages with every known query key set to one value: the crafted cases, besides the random ones. */
const DATE_KEYS: Record<string, string> = {
  from: "0000-01-01",
  to: "2026-02-30",
  after: cursor(["u", IMPOSSIBLE_INSTANTS[0], uuid]),
  before: cursor(["o", IMPOSSIBLE_INSTANTS[1], uuid]),
  cursor: `${IMPOSSIBLE_INSTANTS[0]}_${uuid}`,
};
const fixedQueries = [
  QUERY_KEYS.map((key) => `${key}=%00`).join("&"),
  QUERY_KEYS.map((key) => `${key}=_`).join("&"),
  QUERY_KEYS.map((key) => `${key}=${encodeQueryValue(DATE_KEYS[key] ?? IMPOSSIBLE_INSTANTS[2]!)}`).join("&"),
];

/** Inbound emails that must be taken in (2xx), not refused: content is cleaned or held, never lost. */
function inboundMustAccept(salt: string) {
  const cut = `${"x".repeat(996)}😀 tail`; // a subject cut at 998 used to end in half an emoji
  return [
    {
      messageId: `<fuzz-emoji-${salt}@example.com>`,
      from: "Emoji Sender <emoji.sender@example.com>",
      to: "support@veridesk.test",
      subject: cut,
      text: "Hello",
    },
    {
      messageId: `<fuzz-nul-${salt}@example.com>`,
      from: { address: "nul.sender@example.com", name: "N\u0000ul \ud800" },
      to: "support@veridesk.test",
      subject: "Bad\u0000 bytes \udc00",
      text: "a\u0000b\ud800c",
    },
    {
      messageId: `<fuzz-html-${salt}@example.com>`,
      from: "html.sender@example.com",
      to: "support@veridesk.test",
      subject: "HTML only",
      html: "<p>&#0;&#xD800;x\u0000</p>",
    },
  ];
}

// ───────────────────────────── Running it ─────────────────────────────

type Outcome = { label: string; status: number; body: string };

async function hit(label: string, send: () => Promise<APIResponse>, outcomes: Outcome[]) {
  let response: APIResponse;
  try {
    response = await send();
  } catch (error) {
    outcomes.push({ label, status: 599, body: String(error).slice(0, 200) });
    return;
  }
  const status = response.status();
  outcomes.push({ label, status, body: status >= 500 ? (await response.text()).slice(0, 200) : "" });
}

/** GET of an event stream: the status once the headers arrive, then the stream is dropped. */
async function hitStream(label: string, request: APIRequestContext, url: URL, headers: Record<string, string>, outcomes: Outcome[]) {
  const cookies = (await request.storageState()).cookies.filter((cookie) => url.hostname === cookie.domain.replace(/^\./, ""));
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 20_000);
  try {
    const response = await fetch(url, {
      headers: { ...headers, Cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ") },
      redirect: "manual",
      signal: abort.signal,
    });
    outcomes.push({ label, status: response.status, body: response.status >= 500 ? (await response.text()).slice(0, 200) : "" });
  } catch (error) {
    outcomes.push({ label, status: 599, body: String(error).slice(0, 200) });
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

async function fuzzAll(request: APIRequestContext, who: string, baseURL: string, counts: { pages: number; actions: number; routes: number }) {
  const outcomes: Outcome[] = [];
  const headers = { "X-Forwarded-For": FUZZ_IP };
  const get = (url: string) => request.get(url, { headers, maxRedirects: 0, failOnStatusCode: false, timeout: 20_000 });

  for (const [index, path] of PAGES.entries()) {
    for (const query of [...fixedQueries, ...sample(queryString, counts.pages, index)])
      await hit(`${who} GET ${path}?${query}`, () => get(`${path}?${query}`), outcomes);
  }
  for (const path of ["/api/auth/session", "/api/auth/signin", "/api/auth/providers", "/api/auth/csrf", "/signin", "/signin/second-factor", "/after-sign-in"]) {
    for (const value of ["_", "x", "javascript:alert(1)", "%00", "_&callbackUrl=/"])
      await hit(`${who} GET ${path}?callbackUrl=${value}`, () => get(`${path}?callbackUrl=${value}`), outcomes);
  }

  const ids = await idsVisibleTo(request);

  for (const [index, action] of serverActions().entries()) {
    for (const argument of [...templates(ids), ...sample(actionArgument, counts.actions, 1000 + index)]) {
      const body = JSON.stringify([argument]).replace(/"\$/g, '"$$$$');
      await hit(
        `${who} ACTION ${action.name} ${body.slice(0, 120)}`,
        () =>
          request.post(action.path, {
            headers: { ...headers, "Next-Action": action.id, Origin: baseURL, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8" },
            data: body,
            maxRedirects: 0,
            failOnStatusCode: false,
            timeout: 20_000,
          }),
        outcomes,
      );
    }
  }
  // One body over the 1 MB server-action limit.
  const big = serverActions().find((action) => action.name.endsWith("#openTicket")) ?? serverActions()[0]!;
  const before = outcomes.length;
  await hit(
    `${who} ACTION ${big.name} (1.2 MB body)`,
    () =>
      request.post(big.path, {
        headers: { ...headers, "Next-Action": big.id, Origin: baseURL, Accept: "text/x-component", "Content-Type": "text/plain;charset=UTF-8" },
        data: JSON.stringify([{ subject: "big", description: "x".repeat(1_200_000) }]),
        maxRedirects: 0,
        failOnStatusCode: false,
      }),
    outcomes,
  );
  const oversized = outcomes[before]!;
  if (oversized.status !== 413)
    outcomes.push({ label: `${who} oversized action body answered ${oversized.status}, not 413`, status: 599, body: oversized.body });

  for (const [n, email] of inboundMustAccept(`${who}-${Date.now()}`).entries()) {
    const response = await request.post("/api/inbound", {
      headers: { ...headers, Authorization: `Bearer ${E2E_INBOUND_EMAIL_SECRET}`, "Content-Type": "application/json" },
      data: JSON.stringify(email),
      failOnStatusCode: false,
    });
    const status = response.status();
    // Refused (4xx) means the email is lost: count it as a failure like a 5xx.
    outcomes.push({
      label: `${who} inbound email #${n} must be taken in (got ${status})`,
      status: status >= 300 ? 598 : status,
      body: status >= 300 ? (await response.text()).slice(0, 200) : "",
    });
  }

  for (const [index, path] of ROUTES.entries()) {
    for (const [n, body] of sample(jsonBody, counts.routes, 2000 + index).entries()) {
      const payload = JSON.stringify(body);
      const signed = path.startsWith("/api/webhooks/") || path === "/api/inbound/resend" ? signWebhook({ secret: E2E_RESEND_WEBHOOK_SECRET, payload }) : {};
      const bearer: Record<string, string> = path === "/api/inbound" ? { Authorization: `Bearer ${E2E_INBOUND_EMAIL_SECRET}` } : {};
      // The sign-in endpoint is left alone: its failures count against demo accounts' lockouts.
      if (path.startsWith("/api/auth")) {
        await hit(`${who} GET ${path}`, () => get(`${path}?${sample(queryString, 1, 3000 + n)[0]}`), outcomes);
        continue;
      }
      const contentType = n % 4 === 3 && path === "/api/inbound" ? "message/rfc822" : "application/json";
      const data =
        contentType === "message/rfc822"
          ? `From: ${(body as { from?: unknown }).from}\r\nSubject: ${"Lost emoji ".repeat(90)}😀\u0000\r\nMessage-ID: <fuzz-${index}-${n}@example.com>\r\n\r\n${payload}`
          : payload;
      await hit(
        `${who} POST ${path} ${payload.slice(0, 120)}`,
        () =>
          request.post(path, { headers: { ...headers, ...signed, ...bearer, "Content-Type": contentType }, data, maxRedirects: 0, failOnStatusCode: false }),
        outcomes,
      );
      const query = sample(queryString, 1, 4000 + n)[0];
      // A live stream answers and then stays open: only its status is read.
      if (path.startsWith("/api/live/") && !path.endsWith("/presence"))
        await hitStream(`${who} GET ${path}`, request, new URL(`${path}?${query}`, baseURL), headers, outcomes);
      else await hit(`${who} GET ${path}`, () => get(`${path}?${query}`), outcomes);
    }
  }
  return outcomes;
}

function report(outcomes: Outcome[]) {
  const failures = outcomes.filter((outcome) => outcome.status >= 500);
  const http5xx = failures.filter((outcome) => outcome.status < 598).length;
  const lost = failures.filter((outcome) => outcome.status === 598).length;
  const requests = outcomes.filter((outcome) => outcome.status !== 599 || !outcome.label.includes("not 413")).length;
  console.log(`[fuzz] ${requests} requests, ${http5xx} answered 5xx, ${lost} inbound emails refused, ${failures.length} failures in all`);
  for (const failure of failures.slice(0, 40))
    console.log(`[fuzz] ${failure.status} ${failure.label.slice(0, 200)} → ${failure.body.replace(/\s+/g, " ").slice(0, 120)}`);
  return failures.map((failure) => `${failure.status} ${failure.label.slice(0, 160)}`);
}

// About 1,500 requests in all: ~10 s each on an idle machine; the bound leaves room for a busy one.
test.describe.configure({ timeout: 90_000 });

test("no page, route or server action answers 5xx to hostile input (anonymous)", async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const outcomes = await fuzzAll(request, "anonymous", baseURL!, { pages: 2, actions: 1, routes: 4 });
  await request.dispose();
  expect(report(outcomes)).toEqual([]);
});

test("no page, route or server action answers 5xx to hostile input (customer)", async ({ page, baseURL, users }) => {
  await page.goto("/signin");
  await users.signIn(page, "customer");
  const outcomes = await fuzzAll(page.request, "customer", baseURL!, { pages: 1, actions: 1, routes: 1 });
  expect(report(outcomes)).toEqual([]);
});

test("no page, route or server action answers 5xx to hostile input (administrator)", async ({ page, baseURL, users }) => {
  await page.goto("/signin");
  await users.signIn(page, "admin");
  const outcomes = await fuzzAll(page.request, "admin", baseURL!, { pages: 2, actions: 1, routes: 1 });
  expect(report(outcomes)).toEqual([]);
});

test("a chunked server-action body (no Content-Length) over 1 MB is refused with 411, not answered 500", async ({ baseURL }) => {
  const action = serverActions().find((entry) => entry.name.endsWith("#openTicket")) ?? serverActions()[0]!;
  const target = new URL(action.path, baseURL);
  const body = JSON.stringify([{ subject: "big", description: "x".repeat(1_200_000) }]);
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const sent = httpRequest(
      target,
      {
        method: "POST",
        headers: {
          "Next-Action": action.id,
          Origin: baseURL,
          Accept: "text/x-component",
          "Content-Type": "text/plain;charset=UTF-8",
          "Transfer-Encoding": "chunked",
          "X-Forwarded-For": FUZZ_IP,
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    // The server may answer before reading the whole body and close the connection.
    sent.on("error", (error) => reject(error));
    for (let at = 0; at < body.length; at += 64 * 1024) sent.write(body.slice(at, at + 64 * 1024));
    sent.end();
  });
  expect(status).toBe(411);
  expect(text).toContain("Content-Length");
});
