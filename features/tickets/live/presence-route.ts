import "server-only";
import type { Actor } from "@/platform/auth/sessions";
import { DomainError } from "@/platform/errors";
import { isUuid } from "@/platform/ids";
import { unstorableTextPaths } from "@/platform/text/schemas";
import { recordPresence } from "@/features/tickets/live/presence";
import { presenceHeartbeatSchema } from "@/features/tickets/live/schemas";

/** A heartbeat is a few bytes of JSON; anything larger is not one. */
const MAX_HEARTBEAT_BYTES = 1024;

const refuse = (status: number, error: string) => Response.json({ error }, { status });

/** POST /api/live/tickets/:id/presence from the agent ticket page (staff, checked by the guard): 204 when recorded. */
export async function presenceHeartbeatResponse(request: Request, actor: Actor, params: Record<string, string | string[]>): Promise<Response> {
  const ticketId = params.id;
  if (typeof ticketId !== "string" || !isUuid(ticketId)) return refuse(404, "This ticket does not exist.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (Number.isFinite(declared) && declared > MAX_HEARTBEAT_BYTES) return refuse(413, "A presence heartbeat is at most 1 KB of JSON.");
  let text = "";
  if (request.body) {
    const reader = request.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        if (text.length > MAX_HEARTBEAT_BYTES) {
          await reader.cancel().catch(() => {});
          return refuse(413, "A presence heartbeat is at most 1 KB of JSON.");
        }
      }
    } catch {
      // The page went away mid-request (a tab closed while its last heartbeat was in flight).
      return refuse(400, "The heartbeat arrived incomplete.");
    }
    text += decoder.decode();
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return refuse(400, 'Send JSON such as {"state":"viewing"}.');
  }
  if (unstorableTextPaths(json).length > 0) return refuse(400, "The heartbeat contains characters that cannot be stored.");
  const parsed = presenceHeartbeatSchema.safeParse(json);
  if (!parsed.success) return refuse(400, parsed.error.issues[0]?.message ?? "State must be viewing, replying or gone.");
  try {
    await recordPresence(actor.userId, ticketId, parsed.data);
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") return refuse(404, error.message);
    throw error;
  }
  return new Response(null, { status: 204 });
}
