import type { ActionFunctionArgs, LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { useEffect, useRef } from "react";
import { Time } from "~/components/time.tsx";
import { discardDraftById, listDrafts } from "~/models/drafts.server.ts";
import styles from "~/styles/drafts.css";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId } from "~/utils/http.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const links = () => [{ rel: "stylesheet", href: styles }];
export const meta = () => [{ title: "Your drafts — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ drafts: await listDrafts(user) });
}

// Discarding deletes the draft for good (the drafts model keeps no copy), so unlike the site's
// reversible actions it can't offer Undo (app/utils/undo.ts) without carrying private text in the
// URL. Instead Discard asks first: a plain link to /drafts?discard=<id>, which shows a
// confirmation in that draft's card. It works without JS, and a second tap from a spasm lands
// on the question, not on "Yes, discard it".
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  await discardDraftById(user, parseId(values.id));
  return redirect("/drafts?discarded=1");
}

type Draft = SerializeFrom<typeof loader>["drafts"][number];

/** "Discard this draft?" in place of the draft's buttons; with JS, the question takes focus. */
function DiscardConfirm({ draft }: { draft: Draft }) {
  const question = useRef<HTMLParagraphElement>(null);
  useEffect(() => question.current?.focus(), [draft.id]);
  return (
    <div className="discard-confirm" id={`discard-${draft.id}`}>
      <p tabIndex={-1} ref={question}>
        Discard this draft? Its text will be gone for good.
      </p>
      <div className="actions">
        <Link to={`/drafts#draft-${draft.id}`} className="button primary" preventScrollReset>
          Keep it<span className="visually-hidden">: {draft.where}</span>
        </Link>
        <Form method="post" action="/drafts">
          <input type="hidden" name="id" value={draft.id} />
          <button type="submit" name="intent" value="discard" className="danger">
            Yes, discard it<span className="visually-hidden">: {draft.where}</span>
          </button>
        </Form>
      </div>
    </div>
  );
}

export default function Drafts() {
  const { drafts } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const confirming = Number(params.get("discard"));
  return (
    <>
      <h1>Your drafts</h1>
      {params.get("discarded") ? (
        <p className="notice" role="status">
          Draft discarded.
        </p>
      ) : null}
      <p>
        Text you started in a new thread, a reply, an edit of your post or a private message is kept here until you post, save or send it. Only you can see your
        drafts.
      </p>
      {drafts.length === 0 ? (
        <p>You have no drafts.</p>
      ) : (
        <ul className="draft-list">
          {drafts.map((draft) => (
            <li key={draft.id} id={`draft-${draft.id}`} className="card draft">
              <h2>{draft.href ? <Link to={draft.href}>{draft.where}</Link> : draft.where}</h2>
              <p className="meta">
                Saved <Time value={draft.updatedAt} />
              </p>
              {draft.note ? <p className="notice">{draft.note}</p> : null}
              {draft.recipients ? <p className="draft-title">To: {draft.recipients}</p> : null}
              {draft.title ? <p className="draft-title">{draft.title}</p> : null}
              <p className="draft-excerpt">{draft.excerpt}</p>
              {confirming === draft.id ? (
                <DiscardConfirm draft={draft} />
              ) : (
                <div className="actions">
                  {draft.href ? (
                    <Link to={draft.href} className="button primary">
                      Continue writing<span className="visually-hidden">: {draft.where}</span>
                    </Link>
                  ) : null}
                  <Link to={`/drafts?discard=${draft.id}#discard-${draft.id}`} className="button" preventScrollReset>
                    Discard…<span className="visually-hidden"> draft: {draft.where}</span>
                  </Link>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
