import type { BadgeTone } from "@/ui/badge";

/** How each visibility is named and coloured on staff pages. */
export const VISIBILITY_LABEL = { draft: "Draft", internal: "Internal", public: "Public" } as const;
export const VISIBILITY_TONE: Record<keyof typeof VISIBILITY_LABEL, BadgeTone> = { draft: "neutral", internal: "info", public: "good" };
