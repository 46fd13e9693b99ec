import { receiveImportUpload } from "@/features/data-quality/import/upload-route";
import { authorizedRoute } from "@/platform/auth/guard";

export const POST = authorizedRoute("supervisor", (request, actor) => receiveImportUpload(request, actor));
