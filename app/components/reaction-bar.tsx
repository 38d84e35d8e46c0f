import { Form } from "@remix-run/react";

export const reactionLabels = {
  helpful: "Helpful",
  "me-too": "Me too",
  support: "Sending support",
} as const;

type Kind = keyof typeof reactionLabels;
const kinds = Object.keys(reactionLabels) as Kind[];

type Props = {
  postId: number;
  postNumber: number;
  counts: Record<Kind, number>;
  mine: readonly Kind[];
  /** From canReact(): a member, not the author, post not removed or deleted. Otherwise counts only. */
  canReact: boolean;
};

/**
 * Three toggle buttons, each its own small form, so they work as plain posts without JS.
 * aria-pressed tells screen readers which ones the member has given.
 */
export function ReactionBar({ postId, postNumber, counts, mine, canReact }: Props) {
  const given = kinds.filter((kind) => counts[kind] > 0);
  if (!canReact) {
    if (given.length === 0) return null;
    return (
      <ul className="reaction-bar reaction-counts" aria-label={`Reactions to post ${postNumber}`}>
        {given.map((kind) => (
          <li key={kind} className="reaction static">
            {reactionLabels[kind]} <span className="count">{counts[kind]}</span>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div className="reaction-bar" role="group" aria-label={`Reactions to post ${postNumber}`}>
      {kinds.map((kind) => {
        const pressed = mine.includes(kind);
        return (
          <Form key={kind} method="post" action={`/posts/${postId}/react`} preventScrollReset>
            <input type="hidden" name="kind" value={kind} />
            <button type="submit" name="intent" value={pressed ? "remove" : "add"} aria-pressed={pressed} className="reaction">
              {reactionLabels[kind]} <span className="count">{counts[kind]}</span>
            </button>
          </Form>
        );
      })}
    </div>
  );
}
