import { TextArea, TextField } from "./fields.tsx";
import { Link } from "./link.tsx";
import { Time } from "./time.tsx";

export type ReadOnlyNoticeView = { reason: string | null; until: string | null };

/**
 * Where a silenced member would write: why they can't, and until when. Shown instead of the
 * form or the button, so nothing is offered that would only be refused.
 */
export function ReadOnlyNotice({ notice, headingLevel = 2 }: { notice: ReadOnlyNoticeView; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className="notice" aria-labelledby="read-only-heading">
      <Heading id="read-only-heading">
        Your account is read-only{" "}
        {notice.until ? (
          <>
            until <Time value={notice.until} />
          </>
        ) : (
          "until a moderator lifts it"
        )}
      </Heading>
      <p>A moderator has made your account read-only: you can read everything, but you can't start threads, reply, react or report.</p>
      <p>Their reason: {notice.reason?.trim() || "none was given."}</p>
      <p>
        {notice.until ? (
          <>
            It ends by itself on <Time value={notice.until} />; you don't need to do anything.
          </>
        ) : (
          "It has no end date: it lasts until a moderator lifts it."
        )}{" "}
        The <Link to="/guidelines">community guidelines</Link> say what moderators look for.
      </p>
    </section>
  );
}

/** Text that can't be posted here now, shown whole so it can be copied; where it is kept. */
export function KeptText({ title, text, kept }: { title?: string | null; text: string; kept: boolean }) {
  if (!text.trim() && !title?.trim()) return null;
  return (
    <div className="kept-text">
      <p>
        {kept ? (
          <>
            Your text is kept as a draft: it is below, and on <Link to="/drafts">your drafts page</Link>.
          </>
        ) : (
          "Your text could not be kept as a draft: it is below, so you can copy it."
        )}
      </p>
      {title?.trim() ? <TextField name="kept-title" label="Your title" defaultValue={title} readOnly /> : null}
      <TextArea name="kept-text" label="Your text" defaultValue={text} readOnly rows={8} />
    </div>
  );
}

type Refused = { errors?: Record<string, string>; values?: { title?: string; body?: string }; refused?: { kept: boolean } };

/** Why a post was just refused (the action's data), beside the text it kept. */
export function PostRefused({ data }: { data: unknown }) {
  const refused = data as Refused | undefined;
  if (!refused?.refused) return null;
  return (
    <div className="post-refused">
      <p className="form-error" role="alert">
        Your post wasn't published: {refused.errors?.form ?? "it was refused."}
      </p>
      <KeptText title={refused.values?.title} text={refused.values?.body ?? ""} kept={refused.refused.kept} />
    </div>
  );
}

/** Whether the action's data is a refusal (then the page shows PostRefused, not the form's errors). */
export function isRefusal(data: unknown) {
  return !!(data as Refused | undefined)?.refused;
}
