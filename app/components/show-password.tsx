import { useState } from "react";

/** What an action answers to a Show password press without JavaScript (passwordToggle in forms.server.ts). */
type Answer = { showPassword?: boolean; typed?: Record<string, string> };

/**
 * Whether a form's passwords show as text (from the action's answer without JavaScript, then the
 * member's presses), and what was typed in each, when the answer carries it.
 */
export function useShowPassword(actionData: unknown) {
  const answer = (actionData ?? {}) as Answer;
  const [shown, setShown] = useState(!!answer.showPassword);
  return { shown, type: shown ? "text" : "password", toggle: () => setShown((was) => !was), typed: (field: string) => answer.typed?.[field] };
}

/**
 * "Show password", a toggle. With JavaScript it flips the fields at once; without, it sends the
 * form back (intent=show-password) and the page returns with what was typed, shown. It goes after
 * the form's main button, so Enter in a field never presses it.
 */
export function ShowPasswordButton({ shown, toggle }: Pick<ReturnType<typeof useShowPassword>, "shown" | "toggle">) {
  return (
    <button
      type="submit"
      name="intent"
      value={shown ? "hide-password" : "show-password"}
      formNoValidate
      aria-pressed={shown}
      onClick={(event) => {
        event.preventDefault();
        toggle();
      }}
    >
      Show password
    </button>
  );
}
