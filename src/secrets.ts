/**
 * Replaces every occurrence of each secret (and its base64 form, as in Basic auth) with ***,
 * including a secret cut short where an echoed message was truncated (`sk-abc…`).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of [secret, Buffer.from(secret).toString('base64')]) {
      redacted = redacted.split(form).join('***');
      redacted = redactTruncatedPrefix(redacted, form);
    }
  }
  return redacted.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1***@');
}

/** Shortest prefix that still identifies a secret well enough to be worth hiding. */
const MIN_PREFIX = 3;

function redactTruncatedPrefix(text: string, secret: string): string {
  return text.replace(/(\S+)…/g, (match, before: string) => {
    for (let length = Math.min(before.length, secret.length - 1); length >= MIN_PREFIX; length--) {
      if (before.endsWith(secret.slice(0, length))) {
        return `${before.slice(0, before.length - length)}***…`;
      }
    }
    return match;
  });
}
