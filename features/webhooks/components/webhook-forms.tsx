"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import {
  createWebhookEndpointAction,
  deleteWebhookEndpointAction,
  disableWebhookEndpointAction,
  enableWebhookEndpointAction,
  resendWebhookAction,
  rotateWebhookSecretAction,
  sendTestWebhookAction,
  setPrivateTargetsAllowedAction,
  updateWebhookEndpointAction,
} from "@/features/webhooks/actions";
import { WEBHOOK_EVENTS } from "@/features/webhooks/event-types";
import {
  allowPrivateTargetsSchema,
  createWebhookEndpointSchema,
  resendWebhookSchema,
  updateWebhookEndpointSchema,
  webhookEndpointRefSchema,
} from "@/features/webhooks/schemas";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";

type Outcome = { tone: "success" | "error"; text: string };

/** A message that takes focus when it appears, so screen readers and keyboards land on it. */
function FocusedOutcome({ outcome, children }: { outcome: Outcome | null; children?: React.ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome) ref.current?.focus();
  }, [outcome]);
  return (
    <div ref={ref} tabIndex={-1} aria-live="polite" className="outline-none">
      {outcome ? (
        <Alert tone={outcome.tone}>
          <p>{outcome.text}</p>
          {children}
        </Alert>
      ) : null}
    </div>
  );
}

/** The signing secret, shown once after creating or rotating, with a copy button. */
function SecretOnce({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <p className="mt-2 flex flex-wrap items-center gap-2">
      <code className="break-all rounded bg-white px-2 py-1 font-mono text-sm text-slate-900" aria-label="The signing secret">
        {secret}
      </code>
      <Button
        type="button"
        variant="secondary"
        onClick={async () => {
          await navigator.clipboard?.writeText(secret).catch(() => undefined);
          setCopied(true);
        }}
      >
        {copied ? "Copied" : "Copy"}
      </Button>
    </p>
  );
}

