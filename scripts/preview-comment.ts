/**
 * Renders the sticky PR comment as GitHub would show it (GFM, alerts, `<details>`, mermaid) in
 * headless Chromium and screenshots it, to check by eye that the verdict reads in one second.
 *
 *   npm run preview:comment                      # docs/comment-preview.png (regression),
 *                                                # docs/comment-preview-pass.png (pass)
 *   npm run preview:comment -- --out-dir /tmp/p --expanded --html
 *   npm run preview:comment -- --markdown body.md --out-dir /tmp/p   # any comment body
 *
 * The reports come from src/report with fixture runs (real HDR histograms) judged by the real
 * gate. The page loads nothing from the network: the mermaid bundle is inlined from node_modules
 * and every http(s) request is refused. Needs Debian's `chromium` (or CHROMIUM_PATH) and, for
 * faithful glyphs, `fonts-noto-core` and `fonts-noto-color-emoji`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Marked, type Tokens } from 'marked';
import { chromium } from 'playwright-core';
import { baselineFileName, describeKey } from '../src/domain/key.js';
import { defaultMeasureConfig } from '../src/config/parse.js';
import { judgeRun, resolveThresholds } from '../src/gate/index.js';
import { trialFiguresOf } from '../src/metrics/catalogue.js';
import { commentMarker } from '../src/github/comment.js';
import { renderReport } from '../src/report/markdown.js';
import { judged, type ReportInput } from '../src/report/types.js';
import { buildResults, type FixtureOptions } from '../test/helpers/results-fixture.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** Width of GitHub's PR conversation column: avatar, gap, and a comment box of about 900 px. */
const VIEWPORT = { width: 1008, height: 400 };
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Tags GitHub keeps in comment HTML (its sanitizer drops the rest, keeping their text). */
const GITHUB_TAGS = new Set(
  (
    'a abbr b bdo blockquote br caption cite code dd del details dfn div dl dt em figcaption ' +
    'figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p picture pre q rp rt ruby s samp ' +
    'small source span strike strong sub summary sup table tbody td tfoot th thead time tr tt ul ' +
    'var wbr'
  ).split(' '),
);

interface Preview {
  name: string;
  /** The comment body as posted: sticky marker, then the report. */
  markdown: string;
}

// ---------------------------------------------------------------------------------------------
// The comments

const CLASSES = ['chat', 'summarize', 'rag'];
const BASELINE_SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';

function run(options: FixtureOptions) {
  // 1,000 per class: enough for the gate to see twice each threshold, so a pass is a pass.
  return buildResults({ classes: CLASSES, requestsPerClass: 1000, ...options });
}

/** The report for a gate run against the standard baseline, exactly as the action posts it. */
function gateComment(current: ReturnType<typeof buildResults>): string {
  const baseline = run({ seed: 1, commit: BASELINE_SHA, date: '2026-11-02T14:03:00.000Z' });
  // Recorded as update-baseline does, with three trials: the gate then knows how much whole
  // runs vary and can see twice each threshold, so a pass is a plain pass.
  baseline.trials = [11, 12, 13].map((seed) => trialFiguresOf(run({ seed }).summary));
  const judgement = judgeRun({
    mode: 'gate',
    current,
    baseline,
    thresholds: resolveThresholds(''),
    policy: defaultMeasureConfig(),
  });
  const input: ReportInput = {
    mode: 'gate',
    ...judged(judgement),
    current,
    baseline,
    baselinePath: `baselines/${baselineFileName(baseline.key)}`,
    commitSha: current.provenance.commit,
  };
  return `${commentMarker(describeKey(current.key))}\n${renderReport(input)}`;
}

