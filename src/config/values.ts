import { InputError } from '../errors.js';
import { parseJsonText } from '../json-file.js';

/**
 * Typed readers for raw input strings. Each failure is one line that names the input and what
 * was expected, e.g. `concurrency must be a positive integer, got "many"`.
 */

function shown(raw: string): string {
  const trimmed = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return JSON.stringify(trimmed);
}

/** What a number reader got: a negative number is named as such, since `-4` reads like a flag. */
function shownNumber(raw: string): string {
  return /^\s*-\d/.test(raw) ? `the negative number ${raw.trim()}` : shown(raw);
}

export function positiveInteger(input: string, raw: string): number {
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new InputError(input, `${input} must be a positive integer, got ${shownNumber(raw)}`);
  }
  return value;
}

export function nonNegativeInteger(input: string, raw: string): number {
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
    throw new InputError(
      input,
      `${input} must be a whole number (0 or more), got ${shownNumber(raw)}`,
    );
  }
  return value;
}

export function positiveNumber(input: string, raw: string): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InputError(input, `${input} must be a positive number, got ${shownNumber(raw)}`);
  }
  return value;
}

/** A fraction 0..1, written `0.05` or `5%`. */
export function fraction(input: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(%)?$/.exec(raw.trim());
  const value = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
  if (!Number.isFinite(value) || value > 1) {
    throw new InputError(
      input,
      `${input} must be a fraction from 0 to 1 (e.g. 0.05 or 5%), got ${shown(raw)}`,
    );
  }
  return value;
}

export function boolean(input: string, raw: string): boolean {
  const normalized = raw.trim().toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(normalized)) return true;
  if (['false', 'no', 'off', '0'].includes(normalized)) return false;
  throw new InputError(input, `${input} must be true or false, got ${shown(raw)}`);
}

export function oneOf<T extends string>(input: string, raw: string, allowed: readonly T[]): T {
  const normalized = raw.trim().toLowerCase();
  const match = allowed.find((option) => option === normalized);
  if (match === undefined) {
    throw new InputError(input, `${input} must be one of ${allowed.join(', ')}, got ${shown(raw)}`);
  }
  return match;
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `3s`, `2m`, `1h` or plain seconds (`30`, `1.5`). */
export function durationMs(input: string, raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(raw.trim());
  const amount = match ? Number(match[1]) : NaN;
  const unitMs = DURATION_UNITS_MS[match?.[2] ?? 's'] ?? 1000;
  const value = amount * unitMs;
  if (!match || !Number.isFinite(value) || value <= 0) {
    throw new InputError(
      input,
      `${input} must be a duration like 500ms, 30s, 2m or a number of seconds, got ${shownNumber(raw)}`,
    );
  }
  return value;
}

export function jsonObject(input: string, raw: string): Record<string, unknown> {
  const text = raw.trim() === '' ? '{}' : raw;
  const parsed = parseJsonText(text, input, (message) => new InputError(input, message));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(input, `${input} must be a JSON object like {"ignore_eos": true}`);
  }
  return parsed as Record<string, unknown>;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** One `Name: value` per line (or a JSON object). Errors never show a value: it may be a credential. */
export function headerLines(input: string, raw: string): Record<string, string> {
  const text = raw.trim();
  if (text === '') return {};
  if (text.startsWith('{')) {
    const object = jsonObject(input, text);
    return Object.fromEntries(Object.entries(object).map(([name, value]) => [name, String(value)]));
  }
  const headers: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!HEADER_NAME.test(name)) {
      throw new InputError(
        input,
        `${input} line ${index + 1} must look like "Name: value" (the value is not shown)`,
      );
    }
    headers[name] = line.slice(colon + 1).trim();
  });
  return headers;
}

export function httpUrl(input: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InputError(
      input,
      `${input} must be an http(s) URL like https://host/v1, got ${shown(redactUrl(raw))}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(input, `${input} must use http or https, got ${shown(url.protocol)}`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** Drops credentials from a URL-like string before it is shown anywhere. */
export function redactUrl(raw: string): string {
  return raw.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1***@');
}
