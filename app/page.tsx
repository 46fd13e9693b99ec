import { redirect } from "next/navigation";
import { ButtonLink } from "@/ui/button";
import { currentActor } from "@/platform/auth/guard";
import { homePathFor } from "@/platform/auth/policy";

// Public landing page; signed-in people go straight to their home.
export default async function HomePage() {
  const actor = await currentActor();
  if (actor) redirect(homePathFor(actor.role));
  return (
    <section className="mx-auto max-w-2xl py-12 text-center">
      <h1 className="text-4xl font-bold tracking-tight text-slate-900">Support that knows who it is talking to</h1>
      <p className="mt-4 text-lg text-slate-600">
        Veridesk is the help desk where every ticket shows whether the requester proved their email and phone, which customer they belong to and whether their
        support agreement is valid.
      </p>
      <div className="mt-8 flex justify-center gap-3">
        <ButtonLink href="/signin">Sign in</ButtonLink>
        <ButtonLink href="/register" variant="secondary">
          Create an account
        </ButtonLink>
      </div>
    </section>
  );
}
