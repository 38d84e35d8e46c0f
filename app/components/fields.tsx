import type { InputHTMLAttributes, TextareaHTMLAttributes } from "react";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/utils/limits.ts";

type Common = { name: string; label: string; error?: string; hint?: string };

function describedBy(name: string, error?: string, hint?: string) {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
}

function Messages({ name, error, hint }: Omit<Common, "label">) {
  return (
    <>
      {hint ? (
        <p className="hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${name}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

/** A labelled input. Its id is its name unless `id` says otherwise (two forms on one page). */
export function TextField({ name, label, error, hint, id = name, ...props }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <Messages name={id} error={error} hint={hint} />
      <input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...props} />
    </div>
  );
}

/** A password being chosen (sign-up, reset, change): the same rules and advice everywhere. */
export function NewPasswordField({
  name,
  label,
  error,
  type = "password",
  defaultValue,
}: {
  name: string;
  label: string;
  error?: string;
  /** "text" while the member has asked to see it. */
  type?: string;
  defaultValue?: string;
}) {
  return (
    <TextField
      name={name}
      label={label}
      type={type}
      defaultValue={defaultValue}
      hint={`At least ${PASSWORD_MIN} characters. A long phrase is easy to type and hard to guess.`}
      error={error}
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN}
      maxLength={PASSWORD_MAX}
    />
  );
}

export function TextArea({ name, label, error, hint, id = name, ...props }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <Messages name={id} error={error} hint={hint} />
      <textarea id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, error, hint)} {...props} />
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}
