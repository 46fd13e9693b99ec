import "server-only";
import { redirect } from "next/navigation";
import { requirePageActor } from "@/platform/auth/guard";

/** The admin area has one section so far: staff roles. */
export default async function AdminPage() {
  await requirePageActor("admin");
  redirect("/admin/staff");
}
