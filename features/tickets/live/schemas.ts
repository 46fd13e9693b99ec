import { z } from "zod";

/** What a ticket page's heartbeat reports: the agent has it open, is typing a reply, or left. */
export const presenceHeartbeatSchema = z.object({
  state: z.enum(["viewing", "replying", "gone"], { error: "State must be viewing, replying or gone." }),
});

export type PresenceHeartbeat = z.infer<typeof presenceHeartbeatSchema>;
