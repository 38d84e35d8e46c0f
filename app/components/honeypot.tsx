/**
 * Goes inside the sign-up form. Hidden from sight (the shared .visually-hidden class: the CSP
 * forbids inline styles), from screen readers (aria-hidden) and from the keyboard (tabIndex -1),
 * so only a bot fills it in. The name must match HONEYPOT_FIELD in app/utils/safety.server.ts.
 */
export function Honeypot() {
  return (
    <div className="visually-hidden" aria-hidden="true">
      <label htmlFor="leave_blank">Leave this field empty</label>
      <input type="text" id="leave_blank" name="leave_blank" tabIndex={-1} autoComplete="off" defaultValue="" />
    </div>
  );
}
