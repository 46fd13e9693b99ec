import { ButtonLink } from "@/ui/button";

export default function Forbidden() {
  return (
    <section className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-2xl font-semibold">You do not have access to this page</h1>
      <p className="mt-2 text-sm text-slate-600">Your account is signed in, but its role does not allow this area. The attempt has been recorded.</p>
      <div className="mt-6 flex justify-center">
        <ButtonLink href="/">Go to my home page</ButtonLink>
      </div>
    </section>
  );
}
