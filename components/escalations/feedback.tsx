"use client";

import { createContext, type ReactNode, useCallback, useContext, useState } from "react";
import { Alert } from "@/components/ui/alert";

type Message = { tone: "success" | "error"; text: string; key: number };
const AnnounceContext = createContext<(tone: Message["tone"], text: string) => void>(() => {});

/**
 * One announced result line above a list of escalations. It lives outside the rows because a row
 * disappears from a filtered queue after its action (claimed, resolved), and its result must not.
 */
export function EscalationFeedback({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<Message | null>(null);
  const announce = useCallback((tone: Message["tone"], text: string) => setMessage({ tone, text, key: Date.now() }), []);
  return (
    <AnnounceContext.Provider value={announce}>
      <div className="mb-3 empty:hidden" data-testid="escalation-feedback">
        {message ? (
          <div key={message.key}>
            <Alert tone={message.tone}>{message.text}</Alert>
          </div>
        ) : null}
      </div>
      {children}
    </AnnounceContext.Provider>
  );
}

export const useAnnounce = () => useContext(AnnounceContext);
