"use client";

import { useRouter } from "next/navigation";
import { startTicketAction } from "@/features/customers/actions";
import { Alert } from "@/ui/alert";
import { SelectField, TextField } from "@/ui/field";
import { SubmitButton } from "@/ui/forms/submit-button";
import { useActionForm } from "@/ui/forms/use-action-form";
import { CONVERSATION_CHANNEL_LABEL, CONVERSATION_CHANNELS, startConversationTicketSchema } from "@/features/tickets/phone-tickets-schemas";

/** Opens a phone or chat ticket for the customer, then goes to its page at "Verify caller". */
export function StartTicketForm({ customerId }: { customerId: string }) {
  const router = useRouter();
  const form = useActionForm(startConversationTicketSchema, (values) => startTicketAction({ ...values, customerId }), {
    defaultValues: { customerId, channel: "phone", subject: "" },
    fields: ["subject", "channel"],
    leaves: true,
    onSuccess: (data) => router.push(`/console/tickets/${data.id}#verify-caller`),
  });

  const { errors } = form;
  return (
    <form onSubmit={form.submit} noValidate className="flex max-w-xl flex-col gap-4">
      {form.formError ? <Alert tone="error">{form.formError}</Alert> : null}
      <SelectField label="How is the customer in touch?" error={errors.channel?.message} {...form.register("channel")}>
        {CONVERSATION_CHANNELS.map((channel) => (
          <option key={channel} value={channel}>
            {CONVERSATION_CHANNEL_LABEL[channel]}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Subject"
        hint="What the call or chat is about, in a few words."
        autoComplete="off"
        error={errors.subject?.message}
        {...form.register("subject")}
      />
      <div>
        <SubmitButton pending={form.pending} busy="Starting…">
          Start ticket
        </SubmitButton>
      </div>
    </form>
  );
}