function builtInPreviews(): Preview[] {
  const date = '2026-11-20T10:00:00.000Z';
  return [
    {
      // TTFT about +30% and 0.75% of requests failing (HTTP 429).
      name: 'comment-preview',
      markdown: gateComment(
        run({
          seed: 2,
          ttftMedianMs: 260,
          failedPerClass: 3,
          errorClass: 'http_429',
          commit: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
          date,
        }),
      ),
    },
    {
      // Same endpoint, another seed: within thresholds and noise.
      name: 'comment-preview-pass',
      markdown: gateComment(
        run({ seed: 3, commit: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f', date }),
      ),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// GFM to HTML, close to what GitHub serves

const ALERT_ICONS: Record<string, string> = {
  // Octicons (MIT): info-16 for note/tip/important, alert-16 for warning/caution.
  info: 'M0 8a8 8 0 1 1 16 0A8 8 0 0 1 0 8Zm8-6.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM6.5 7.75A.75.75 0 0 1 7.25 7h1a.75.75 0 0 1 .75.75v2.75h.25a.75.75 0 0 1 0 1.5h-2a.75.75 0 0 1 0-1.5h.25v-2h-.25a.75.75 0 0 1-.75-.75ZM8 6a1 1 0 1 1 0-2 1 1 0 0 1 0 2Z',
  alert:
    'M6.457 1.047c.659-1.234 2.427-1.234 3.086 0l6.082 11.378A1.75 1.75 0 0 1 14.082 15H1.918a1.75 1.75 0 0 1-1.543-2.575Zm1.763.707a.25.25 0 0 0-.44 0L1.698 13.132a.25.25 0 0 0 .22.368h12.164a.25.25 0 0 0 .22-.368Zm.53 3.996v2.5a.75.75 0 0 1-1.5 0v-2.5a.75.75 0 0 1 1.5 0ZM9 11a1 1 0 1 1-2 0 1 1 0 0 1 2 0Z',
};
const ALERT_PATTERN = /^<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(<\/p>\n?|<br>\n?|\n)/;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function alertTitle(kind: string): string {
  const icon = kind === 'WARNING' || kind === 'CAUTION' ? ALERT_ICONS.alert : ALERT_ICONS.info;
  const title = kind.charAt(0) + kind.slice(1).toLowerCase();
  return `<p class="markdown-alert-title"><svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="${icon}"></path></svg>${title}</p>\n`;
}

const marked = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? '').trim().split(/\s+/)[0] ?? '';
      if (language === 'mermaid') return `<pre class="mermaid">${escapeHtml(text)}</pre>\n`;
      const cls = language ? ` class="language-${escapeHtml(language)}"` : '';
      return `<pre><code${cls}>${escapeHtml(text)}</code></pre>\n`;
    },
    html({ text }: Tokens.HTML | Tokens.Tag) {
      // As GitHub's sanitizer: tags outside its allowlist go, their content stays.
      return text.replace(/<\/?([A-Za-z][A-Za-z0-9-]*)\b[^>]*>/g, (tag, name: string) =>
        GITHUB_TAGS.has(name.toLowerCase()) ? tag : '',
      );
    },
    blockquote({ tokens }: Tokens.Blockquote) {
      const inner = this.parser.parse(tokens);
      const alert = ALERT_PATTERN.exec(inner);
      if (!alert) return `<blockquote>\n${inner}</blockquote>\n`;
      const kind = alert[1]!;
      // The marker ended the paragraph, or only its first line: reopen the paragraph then.
      const rest = (alert[2]!.startsWith('</p>') ? '' : '<p>') + inner.slice(alert[0].length);
      return `<div class="markdown-alert markdown-alert-${kind.toLowerCase()}">\n${alertTitle(kind)}${rest}</div>\n`;
    },
  },
});

/** HTML tags in the markdown (outside code) that GitHub would strip. */
function strippedTags(markdown: string): string[] {
  const outsideCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const tags = [...outsideCode.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)[\s/>]/g)].map((m) =>
    m[1]!.toLowerCase(),
  );
  return [...new Set(tags.filter((tag) => !GITHUB_TAGS.has(tag)))];
}

const PAGE_SCRIPT = `
(async () => {
  try {
    mermaid.initialize({ startOnLoad: false, theme: 'default', securityLevel: 'strict' });
    await mermaid.run({ querySelector: 'pre.mermaid' });
  } catch (error) {
    window.__previewError = String((error && error.message) || error);
  }
  await document.fonts.ready;
  window.__previewDone = true;
})();
`;

