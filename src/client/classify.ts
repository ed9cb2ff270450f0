import type { ErrorClass } from '../domain/request.js';

/** Maps an HTTP status that is not 2xx to its error class. */
export function classifyStatus(status: number): ErrorClass {
  if (status === 429) return 'http_429';
  if (status >= 500) return 'http_5xx';
  if (status >= 400) return 'http_4xx';
  return 'protocol';
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** Follows `cause` links: undici wraps socket errors in its own. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as ErrorLike;
    if (typeof candidate.code === 'string') codes.push(candidate.code);
    if (typeof candidate.name === 'string') codes.push(candidate.name);
    current = candidate.cause;
  }
  return codes;
}

/**
 * Classifies a transport failure. `afterHeaders` separates a connection that broke mid-stream
 * from one that never got going.
 */
export function classifyTransportError(error: unknown, afterHeaders: boolean): ErrorClass {
  const codes = codesOf(error);
  const has = (code: string) => codes.includes(code);
  if (isRequestTimeout(error) || has('TimeoutError')) return 'timeout';
  if (has('UND_ERR_CONNECT_TIMEOUT') || has('ETIMEDOUT')) return 'timeout';
  if (has('ENOTFOUND') || has('EAI_AGAIN') || has('EAI_NONAME')) return 'dns';
  if (
    codes.some(
      (code) => TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'),
    )
  ) {
    return 'tls';
  }
  if (afterHeaders) return 'midstream';
  return 'connect';
}

/**
 * undici's headers or body timeout, which we set to the request's timeout: the same event as our
 * own timer, whichever fires first, and worded the same (Measurement.timedOut).
 */
export function isRequestTimeout(error: unknown): boolean {
  const codes = codesOf(error);
  return codes.includes('UND_ERR_HEADERS_TIMEOUT') || codes.includes('UND_ERR_BODY_TIMEOUT');
}

/** The codes a benchmark meets, in words: a code alone means little to most readers. */
const PLAIN_CODES: Readonly<Record<string, string>> = {
  UND_ERR_SOCKET: 'the server closed the connection',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection broke while sending',
  ECONNREFUSED: 'connection refused',
  EHOSTUNREACH: 'host unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  UND_ERR_CONNECT_TIMEOUT: 'connecting timed out',
  ETIMEDOUT: 'connecting timed out',
};

/**
 * A short, secret-free description of a transport error: what its code means when we know it,
 * then its code chain, never its message (`connection refused (ECONNREFUSED)`).
 */
export function describeTransportError(error: unknown): string {
  const codes = codesOf(error).filter((code) => code !== 'Error' && code !== 'TypeError');
  const unique = [...new Set(codes)];
  if (unique.length === 0) return 'transport error';
  const plain = unique.map((code) => PLAIN_CODES[code]).find((text) => text !== undefined);
  return plain ? `${plain} (${unique.join(' / ')})` : unique.join(' / ');
}
