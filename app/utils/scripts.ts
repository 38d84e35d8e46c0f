import { createContext, useContext } from "react";

/**
 * A route whose pages a visitor can only read (no form but search, no control that needs a
 * script) sets this as its `handle`. Visitors then get the page without JavaScript or embedded
 * loader data, which only add weight to a page that works the same without them (docs/decisions/006).
 * Members get the scripts everywhere (drafts saved as they type, quoting in place).
 */
export const readOnlyForVisitors = { readOnlyForVisitors: true };

/** Whether a document for these matched routes' handles sends scripts. */
export function sendsScripts(signedIn: boolean, handles: unknown[]) {
  return signedIn || !handles.some((handle) => (handle as Partial<typeof readOnlyForVisitors> | undefined)?.readOnlyForVisitors);
}

// entry.server.tsx decides once per document and provides it; in the browser scripts are running.
const ScriptsContext = createContext(true);
export const ScriptsProvider = ScriptsContext.Provider;

/** Whether the document sends scripts. Once scripts run, they stay for every later page. */
export const useSendsScripts = () => useContext(ScriptsContext);

// A document sent without scripts still loads one static, non-hydrating script: the one that
// shows times in the browser's own zone (docs/decisions/027). entry.server.tsx provides its address.
const LocalTimeScriptContext = createContext<string | undefined>(undefined);
export const LocalTimeScriptProvider = LocalTimeScriptContext.Provider;
export const useLocalTimeScript = () => useContext(LocalTimeScriptContext);