function EventCheckboxes({ register, error }: { register: ReturnType<typeof useActionForm>["register"]; error?: string }) {
  const id = useId();
  return (
    <fieldset aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-900">Events to send</legend>
      <div className="mt-2 grid gap-2 md:grid-cols-2">
        {WEBHOOK_EVENTS.map((event) => (
          <label key={event.type} className="flex items-start gap-3 text-sm text-slate-800">
            <input type="checkbox" value={event.type} {...register("events")} className="mt-0.5 h-4 w-4 shrink-0 rounded border-slate-300" />
            <span>
              <code className="font-mono">{event.type}</code> — {event.label}
            </span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={`${id}-error`} role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** "New endpoint": URL, description, events. The secret appears once. */
export function CreateWebhookEndpointForm() {
  const router = useRouter();
  const [created, setCreated] = useState<{ secret: string; endpointId: string } | null>(null);
  const form = useActionForm(createWebhookEndpointSchema, createWebhookEndpointAction, {
    defaultValues: { url: "", description: "", events: [] },
    fields: ["url", "description", "events"],
    onSuccess: (data) => {
      setCreated(data);
      form.reset({ url: "", description: "", events: [] });
      router.refresh();
    },
  });
  const eventsError = form.errors.events?.message ?? form.errors.events?.root?.message;
  return (
    <div className="flex flex-col gap-4">
      <FocusedOutcome
        outcome={
          created
            ? { tone: "success", text: "Endpoint added. Its signing secret is shown once: give it to the receiver, which verifies every delivery with it." }
            : null
        }
      >
        {created ? <SecretOnce secret={created.secret} /> : null}
      </FocusedOutcome>
      <form onSubmit={form.submit} noValidate aria-labelledby="new-endpoint-heading" className="flex flex-col gap-4">
        {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
        <div className="grid gap-4 md:grid-cols-2">
          <TextField
            label="URL"
            type="url"
            inputMode="url"
            autoComplete="off"
            hint="https://… where the receiving system listens."
            error={form.errors.url?.message}
            {...form.register("url")}
          />
          <TextField label="Description (optional)" autoComplete="off" error={form.errors.description?.message} {...form.register("description")} />
        </div>
        <EventCheckboxes register={form.register as never} error={eventsError} />
        <div>
          <SubmitButton pending={form.pending} busy="Adding…">
            Add endpoint
          </SubmitButton>
        </div>
      </form>
    </div>
  );
}

/** Edit URL, description and events of an existing endpoint. */
export function EditWebhookEndpointForm({ endpoint }: { endpoint: { id: string; url: string; description: string | null; events: string[] } }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const form = useActionForm(updateWebhookEndpointSchema, updateWebhookEndpointAction, {
    defaultValues: { endpointId: endpoint.id, url: endpoint.url, description: endpoint.description ?? "", events: endpoint.events as never },
    fields: ["url", "description", "events"],
    onSuccess: (data) => {
      setOutcome({ tone: "success", text: data.message });
      router.refresh();
    },
  });
  const eventsError = form.errors.events?.message ?? form.errors.events?.root?.message;
  return (
    <form onSubmit={form.submit} noValidate aria-labelledby="endpoint-settings-heading" className="flex flex-col gap-4">
      <FocusedOutcome outcome={outcome} />
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <input type="hidden" {...form.register("endpointId")} />
      <div className="grid gap-4 md:grid-cols-2">
        <TextField label="URL" type="url" inputMode="url" autoComplete="off" error={form.errors.url?.message} {...form.register("url")} />
        <TextField label="Description (optional)" autoComplete="off" error={form.errors.description?.message} {...form.register("description")} />
      </div>
      <EventCheckboxes register={form.register as never} error={eventsError} />
      <div>
        <SubmitButton pending={form.pending} busy="Saving…">
          Save
        </SubmitButton>
      </div>
    </form>
  );
}

type EndpointAction = typeof enableWebhookEndpointAction;

function EndpointButton({
  endpointId,
  action,
  label,
  busy,
  variant = "secondary",
  onDone,
}: {
  endpointId: string;
  action: EndpointAction | typeof rotateWebhookSecretAction;
  label: string;
  busy: string;
  variant?: "primary" | "secondary" | "danger";
  onDone: (data: { message?: string; secret?: string } | null, refusal?: string) => void;
}) {
  const form = useActionForm(webhookEndpointRefSchema, action as EndpointAction, {
    defaultValues: { endpointId },
    onSuccess: (data) => onDone(data as { message?: string; secret?: string }),
    onRefusal: (refusal) => {
      onDone(null, refusal.error);
      return true;
    },
  });
  return (
    <form onSubmit={form.submit} noValidate>
      <input type="hidden" {...form.register("endpointId")} />
      <SubmitButton variant={variant} pending={form.pending} busy={busy}>
        {label}
      </SubmitButton>
    </form>
  );
}

/** Enable / disable, send a test event, rotate the secret, delete. */
export function EndpointControls({ endpointId, enabled }: { endpointId: string; enabled: boolean }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const done = (data: { message?: string; secret?: string } | null, refusal?: string) => {
    if (refusal) return setOutcome({ tone: "error", text: refusal });
    if (data?.secret) {
      setSecret(data.secret);
      setOutcome({
        tone: "success",
        text: "New secret made. For 24 hours every delivery carries signatures with both the old and the new secret, so switch the receiver over within a day.",
      });
    } else {
      setSecret(null);
      setOutcome({ tone: "success", text: data?.message ?? "Done." });
    }
    router.refresh();
  };
  return (
    <div className="flex flex-col gap-3">
      <FocusedOutcome outcome={outcome}>{secret ? <SecretOnce secret={secret} /> : null}</FocusedOutcome>
      <div className="flex flex-wrap gap-2">
        {enabled ? (
          <>
            <EndpointButton endpointId={endpointId} action={sendTestWebhookAction} label="Send a test event" busy="Sending…" onDone={done} />
            <EndpointButton endpointId={endpointId} action={disableWebhookEndpointAction} label="Disable" busy="Disabling…" onDone={done} />
          </>
        ) : (
          <EndpointButton endpointId={endpointId} action={enableWebhookEndpointAction} label="Enable" busy="Enabling…" variant="primary" onDone={done} />
        )}
        <EndpointButton endpointId={endpointId} action={rotateWebhookSecretAction} label="Rotate secret" busy="Rotating…" onDone={done} />
        <EndpointButton
          endpointId={endpointId}
          action={deleteWebhookEndpointAction}
          label="Delete endpoint"
          busy="Deleting…"
          variant="danger"
          onDone={(data, refusal) => {
            if (refusal) return setOutcome({ tone: "error", text: refusal });
            router.push("/admin/webhooks");
            void data;
          }}
        />
      </div>
    </div>
  );
}

/** "Resend" on one delivery of the log. */
export function ResendButton({ endpointId, attemptId }: { endpointId: string; attemptId: string }) {
  const router = useRouter();
  const [result, setResult] = useState<string | null>(null);
  const form = useActionForm(resendWebhookSchema, resendWebhookAction, {
    defaultValues: { endpointId, attemptId },
    onSuccess: (data) => {
      setResult(data.message);
      router.refresh();
    },
    onRefusal: (refusal) => {
      setResult(refusal.error);
      return true;
    },
  });
  return (
    <form onSubmit={form.submit} noValidate className="flex flex-wrap items-center gap-2">
      <input type="hidden" {...form.register("endpointId")} />
      <input type="hidden" {...form.register("attemptId")} />
      <SubmitButton variant="secondary" pending={form.pending} busy="Queuing…" aria-label={`Resend delivery ${attemptId}`}>
        Resend
      </SubmitButton>
      {result ? (
        <span role="status" className="text-sm text-slate-700">
          {result}
        </span>
      ) : null}
    </form>
  );
}

/** The SSRF switch: off by default; on only for receivers inside the organisation's own network. */
export function PrivateTargetsToggle({ allowed }: { allowed: boolean }) {
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const form = useActionForm(allowPrivateTargetsSchema, setPrivateTargetsAllowedAction, {
    defaultValues: { allow: !allowed },
    onSuccess: (data) => {
      setOutcome({ tone: "success", text: data.message });
      router.refresh();
    },
  });
  // The refreshed page flips `allowed`; the next click must ask for the opposite again.
  const { setValue } = form;
  useEffect(() => setValue("allow", !allowed), [allowed, setValue]);
  return (
    <div className="flex flex-col gap-3">
      <FocusedOutcome outcome={outcome} />
      <p className="text-sm text-slate-700">
        {allowed
          ? "Webhooks may reach private, loopback and link-local addresses (receivers inside your own network)."
          : "Webhooks reach public addresses only: a URL whose name resolves to a private, loopback or link-local address is refused when it is sent to."}
      </p>
      <form onSubmit={form.submit} noValidate>
        <SubmitButton variant="secondary" pending={form.pending} busy="Saving…">
          {allowed ? "Allow public addresses only" : "Allow private addresses too"}
        </SubmitButton>
      </form>
    </div>
  );
}
