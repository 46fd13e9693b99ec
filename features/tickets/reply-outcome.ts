/**
 * What the agent composer says after a public reply, read from the reply service's answer
 * (replyAsAgent → sendAgentReply): "emailed to X" only when the server queued the email.
 * Browser-safe.
 */
export function replyOutcome(reply: { emailedTo: string | null; notEmailedBecause: string | null }): { tone: "success" | "warning"; text: string } {
  if (reply.emailedTo) return { tone: "success", text: `Reply saved and emailed to ${reply.emailedTo}.` };
  return { tone: "warning", text: `Reply saved but not emailed: ${reply.notEmailedBecause ?? "no email address to send it to"}.` };
}
