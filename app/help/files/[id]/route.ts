import { currentActor, publicRoute } from "@/platform/auth/guard";
import { serveKbImage } from "@/features/help-centre/images";

/** Public on purpose: an image a public article shows (features/help-centre/images.ts decides who may see which). */
export const GET = publicRoute(async (_request, context) => serveKbImage(String((await context.params).id), await currentActor()));
