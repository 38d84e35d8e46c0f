import { useEffect, useRef, useState, type FormEvent } from "react";

const PREFIX = "unclench:kept:";
// Which kept text the last form sent from this tab, for the page a successful send leads to.
const SENDING = "unclench:kept-sending";

/** Storage can be missing, full or refused (a private window, cookies off): then nothing is kept. */
function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/**
 * Keeps one field of a form in this browser (localStorage) while it is written, for a form the
 * server cannot keep a draft of because the writer has no session, and puts it back into the
 * field, if it is empty, when the form appears again: a closed tab loses nothing. Spread the
 * returned props on the form. `state` is "off" until JS runs (or without a key or storage).
 */
export function useKeptOnDevice(key: string | null, field: string) {
  const ref = useRef<HTMLFormElement>(null);
  const [state, setState] = useState<"off" | "keeping" | "restored">("off");
  const name = key ? PREFIX + key : null;

  useEffect(() => {
    const textarea = ref.current?.elements.namedItem(field);
    if (!name || !(textarea instanceof HTMLTextAreaElement) || !attempt(() => localStorage)) return;
    const kept = attempt(() => localStorage.getItem(name));
    // Text already there (sent back by the server, or typed before the page's JS ran) wins.
    if (!textarea.value && kept) {
      textarea.value = kept;
      setState("restored");
    } else {
      if (textarea.value) attempt(() => localStorage.setItem(name, textarea.value));
      setState("keeping");
    }
  }, [name, field]);

  const onInput = (event: FormEvent<HTMLFormElement>) => {
    const textarea = event.target;
    if (!name || !(textarea instanceof HTMLTextAreaElement) || textarea.name !== field) return;
    attempt(() => (textarea.value ? localStorage.setItem(name, textarea.value) : localStorage.removeItem(name)));
  };
  // Forgotten only once the send has worked (useForgetSentText), not here: a refused send keeps it.
  const onSubmit = () => {
    if (name) attempt(() => sessionStorage.setItem(SENDING, name));
  };
  return { state, formProps: { ref, onInput, onSubmit } };
}

/** On the page a successful send leads to: what was sent from this tab need not be kept any more. */
export function useForgetSentText(sent: boolean) {
  useEffect(() => {
    if (!sent) return;
    const name = attempt(() => sessionStorage.getItem(SENDING));
    if (!name) return;
    attempt(() => localStorage.removeItem(name));
    attempt(() => sessionStorage.removeItem(SENDING));
  }, [sent]);
}
