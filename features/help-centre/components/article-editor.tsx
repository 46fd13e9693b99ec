"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { previewArticleAction, saveArticleAction } from "@/features/help-centre/actions";
import { articleSchema, type ArticleInput } from "@/features/help-centre/schemas";
import { Alert } from "@/ui/alert";
import { SelectField, TextAreaField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

const VISIBILITY_WORDS = {
  draft: "Draft: only staff see it, in this editor",
  internal: "Internal: published for staff (search from the reply box)",
  public: "Public: published at /help for everyone",
} as const;

/** "Add an image": uploads it and puts its Markdown at the end of the article; progress and refusals announced. */
function ImageUpload({ onUploaded }: { onUploaded: (markdown: string) => void }) {
  const [state, setState] = useState<{ busy: boolean; message: string | null; error: boolean }>({ busy: false, message: null, error: false });
  async function upload(file: File) {
    setState({ busy: true, message: `Uploading ${file.name}…`, error: false });
    try {
      const response = await fetch("/api/help-centre/images", {
        method: "POST",
        headers: { "x-file-name": encodeURIComponent(file.name), "content-type": "application/octet-stream" },
        body: file,
      });
      const answer = (await response.json().catch(() => ({}))) as { markdown?: string; error?: string };
      if (!response.ok || !answer.markdown) return setState({ busy: false, message: answer.error ?? "The image could not be uploaded.", error: true });
      onUploaded(answer.markdown);
      setState({ busy: false, message: `${file.name} added at the end of the article.`, error: false });
    } catch {
      setState({ busy: false, message: "The image could not be uploaded. Check your connection and try again.", error: true });
    }
  }
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="kb-image" className="text-sm font-medium">
        Add an image
      </label>
      <input
        id="kb-image"
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        disabled={state.busy}
        aria-describedby="kb-image-status"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) void upload(file);
          event.target.value = "";
        }}
        className="text-sm"
      />
      <p id="kb-image-status" role={state.error ? "alert" : "status"} className={`text-sm ${state.error ? "text-red-700" : "text-slate-600"}`}>
        {state.message ?? "PNG, JPEG, GIF or WebP, up to 5 MB."}
      </p>
    </div>
  );
}

/**
 * Writing an article: Markdown with a live preview rendered by the server's own renderer (so the
 * preview is exactly the page), debounced while typing. Saving a copy someone else has saved
 * since is refused with a clear message (the version travels with the form).
 */
export function ArticleEditor({
  initial,
  categories,
  createdNotice,
}: {
  initial: ArticleInput & { articleId?: string; expectedVersion?: number };
  categories: { id: string; name: string }[];
  /** Shown on arrival after creating the article (the new page's editor is a new component). */
  createdNotice?: string;
}) {
  const router = useRouter();
  const form = useActionForm(articleSchema, saveArticleAction, {
    defaultValues: initial,
    fields: ["title", "slug", "categoryId", "locale", "visibility", "body"],
    onSuccess: (saved) => {
      if (!initial.articleId) {
        // The article's own page says it was created (?saved=1): this editor is about to go.
        router.push(`/console/help-centre/${saved.articleId}?saved=1`);
        return;
      }
      form.setValue("expectedVersion", saved.version);
      form.setValue("slug", saved.slug);
      router.refresh();
      return `Saved as version ${saved.version}.`;
    },
  });

  const { setNotice } = form;
  useEffect(() => {
    if (!createdNotice || !initial.articleId) return;
    setNotice(createdNotice);
    // Said once: the address loses ?saved=1, so a later save or a reload does not announce the creation again.
    router.replace(`/console/help-centre/${initial.articleId}`, { scroll: false });
  }, [createdNotice, setNotice, router, initial.articleId]);

  const body = form.watch("body") ?? "";
  const [preview, setPreview] = useState<{ html: string; error: string | null }>({ html: "", error: null });
  const latest = useRef(0);
  useEffect(() => {
    const request = ++latest.current;
    const timer = setTimeout(async () => {
      const result = await previewArticleAction({ body });
      if (request !== latest.current) return;
      setPreview(result.ok ? { html: result.data.html, error: null } : { html: "", error: result.error });
    }, 300);
    return () => clearTimeout(timer);
  }, [body]);

  return (
    <form onSubmit={form.submit} noValidate aria-label="Article" className="flex flex-col gap-4">
      {form.notice ? <Alert tone="success">{form.notice}</Alert> : null}
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <TextField label="Title" error={form.errors.title?.message} {...form.register("title")} />
      <div className="grid gap-4 md:grid-cols-3">
        <TextField
          label="Address"
          hint="The end of the article's link: /help/articles/…. Made from the title when left blank."
          spellCheck={false}
          error={form.errors.slug?.message}
          {...form.register("slug")}
        />
        <SelectField label="Category" error={form.errors.categoryId?.message} {...form.register("categoryId")}>
          <option value="">No category</option>
          {categories.map((category) => (
            <option key={category.id} value={category.id}>
              {category.name}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Language"
          hint='A language tag: "en", "de", "pt-BR".'
          spellCheck={false}
          error={form.errors.locale?.message}
          {...form.register("locale")}
        />
      </div>
      <SelectField label="Who can read it" error={form.errors.visibility?.message} {...form.register("visibility")}>
        {(Object.keys(VISIBILITY_WORDS) as (keyof typeof VISIBILITY_WORDS)[]).map((value) => (
          <option key={value} value={value}>
            {VISIBILITY_WORDS[value]}
          </option>
        ))}
      </SelectField>
      <div className="grid gap-4 lg:grid-cols-2">
        <TextAreaField
          label="Article (Markdown)"
          hint="# Heading, **bold**, - lists, [link](https://…), `code`. Raw HTML is shown as text."
          rows={18}
          className="font-mono"
          error={form.errors.body?.message}
          {...form.register("body")}
        />
        <section aria-labelledby="preview-heading" className="flex min-w-0 flex-col gap-1">
          <h2 id="preview-heading" className="text-sm font-medium text-slate-900">
            Preview
          </h2>
          <div className="min-h-40 rounded-md border border-slate-200 bg-white p-4" data-testid="article-preview">
            {preview.error ? (
              <p className="text-sm text-red-700">{preview.error}</p>
            ) : (
              // Safe: the server's sanitised rendering (features/help-centre/markdown.ts).
              <div className="article-body" dangerouslySetInnerHTML={{ __html: preview.html }} />
            )}
          </div>
        </section>
      </div>
      <ImageUpload
        onUploaded={(markdown) => {
          // What is in the box now: the agent may have typed on while the image uploaded.
          const current = form.getValues("body") ?? "";
          form.setValue("body", current ? `${current}\n\n${markdown}` : markdown, { shouldDirty: true });
        }}
      />
      <div>
        <SubmitButton pending={form.pending} busy="Saving…">
          {initial.articleId ? "Save changes" : "Save article"}
        </SubmitButton>
      </div>
    </form>
  );
}
