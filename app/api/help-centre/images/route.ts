import { authorizedRoute } from "@/platform/auth/guard";
import { receiveKbImage } from "@/features/help-centre/images";

/** POST: an image for help-centre articles (the body is the file, its name in X-File-Name). */
export const POST = authorizedRoute("console", receiveKbImage);
