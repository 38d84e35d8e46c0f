import type { ReactNode } from "react";

const removalOptions = [
  ["spam", "Spam"],
  ["harassment", "Harassment"],
  ["misinformation", "Misinformation or unsafe medical advice"],
  ["off-topic", "Off-topic"],
  ["personal-information", "Personal information"],
  ["other", "Other (say why below)"],
] as const;

export const durationOptions = [
  ["1d", "1 day"],
  ["3d", "3 days"],
  ["7d", "1 week"],
  ["14d", "2 weeks"],
  ["30d", "30 days"],
  ["90d", "90 days"],
  ["365d", "1 year"],
  ["permanent", "Permanently"],
] as const;

type Errors = Record<string, string> | undefined;

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p className="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

const restoreOptions = [
  ["mistake", "Removed by mistake"],
  ["edited", "Edited to fit the guidelines"],
  ["other", "Other (say why below)"],
] as const;

type ReasonProps = { prefix: string; errors?: Errors; values?: Record<string, string> };

/** The removal reason picker; ids are prefixed so several can share a page. `label` says who reads the reason. */
export function RemovalReasonFields({ label = "Reason (shown to everyone)", ...props }: ReasonProps & { label?: string }) {
  return <ReasonFields {...props} label={label} options={removalOptions} />;
}

/** Why a removed post, thread or message comes back: told to its author and shown in the logs. */
export function RestoreReasonFields({ label = "Reason for restoring (shown to everyone)", ...props }: ReasonProps & { label?: string }) {
  return <ReasonFields {...props} label={label} options={restoreOptions} />;
}

function ReasonFields({ prefix, errors, values, label, options }: ReasonProps & { label: string; options: readonly (readonly [string, string])[] }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${prefix}-reason`}>{label}</label>
        <FieldError id={`${prefix}-reason-error`} message={errors?.reason} />
        <select
          id={`${prefix}-reason`}
          name="reason"
          defaultValue={values?.reason ?? ""}
          required
          aria-invalid={errors?.reason ? true : undefined}
          aria-describedby={errors?.reason ? `${prefix}-reason-error` : undefined}
        >
          <option value="" disabled>
            Choose a reason
          </option>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-detail`}>Detail (needed for “Other”)</label>
        <FieldError id={`${prefix}-detail-error`} message={errors?.detail} />
        <input
          id={`${prefix}-detail`}
          name="detail"
          defaultValue={values?.detail}
          maxLength={300}
          aria-invalid={errors?.detail ? true : undefined}
          aria-describedby={errors?.detail ? `${prefix}-detail-error` : undefined}
        />
      </div>
    </>
  );
}

export function RestrictionFields({
  prefix,
  errors,
  values,
  reasonLabel,
}: {
  prefix: string;
  errors?: Errors;
  values?: Record<string, string>;
  reasonLabel: ReactNode;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${prefix}-duration`}>How long</label>
        <FieldError id={`${prefix}-duration-error`} message={errors?.duration} />
        <select id={`${prefix}-duration`} name="duration" defaultValue={values?.duration ?? "7d"}>
          {durationOptions.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-reason`}>{reasonLabel}</label>
        <FieldError id={`${prefix}-reason-error`} message={errors?.reason} />
        <textarea
          id={`${prefix}-reason`}
          name="reason"
          rows={3}
          maxLength={500}
          defaultValue={values?.reason}
          required
          aria-describedby={errors?.reason ? `${prefix}-reason-error` : undefined}
        />
      </div>
    </>
  );
}
