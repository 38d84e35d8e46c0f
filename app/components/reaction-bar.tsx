import { Form } from "@remix-run/react";

export const reactionLabels = {
  helpful: "Helpful",
  "me-too": "Me too",
  support: "Sending support",
} as const;

type Kind = keyof typeof reactionLabels;
const kinds = Object.keys(reactionLabels) as Kind[];

/**
 * What a screen reader says for a reaction: "Helpful, 3 members" rather than "Helpful 3".
 * It holds the visible text in order, label then count (even "0 members": a name without the
 * number would not match what is on screen), so a voice-control user who says what they see
 * finds the button (WCAG 2.5.3 Label in Name).
 */
export function reactionName(kind: Kind, count: number) {
  return `${reactionLabels[kind]}, ${count} ${count === 1 ? "member" : "members"}`;
}

type Props = {
  postId: number;
  postNumber: number;
  counts: Record<Kind, number>;
  mine: readonly Kind[];
  /** From canReact(): a member, not the author, post not removed or deleted. Otherwise counts only. */
  canReact: boolean;
};

/**
 * Three toggle buttons in one small form, so they work as plain posts without JS. Each button
 * is named for what it does ("add" or "remove") and carries the reaction as its value.
 * aria-pressed tells screen readers which ones the member has given; the name says how many
 * members gave each (see reactionName).
 */
export function ReactionBar({ postId, postNumber, counts, mine, canReact }: Props) {
  const given = kinds.filter((kind) => counts[kind] > 0);
  if (!canReact) {
    if (given.length === 0) return null;
    return (
      <ul className="reaction-bar reaction-counts" aria-label={`Reactions to post ${postNumber}`}>
        {given.map((kind) => (
          <li key={kind} className="reaction static">
            {/* Screen readers get the words, not "Helpful 3" (an aria-label on a list item is
                not read everywhere). */}
            <span aria-hidden="true">
              {reactionLabels[kind]} <span className="count">{counts[kind]}</span>
            </span>
            <span className="visually-hidden">{reactionName(kind, counts[kind])}</span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div className="reaction-bar" role="group" aria-label={`Reactions to post ${postNumber}`}>
      <Form method="post" action={`/posts/${postId}/react`} preventScrollReset>
        {kinds.map((kind) => {
          const pressed = mine.includes(kind);
          return (
            <button
              key={kind}
              type="submit"
              name={pressed ? "remove" : "add"}
              value={kind}
              aria-pressed={pressed}
              aria-label={reactionName(kind, counts[kind])}
              className="reaction"
            >
              {reactionLabels[kind]} <span className="count">{counts[kind]}</span>
            </button>
          );
        })}
      </Form>
    </div>
  );
}
