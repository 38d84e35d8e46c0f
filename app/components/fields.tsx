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

export function TextField({ name, label, error, hint, ...props }: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <Messages name={name} error={error} hint={hint} />
      <input id={name} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, error, hint)} {...props} />
    </div>
  );
}

/** A password being chosen (sign-up, reset, change): the same rules and advice everywhere. */
export function NewPasswordField({ name, label, error }: { name: string; label: string; error?: string }) {
  return (
    <TextField
      name={name}
      label={label}
      type="password"
      hint={`At least ${PASSWORD_MIN} characters. A long phrase is easy to type and hard to guess.`}
      error={error}
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN}
      maxLength={PASSWORD_MAX}
    />
  );
}

export function TextArea({ name, label, error, hint, ...props }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <Messages name={name} error={error} hint={hint} />
      <textarea id={name} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy(name, error, hint)} {...props} />
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
