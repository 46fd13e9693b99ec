import { z } from "zod";

/** "Sign out" of one of one's own sessions on the security page. */
export const signOutSessionSchema = z.object({ sessionId: z.uuid("That is not a session of yours.") });
/** "Sign out and forget" one of one's own browsers on the security page. */
export const forgetDeviceSchema = z.object({ deviceId: z.uuid("That is not a device of yours.") });
