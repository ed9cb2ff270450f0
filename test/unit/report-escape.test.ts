import { describe, expect, it } from 'vitest';
import { escapeMarkdown, escapeMermaidLabel, escapeTerminal } from '../../src/report/escape.js';

describe('escapeMarkdown', () => {
  it('turns HTML into entities so no tag survives', () => {
    const escaped = escapeMarkdown('</details><img src=x onerror=alert(1)>');
    expect(escaped).not.toMatch(/</);
    expect(escaped).not.toMatch(/>/);
    expect(escaped).toContain('&lt;/details&gt;&lt;img');
  });

  it('escapes pipes so a table cell stays one cell, backslash first', () => {
    expect(escapeMarkdown('| col |')).toBe('\\| col \\|');
    // A pre-escaped pipe must not turn back into a live one.
    expect(escapeMarkdown('a\\|b')).toBe('a\\\\\\|b');
  });

  it('neutralises links, images, emphasis, code and math', () => {
    expect(escapeMarkdown('[link](http://evil)')).toBe('\\[link\\](http://evil)');
    expect(escapeMarkdown('![x](http://evil/x.png)')).toBe('\\!\\[x\\](http://evil/x.png)');
    expect(escapeMarkdown('*a* _b_ `c` ~d~ $e$')).toBe('\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\$e\\$');
    expect(escapeMarkdown('a & b')).toBe('a &amp; b');
  });

  it('collapses newlines and control characters, and neutralises block syntax at the start', () => {
    expect(escapeMarkdown('line one\n\n# heading\r\n| a |')).toBe('line one # heading \\| a \\|');
    expect(escapeMarkdown('# title')).toBe('\\# title');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('tab\there\u001b[31mred')).toBe('tab here [31mred'.replace('[', '\\['));
  });

  it('stops @-mentions', () => {
    expect(escapeMarkdown('ping @org/team')).toBe('ping @&#8203;org/team');
  });

  it('caps the length without splitting a surrogate pair', () => {
    const capped = escapeMarkdown('😀'.repeat(300), 10);
    expect(Array.from(capped)).toHaveLength(10);
    expect(capped.endsWith('…')).toBe(true);
    expect(escapeMarkdown('x'.repeat(1000)).length).toBe(200);
  });

  it('accepts non-strings', () => {
    expect(escapeMarkdown(undefined)).toBe('');
    expect(escapeMarkdown(12)).toBe('12');
  });
});

describe('escapeMermaidLabel', () => {
  it('keeps a label inside its quotes and out of directives', () => {
    const label = escapeMermaidLabel('a "quoted" %%{init: {}}%%\n```\nb');
    expect(label).not.toMatch(/["%`{}\n]/);
    expect(label).toBe('a quoted init: b');
  });
});

describe('escapeTerminal', () => {
  it('strips ANSI and other control sequences', () => {
    const text = escapeTerminal('\u001b]0;pwned\u0007ok\u009b2J\nnext');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(text).toBe(']0;pwned ok 2J next');
  });
});
