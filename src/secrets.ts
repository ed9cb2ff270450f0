/** Replaces every occurrence of each secret (and its base64 form) with ***. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of [secret, Buffer.from(secret).toString('base64')]) {
      redacted = redacted.split(form).join('***');
    }
  }
  return redacted.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1***@');
}
