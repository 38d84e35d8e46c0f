import { useEffect, useState } from "react";

/**
 * Whether this page's scripts are running and the browser can use passkeys. False on the server and
 * until hydration, so a page sent without JavaScript never shows a passkey control it cannot work.
 */
export function usePasskeySupport(): "unknown" | "supported" | "unsupported" {
  const [support, setSupport] = useState<"unknown" | "supported" | "unsupported">("unknown");
  useEffect(() => {
    setSupport(typeof window.PublicKeyCredential === "function" ? "supported" : "unsupported");
  }, []);
  return support;
}

/**
 * @simplewebauthn/browser, loaded when a passkey button is pressed: it is in no page's bundle, so
 * pages that never use a passkey do not carry it (docs/decisions/006).
 */
export const loadWebAuthn = () => import("@simplewebauthn/browser");

/** A form post to one of the passkey routes; its JSON answer, or null when there was none to read. */
export async function postForPasskey<T>(path: string, fields: Record<string, string>): Promise<{ status: number; data: T | null }> {
  const response = await fetch(path, { method: "POST", body: new URLSearchParams(fields), headers: { Accept: "application/json" } });
  const data = (await response.json().catch(() => null)) as T | null;
  return { status: response.status, data };
}

export const NETWORK_PROBLEM = "Unclench could not be reached. Please check your connection and try again.";

/** When an answer carried no message of ours: the connection failed, or the server did. */
export function noAnswer(status: number) {
  return status >= 500 ? "Something went wrong at Unclench. Please try again in a moment." : NETWORK_PROBLEM;
}

/** What went wrong on the device (the browser's WebAuthn error), in words a member can act on. */
export function deviceProblem(error: unknown, task: "add" | "login"): string {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || name === "InvalidStateError") {
    return "This device already holds a passkey for your account, so nothing was added.";
  }
  if (name === "NotAllowedError" || name === "AbortError") {
    return task === "add"
      ? "Adding the passkey was cancelled, or took too long. Nothing was added; you can try again."
      : "Logging in with a passkey was cancelled, or took too long. You can try again, or log in with your password.";
  }
  if (name === "NotSupportedError" || name === "SecurityError" || code?.startsWith("ERROR_AUTHENTICATOR_MISSING")) {
    return task === "add"
      ? "This device can't make a passkey for Unclench: it needs a screen lock, fingerprint, face or a security key with a PIN. Your password still works."
      : "This device can't use a passkey here. Please log in with your password.";
  }
  return task === "add"
    ? "Your device couldn't make the passkey. Nothing was added; you can try again."
    : "Your device couldn't use the passkey. Please try again, or log in with your password.";
}
