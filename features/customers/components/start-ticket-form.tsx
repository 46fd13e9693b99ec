"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { startTicketAction } from "@/features/customers/actions";
import { showActionError } from "@/ui/forms/action-errors";
import { Alert } from "@/ui/alert";
import { Button } from "@/ui/button";
import { SelectField, TextField } from "@/ui/field";
import {
  CONVERSATION_CHANNEL_LABEL,
  CONVERSATION_CHANNELS,
  type StartConversationTicketInput,
  startConversationTicketSchema,
} from "@/features/tickets/phone-tickets-schemas";

/** Opens a phone or chat ticket for the customer, then goes to its page at "Verify caller". */
export function StartTicketForm({ customerId }: { customerId: string }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<StartConversationTicketInput>({
    resolver: zodResolver(startConversationTicketSchema),
    defaultValues: { customerId, channel: "phone", subject: "" },
  });

  async function start(values: StartConversationTicketInput) {
    setFormError(null);
    const result = await startTicketAction({ ...values, customerId });
    if (!result.ok) {
      setFormError(showActionError(result, form.setError, ["subject", "channel"]));
      return;
    }
    router.push(`/console/tickets/${result.data.id}#verify-caller`);
  }

  const { errors, isSubmitting, isSubmitSuccessful } = form.formState;
  return (
    <form onSubmit={form.handleSubmit(start)} noValidate className="flex max-w-xl flex-col gap-4">
      {formError ? <Alert tone="error">{formError}</Alert> : null}
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
        <Button type="submit" disabled={isSubmitting || isSubmitSuccessful}>
          {isSubmitting || isSubmitSuccessful ? "Starting…" : "Start ticket"}
        </Button>
      </div>
    </form>
  );
}
