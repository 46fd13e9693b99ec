import { authorizedRoute } from "@/platform/auth/guard";
import { receiveUpload, removeUpload } from "@/features/tickets/uploads/upload-route";

/** POST: a file for a message not yet sent (pending, owned by the uploader). DELETE ?id=: removes one of the caller's own. */
export const POST = authorizedRoute("console", receiveUpload);
export const DELETE = authorizedRoute("console", removeUpload);