function page(markdown: string, css: string, mermaidBundle: string): string {
  const body = marked.parse(markdown, { async: false });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>comment preview</title>
<style>${css}</style></head>
<body>
<div class="timeline-item">
  <div class="avatar">GH</div>
  <div class="comment">
    <div class="comment-header"><strong>github-actions</strong><span class="label">bot</span> commented</div>
    <div class="markdown-body">
${body}
    </div>
  </div>
</div>
<script>${mermaidBundle}</script>
<script>${PAGE_SCRIPT}</script>
</body></html>`;
}

// ---------------------------------------------------------------------------------------------
// Screenshots

interface Options {
  outDir: string;
  expanded: boolean;
  html: boolean;
  scale: number;
}

/** A setup problem the user fixes outside this script: printed as one line, no stack. */
class SetupError extends Error {}

async function launchChromium(profileDir: string, options: Options) {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new SetupError(
      `needs Chromium at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  try {
    return await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: VIEWPORT,
      deviceScaleFactor: options.scale,
      colorScheme: 'light',
    });
  } catch (error) {
    const firstLine = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new SetupError(`could not start Chromium at ${executablePath}: ${firstLine}`);
  }
}

async function screenshot(previews: Preview[], options: Options): Promise<boolean> {
  const css = readFileSync(join(ROOT, 'scripts/preview/github.css'), 'utf8');
  const mermaidBundle = readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
  const work = mkdtempSync(join(tmpdir(), 'llm-perf-gate-preview-'));
  const context = await launchChromium(join(work, 'profile'), options);
  let ok = true;
  try {
    const blocked: string[] = [];
    await context.route(/^(https?|wss?):/, (route) => {
      blocked.push(route.request().url());
      return route.abort();
    });
    mkdirSync(options.outDir, { recursive: true });
    for (const preview of previews) {
      const stripped = strippedTags(preview.markdown);
      if (stripped.length > 0) {
        console.warn(
          `${preview.name}: GitHub strips <${stripped.join('>, <')}> (so does this preview)`,
        );
      }
      const htmlPath = join(work, `${preview.name}.html`);
      writeFileSync(htmlPath, page(preview.markdown, css, mermaidBundle));
      const tab = await context.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      await tab.goto(pathToFileURL(htmlPath).href);
      await tab.waitForFunction('window.__previewDone === true', undefined, { timeout: 60_000 });
      const mermaidError = (await tab.evaluate('window.__previewError')) as string | undefined;
      if (mermaidError) errors.push(`mermaid: ${mermaidError}`);

      const shots: Array<[string, boolean]> = [[preview.name, false]];
      if (options.expanded) shots.push([`${preview.name}-expanded`, true]);
      for (const [file, open] of shots) {
        await tab.evaluate(
          `document.querySelectorAll('details').forEach((d) => { d.open = ${open}; })`,
        );
        const png = join(options.outDir, `${file}.png`);
        await tab.screenshot({ path: png, fullPage: true });
        console.log(`${png}  (${preview.markdown.length} characters of markdown)`);
      }
      if (options.html) {
        writeFileSync(join(options.outDir, `${preview.name}.md`), preview.markdown);
        writeFileSync(join(options.outDir, `${preview.name}.html`), await tab.content());
      }
      for (const error of errors) console.error(`${preview.name}: ${error}`);
      if (errors.length > 0) ok = false;
      await tab.close();
    }
    for (const url of blocked) console.error(`blocked a network request: ${url}`);
  } finally {
    await context.close();
    rmSync(work, { recursive: true, force: true });
  }
  return ok;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'out-dir': { type: 'string', default: join(ROOT, 'docs') },
      expanded: { type: 'boolean', default: false },
      html: { type: 'boolean', default: false },
      markdown: { type: 'string' },
      scale: { type: 'string', default: '2' },
    },
  });
  const previews = values.markdown
    ? [{ name: 'comment-preview-markdown', markdown: readFileSync(values.markdown, 'utf8') }]
    : builtInPreviews();
  const ok = await screenshot(previews, {
    outDir: resolve(values['out-dir']),
    expanded: values.expanded,
    html: values.html,
    scale: Number(values.scale),
  });
  if (!ok) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  if (!(error instanceof SetupError)) throw error;
  console.error(`preview:comment ${error.message}`);
  process.exitCode = 2;
}
