/**
 * Uploading, claiming and reading back the largest allowed file (25 MB by default) through the real
 * route handler and the PostgreSQL file store, and loading it for an email: time per step and the
 * process's peak memory. A throwaway database on TEST_DATABASE_SERVER (default 127.0.0.1:5432), dropped after.
 *
 *   npx tsx --conditions=react-server scripts/bench-uploads.ts [files=3] [megabytes=25]
 */
import { randomBytes, randomUUID } from "node:crypto";
import { dropDatabase, migrateDatabase } from "@/platform/db/database";
import { tinyPdf } from "@/platform/testing/sample-files";

const files = Number(process.argv[2] ?? 3);
const megabytes = Number(process.argv[3] ?? 25);
const server = process.env.TEST_DATABASE_SERVER ?? "postgresql://postgres@127.0.0.1:5432";
const url = `${server.replace(/\/$/, "")}/veridesk_unit_bench_${randomBytes(4).toString("hex")}`;
process.env.NEXTAUTH_SECRET ??= "bench-secret-bench-secret-bench-secret-0123";
process.env.VERIDESK_DEMO ??= "1";

await migrateDatabase(url);
process.env.DATABASE_URL = url;
const { db, disconnectDb } = await import("@/platform/db/client");
const { receiveUpload } = await import("@/features/tickets/uploads/upload-route");
const { createPortalTicket, replyAsAgent } = await import("@/features/tickets/desk");
const { attachmentFilesForEmail } = await import("@/features/tickets/attachment-files");

let peak = process.memoryUsage().rss;
const sample = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20);
const ms = (since: number) => `${Math.round(performance.now() - since)} ms`;

try {
  const person = async (role: "customer" | "agent") => {
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.com`, name: role, role, emailVerifiedAt: new Date() } });
    return { sessionId: randomUUID(), userId: user.id, role, name: user.name, email: user.email, customerId: null };
  };
  const customer = await person("customer");
  const agent = await person("agent");
  const ticket = await createPortalTicket(customer, { subject: "Bench", description: "Bench", category: "question", priority: "normal" });
  const content = new Uint8Array(megabytes * 1024 * 1024);
  content.set(tinyPdf());
  const baseline = process.memoryUsage().rss;
  console.log(`${files} × ${megabytes} MB PDF; RSS before: ${Math.round(baseline / 1024 / 1024)} MB`);
  const ids: string[] = [];
  for (let index = 0; index < files; index += 1) {
    const started = performance.now();
    const request = new Request("http://localhost/api/console/attachments", {
      method: "POST",
      body: content,
      headers: { "X-File-Name": `bench-${index}.pdf` },
    });
    const response = await receiveUpload(request, agent);
    const { id } = (await response.json()) as { id: string };
    ids.push(id);
    console.log(`  upload ${index + 1}: ${response.status} in ${ms(started)}`);
  }
  for (const id of ids) {
    const started = performance.now();
    await replyAsAgent(agent, { ticketId: ticket.id, body: "Bench reply", attachmentIds: [id] });
    console.log(`  reply claiming it: ${ms(started)}`);
    const loading = performance.now();
    const [file] = await attachmentFilesForEmail([id]);
    console.log(`  loaded for the email (${file!.content.byteLength} bytes): ${ms(loading)}`);
  }
  console.log(`peak RSS ${Math.round(peak / 1024 / 1024)} MB (${Math.round((peak - baseline) / 1024 / 1024)} MB above the start)`);
} finally {
  clearInterval(sample);
  await disconnectDb();
  await dropDatabase(url);
}
