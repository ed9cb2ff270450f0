/**
 * Header names whose values are credentials. Only these are secrets: masking an ordinary value
 * such as `Connection: close` would blank every "close" in the log (and, through `add-mask`, in
 * the whole job's log on GitHub).
 */
const CREDENTIAL_HEADER = /key|token|secret|cookie|auth|passw/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name);
}

/**
 * The secret parts of credential headers: the whole value, the credential after an
 * `Authorization` scheme (`Bearer sk-…`), and for Basic auth the decoded `user:password` and the
 * password alone, so each form is scrubbed wherever a server echoes it.
 */
export function credentialHeaderValues(headers: Record<string, string>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!isCredentialHeader(name)) continue;
    values.push(value);
    const scheme = /^(\S+)\s+(\S+)$/.exec(value.trim());
    if (!scheme) continue;
    const credential = scheme[2]!;
    values.push(credential);
    if (scheme[1]!.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) values.push(decoded, decoded.slice(colon + 1));
    }
  }
  return values;
}

/** The password of a URL-shaped value (`https://user:pw@host`), if it has one. */
export function urlPassword(value: string): string | undefined {
  if (!/^\w+:\/\//.test(value)) return undefined;
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

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
