import { authorizedRoute } from "@/platform/auth/guard";
import { receiveUpload } from "@/features/tickets/uploads/upload-route";

/** A file uploaded for a message not yet sent (pending, owned by the uploader). */
export const POST = authorizedRoute("console", receiveUpload);
