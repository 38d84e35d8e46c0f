import { Form } from "@remix-run/react";
import type { BoardAccess } from "../../db/schema.sqlite.ts";

/** A line under a board's description when not everything in it is public. */
export function BoardAccessNote({ access }: { access: BoardAccess }) {
  if (access === "members") {
    return (
      <p className="meta">
        <span className="badge">Members only</span> Only members of the forum can read this board.
      </p>
    );
  }
  if (access === "author-choice") return <p className="meta">Authors may keep their threads here to members of the forum.</p>;
  return null;
}

/**
 * On a new thread in a board where authors choose: who can read it. Neither is chosen in advance,
 * so a draft brought back after a lost session can never go out public by default.
 */
const READERS = [
  { value: "members", label: "Only members of the forum", hint: "visitors and search engines can't see it" },
  { value: "everyone", label: "Everyone", hint: "visitors can read it too" },
];

export function ThreadReadersField({ value, error }: { value?: string; error?: string }) {
  return (
    <fieldset className="choices" aria-describedby={error ? "readers-error" : undefined}>
      <legend>Who can read this thread?</legend>
      {error ? (
        <p className="field-error" id="readers-error">
          {error}
        </p>
      ) : null}
      {READERS.map((choice) => (
        <div className="choice" key={choice.value}>
          <input type="radio" id={`readers-${choice.value}`} name="readers" value={choice.value} defaultChecked={value === choice.value} required />
          <label htmlFor={`readers-${choice.value}`}>
            {choice.label} <span className="choice-hint">— {choice.hint}</span>
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** For the author, where they may choose: one button that flips who can read their thread. */
export function ThreadReadersToggle({ threadId, keptToMembers }: { threadId: number; keptToMembers: boolean }) {
  return (
    <Form method="post" action={`/threads/${threadId}/readers`} id="readers" className="follow-form" preventScrollReset>
      <input type="hidden" name="readers" value={keptToMembers ? "everyone" : "members"} />
      <button type="submit">{keptToMembers ? "Open this thread to everyone" : "Keep this thread to members"}</button>
      <span className="hint">{keptToMembers ? "Only members of the forum can read it now." : "Visitors and search engines can read it now."}</span>
    </Form>
  );
}
