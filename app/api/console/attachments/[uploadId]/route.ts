import { authorizedRoute } from "@/platform/auth/guard";
import { removeUpload } from "@/features/tickets/uploads/upload-route";

/** Removes one of the caller's own pending uploads. */
export const DELETE = authorizedRoute("console", removeUpload);
