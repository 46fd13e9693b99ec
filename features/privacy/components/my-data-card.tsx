import { buttonClasses } from "@/ui/button";

/** On the portal page: the customer's copy of their data (GDPR Art. 15), a ZIP download. */
export function MyDataCard() {
  return (
    <section aria-labelledby="my-data" className="mt-8 rounded-xl border border-slate-200 bg-white p-6 shadow-sm">
      <h2 id="my-data" className="mb-2 text-lg font-semibold">
        Your data
      </h2>
      <p className="mb-3 text-sm text-slate-600">
        Download a copy of what we hold about you: your account, contact details, agreements, your tickets with their messages and attachments, and your account
        history. It comes as a ZIP file with a data.json file inside.
      </p>
      {/* A plain link: the browser downloads the file itself (no script, works without JavaScript). */}
      <a href="/portal/my-data" download className={buttonClasses("secondary")}>
        Download my data
      </a>
    </section>
  );
}
