import { useSubmit } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type FocusEvent, type FormEvent } from "react";
import { Link } from "./link.tsx";
import { Time } from "./time.tsx";

// Saving what a member types as a server-side draft (app/models/drafts.server.ts), shared by the
// post composer and the private message form.

const AUTOSAVE_MS = 5000;

type SaveResult = { savedAt: string | null } | { error: string };

/**
 * With JavaScript, saves the text to /drafts/save every few seconds while it changes and
 * whenever a field loses focus. Without it, the "Save draft" button does the same by a post.
 *
 * A plain fetch to the resource route rather than useFetcher: a fetcher's action makes Remix
 * revalidate every loader on the page, and in Remix 2.13 that revalidation racing a "Post"
 * submission dropped the navigation to the new post (the page was left blank).
 */
export function useAutosave(draftKey: string | undefined, fields: readonly string[]) {
  const [result, setResult] = useState<SaveResult>();
  const formRef = useRef<HTMLFormElement>(null);
  const dirty = useRef(false);
  const inFlight = useRef<Promise<void> | null>(null);
  const waiting = useRef(false);
  const submit = useSubmit();

  const save = useCallback(() => {
    const form = formRef.current;
    if (!draftKey || !form || !dirty.current || inFlight.current) return;
    dirty.current = false;
    const typed = new FormData(form);
    const payload = new URLSearchParams({ key: draftKey, autosave: "1" });
    for (const name of fields) payload.set(name, String(typed.get(name) ?? ""));
    inFlight.current = (async () => {
      let saved = false;
      try {
        const response = await fetch("/drafts/save", { method: "POST", body: payload, headers: { Accept: "application/json" } });
        const body = (await response.json()) as SaveResult;
        saved = response.ok;
        // "Draft saved" only once what is saved is what is typed: text typed meanwhile goes next.
        if (!saved || !dirty.current) setResult(body);
        if (!saved) dirty.current = true;
      } catch {
        dirty.current = true;
        setResult({ error: "Not saved: we couldn't reach the server. Your text is still here; we'll try again." });
      } finally {
        inFlight.current = null;
      }
      // A blur while this save was on its way was skipped; save what it would have, now.
      if (saved && dirty.current) save();
    })();
  }, [draftKey, fields]);

  useEffect(() => {
    if (!draftKey) return;
    const timer = setInterval(save, AUTOSAVE_MS);
    return () => clearInterval(timer);
  }, [draftKey, save]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    // "Post", "Save draft" and "Discard draft" settle the draft on the server themselves; an
    // autosave landing after them would bring back a draft that was just discarded.
    if (submitter?.value !== "preview") dirty.current = false;
    // An autosave already on its way could reach the server after this post and overwrite the
    // newer text it saves: the post goes once that autosave has been answered.
    const pending = inFlight.current;
    if (!pending && !waiting.current) return;
    event.preventDefault();
    if (waiting.current || !pending) return; // a second press while the first waits
    waiting.current = true;
    const target = submitter ?? event.currentTarget;
    void pending.then(() => {
      waiting.current = false;
      submit(target, { preventScrollReset: true });
    });
  };

  const onBlur = (event: FocusEvent<HTMLFormElement>) => {
    // Focus moving to one of the form's own buttons means a submit is coming, which saves on
    // the server; an autosave racing it could bring back a draft the post just discarded.
    const next = event.relatedTarget;
    if (next instanceof HTMLButtonElement && next.form === event.currentTarget) return;
    save();
  };

  const markDirty = useCallback(() => void (dirty.current = true), []);
  return { result, formRef, markDirty, onSubmit, onBlur };
}

function AutosaveStatus({ result }: { result: SaveResult | undefined }) {
  if (!result) return null;
  if ("error" in result) return <>{result.error}</>;
  if (!result.savedAt) return <>Nothing to save yet.</>;
  // The same clock as every other time on the page: the member's zone, else UTC.
  return (
    <>
      Draft saved <Time value={result.savedAt} />
    </>
  );
}

/**
 * The line under a form that keeps drafts: whichever save happened last, the autosave's or the
 * "Save draft" button's (`draftSaved` in the action's data: when, or "" when nothing was kept).
 */
export function DraftStatus({ result, data, submitLabel }: { result: SaveResult | undefined; data: { draftSaved?: string } | undefined; submitLabel: string }) {
  const [latest, setLatest] = useState<"autosave" | "form">("form");
  useEffect(() => setLatest("autosave"), [result]);
  useEffect(() => setLatest("form"), [data]);
  return (
    <p className="hint" role="status" aria-live="polite">
      {result && latest === "autosave" ? (
        <AutosaveStatus result={result} />
      ) : data?.draftSaved !== undefined ? (
        data.draftSaved ? (
          <>
            Draft saved. It stays here and on <Link to="/drafts">your drafts page</Link> until you choose “{submitLabel}”.
          </>
        ) : (
          "Nothing to save yet: the form is empty."
        )
      ) : null}
    </p>
  );
}
