"use client";

import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from "react";
import { Alert } from "@/ui/alert";

type Tone = "success" | "error";
type Message = { tone: Tone; text: string; key: number; focus: boolean };
type Announce = (tone: Tone, text: string, options?: { focus?: boolean }) => void;
const AnnounceContext = createContext<Announce>(() => {});
const FocusContext = createContext<() => void>(() => {});

/**
 * One announced result line above a list of escalations. It lives outside the rows because a row
 * disappears from a filtered queue after its action (claimed, resolved), and its result must not.
 * `focus` moves keyboard focus to the message: the button that was pressed may be gone, and focus
 * must not fall back to the top of the page.
 */
export function EscalationFeedback({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<Message | null>(null);
  const messageRef = useRef<HTMLDivElement>(null);
  const announce = useCallback<Announce>((tone, text, options) => setMessage({ tone, text, key: Date.now(), focus: options?.focus ?? false }), []);
  // Focuses the message already shown (same key: it is not announced twice).
  const focusMessage = useCallback(() => setMessage((current) => (current ? { ...current, focus: true } : current)), []);
  useEffect(() => {
    if (message?.focus) messageRef.current?.focus();
  }, [message]);
  return (
    <AnnounceContext.Provider value={announce}>
      <FocusContext.Provider value={focusMessage}>
        <div className="mb-3 empty:hidden" data-testid="escalation-feedback">
          {message ? (
            <div
              key={message.key}
              ref={messageRef}
              tabIndex={-1}
              className="rounded-md outline-none focus-visible:ring-2 focus-visible:ring-brand-600 focus-visible:ring-offset-2"
            >
              <Alert tone={message.tone}>{message.text}</Alert>
            </div>
          ) : null}
        </div>
        {children}
      </FocusContext.Provider>
    </AnnounceContext.Provider>
  );
}

export const useAnnounce = () => useContext(AnnounceContext);
/** Moves focus to the result line already announced (when the row that was acted on is gone). */
export const useFocusAnnouncement = () => useContext(FocusContext);
