/**
 * Escaping for text we do not control (model, hardware, mix and class names, server headers,
 * warning and error messages). Everything such text passes through before it reaches a PR
 * comment, a mermaid chart or a terminal, so that it can neither break the layout nor inject
 * markup, links, mentions or terminal control sequences.
 */

/** Default cap for one piece of inline text, in characters (before escaping). */
export const MAX_INLINE_LENGTH = 200;

// C0/C1 control characters (ESC included), plus line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** One line of plain text: control characters and line breaks become single spaces, capped. */
function toSingleLine(text: unknown, maxLength: number): string {
  const line = String(text ?? '')
    .replace(CONTROL_OR_BREAK, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  const chars = Array.from(line); // code points, so a cap never splits a surrogate pair
  if (chars.length <= maxLength) return line;
  return `${chars.slice(0, Math.max(0, maxLength - 1)).join('')}…`;
}

/**
 * Escapes text for GFM inline content and table cells. HTML becomes entities, markdown
 * punctuation is backslash-escaped (backslash first, so `\|` cannot turn back into a pipe), `@`
 * gets a zero-width space so that nobody is mentioned, and block syntax at the start is
 * neutralised. Do not put the result inside a code span: backslashes would show there.
 */
export function escapeMarkdown(text: unknown, maxLength: number = MAX_INLINE_LENGTH): string {
  return toSingleLine(text, maxLength)
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[|`[\]*_~$!]/g, (char) => `\\${char}`)
    .replace(/@/g, '@&#8203;')
    .replace(/^#/, '\\#')
    .replace(/^([-+=])(?=\s|$)/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/**
 * Mermaid labels (titles, axis names) inside double quotes: there is no escape for `"` there and
 * `%%` starts a directive, so keep a conservative set of characters and drop the rest.
 */
export function escapeMermaidLabel(text: unknown, maxLength = 60): string {
  return toSingleLine(text, maxLength)
    .replace(/[^\p{L}\p{N} .,:()/+\-_·']/gu, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/** Plain text for a terminal: no control sequences (ANSI escapes included), one line, capped. */
export function escapeTerminal(text: unknown, maxLength: number = MAX_INLINE_LENGTH): string {
  return toSingleLine(text, maxLength);
}
