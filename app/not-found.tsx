import { ButtonLink } from "@/ui/button";

export default function NotFound() {
  return (
    <section className="mx-auto max-w-lg rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-slate-600">There is nothing at this address, or it is not available to you.</p>
      <div className="mt-6 flex justify-center">
        <ButtonLink href="/">Go to the start page</ButtonLink>
      </div>
    </section>
  );
}
