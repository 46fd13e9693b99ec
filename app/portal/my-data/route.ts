import { authorizedRoute } from "@/platform/auth/guard";
import { exportRoute } from "@/features/privacy/export-route";

/** The signed-in customer's data as a ZIP (data.json and their attachments). */
export const GET = authorizedRoute("portal", exportRoute);
