import "server-only";
import { redirect } from "next/navigation";
import { currentActor } from "@/platform/auth/guard";
import { homePathFor, safeReturnPath } from "@/platform/auth/policy";

// Public by design: it only forwards. Signed in → the page asked for (whose own guard still
// checks the role) or the role's home; anonymous → sign-in.
export default async function AfterSignIn({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  const target = safeReturnPath((await searchParams).callbackUrl);
  redirect(target && target !== "/" ? target : homePathFor(actor.role));
}
