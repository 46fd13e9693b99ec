import type { Excerpt } from "@/features/help-centre/articles";

/** A search hit's excerpt with the matched words marked; every part is text, so nothing in an article becomes markup. */
export function ExcerptText({ excerpt }: { excerpt: Excerpt }) {
  return (
    <>
      {excerpt.map((part, index) =>
        part.match ? (
          // Index keys: the parts of one excerpt never move.
          <mark key={index} className="rounded bg-amber-100 px-0.5 text-inherit">
            {part.text}
          </mark>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}
