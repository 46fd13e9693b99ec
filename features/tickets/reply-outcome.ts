/**
 * What the agent composer says after a public reply, read from the reply service's answer
 * (replyAsAgent → sendAgentReply): "emailed to X" only when the server queued the email.
 * Browser-safe.
 */
export function replyOutcome(
  reply: { emailedTo: string | null; notEmailedBecause: string | null; status?: string },
  thenStatus?: "pending" | "solved",
): { tone: "success" | "warning"; text: string } {
  const status = thenStatus && reply.status === thenStatus ? (thenStatus === "solved" ? " Ticket marked solved." : " Ticket set to pending.") : "";
  if (reply.emailedTo) return { tone: "success", text: `Reply saved and emailed to ${reply.emailedTo}.${status}` };
  return { tone: "warning", text: `Reply saved but not emailed: ${reply.notEmailedBecause ?? "no email address to send it to"}.${status}` };
}
