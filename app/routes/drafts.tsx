import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Time } from "~/components/time.tsx";
import { discardDraftById, listDrafts } from "~/models/drafts.server.ts";
import styles from "~/styles/drafts.css";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId } from "~/utils/http.server.ts";

export const links = () => [{ rel: "stylesheet", href: styles }];
export const meta = () => [{ title: "Your drafts — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ drafts: listDrafts(user) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  discardDraftById(user, parseId(values.id));
  return redirect("/drafts?discarded=1");
}

export default function Drafts() {
  const { drafts } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Your drafts</h1>
      {params.get("discarded") ? (
        <p className="notice" role="status">
          Draft discarded.
        </p>
      ) : null}
      <p>
        Text you started in a new thread, a reply or an edit of your post is kept here until you post or save it. Only you can see
        your drafts.
      </p>
      {drafts.length === 0 ? (
        <p>You have no drafts.</p>
      ) : (
        <ul className="draft-list">
          {drafts.map((draft) => (
            <li key={draft.id} className="card draft">
              <h2>{draft.href ? <Link to={draft.href}>{draft.where}</Link> : draft.where}</h2>
              <p className="meta">
                Saved <Time value={draft.updatedAt} />
              </p>
              {draft.note ? <p className="notice">{draft.note}</p> : null}
              {draft.title ? <p className="draft-title">{draft.title}</p> : null}
              <p className="draft-excerpt">{draft.excerpt}</p>
              <div className="actions">
                {draft.href ? (
                  <Link to={draft.href} className="button primary">
                    Continue writing<span className="visually-hidden">: {draft.where}</span>
                  </Link>
                ) : null}
                <Form method="post">
                  <input type="hidden" name="id" value={draft.id} />
                  <button type="submit" name="intent" value="discard">
                    Discard<span className="visually-hidden"> draft: {draft.where}</span>
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
