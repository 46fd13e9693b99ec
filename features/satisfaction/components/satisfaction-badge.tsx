import { Badge } from "@/ui/badge";
import type { SatisfactionRating } from "@/platform/db/generated/prisma/enums";

/** The requester's rating, as a small badge (queue row, ticket page): words and a sign, not colour alone. */
export function SatisfactionBadge({ rating }: { rating: SatisfactionRating }) {
  return (
    <Badge tone={rating === "good" ? "good" : "bad"}>
      <span aria-hidden="true" className="mr-1">
        {rating === "good" ? "☺" : "☹"}
      </span>
      Rated {rating === "good" ? "good" : "bad"}
    </Badge>
  );
}
