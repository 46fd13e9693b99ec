"use server";

import "server-only";

import { authorizedAction, requestIp } from "@/platform/auth/guard";
import { applySafeFixes, undoSafeFixes } from "@/features/data-quality/cleansing/safe-fixes";
import { decideSuggestion, decideSuggestions, proposeCleansing } from "@/features/data-quality/cleansing/suggestions";
import { decideSuggestionSchema, decideSuggestionsSchema, noInputSchema, undoSafeFixesSchema } from "@/features/data-quality/cleansing/schemas";

/** The cleansing page's actions: supervisors only; every change audited with ids, never values. */

const staff = (actor: { userId: string; role: import("@/platform/db/client").Role }) => ({ userId: actor.userId, role: actor.role });

export const applySafeFixesAction = authorizedAction("supervisor", noInputSchema, async (_input, actor) => applySafeFixes(staff(actor), await requestIp()));

export const undoSafeFixesAction = authorizedAction("supervisor", undoSafeFixesSchema, async (input, actor) =>
  undoSafeFixes(input.changeSetId, staff(actor), await requestIp()),
);

export const proposeCleansingAction = authorizedAction("supervisor", noInputSchema, async () => {
  const result = await proposeCleansing();
  return {
    message: `${result.open.toLocaleString("en")} open ${result.open === 1 ? "suggestion" : "suggestions"} (${result.opened.toLocaleString("en")} new or changed, ${result.obsoleted.toLocaleString("en")} no longer apply).`,
  };
});

export const decideSuggestionAction = authorizedAction("supervisor", decideSuggestionSchema, async (input, actor) =>
  decideSuggestion(input, staff(actor), await requestIp()),
);

export const decideSuggestionsAction = authorizedAction("supervisor", decideSuggestionsSchema, async (input, actor) =>
  decideSuggestions(input, staff(actor), await requestIp()),
);
