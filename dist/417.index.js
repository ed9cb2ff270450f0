export const id = 417;
export const ids = [417];
export const modules = {

/***/ 45417:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MAX_COMMENT_LENGTH: () => (/* binding */ MAX_COMMENT_LENGTH),
  renderReport: () => (/* binding */ renderReport)
});

;// CONCATENATED MODULE: ./node_modules/markdown-table/index.js
// To do: next major: remove.
/**
 * @typedef {Options} MarkdownTableOptions
 *   Configuration.
 */

/**
 * @typedef Options
 *   Configuration.
 * @property {boolean | null | undefined} [alignDelimiters=true]
 *   Whether to align the delimiters (default: `true`);
 *   they are aligned by default:
 *
 *   ```markdown
 *   | Alpha | B     |
 *   | ----- | ----- |
 *   | C     | Delta |
 *   ```
 *
 *   Pass `false` to make them staggered:
 *
 *   ```markdown
 *   | Alpha | B |
 *   | - | - |
 *   | C | Delta |
 *   ```
 * @property {ReadonlyArray<string | null | undefined> | string | null | undefined} [align]
 *   How to align columns (default: `''`);
 *   one style for all columns or styles for their respective columns;
 *   each style is either `'l'` (left), `'r'` (right), or `'c'` (center);
 *   other values are treated as `''`, which doesn’t place the colon in the
 *   alignment row but does align left;
 *   *only the lowercased first character is used, so `Right` is fine.*
 * @property {boolean | null | undefined} [delimiterEnd=true]
 *   Whether to end each row with the delimiter (default: `true`).
 *
 *   > 👉 **Note**: please don’t use this: it could create fragile structures
 *   > that aren’t understandable to some markdown parsers.
 *
 *   When `true`, there are ending delimiters:
 *
 *   ```markdown
 *   | Alpha | B     |
 *   | ----- | ----- |
 *   | C     | Delta |
 *   ```
 *
 *   When `false`, there are no ending delimiters:
 *
 *   ```markdown
 *   | Alpha | B
 *   | ----- | -----
 *   | C     | Delta
 *   ```
 * @property {boolean | null | undefined} [fillRows=true]
 *   Whether to fill rows with empty cells up to the most cells in a row
 *   (default: `true`).
 *
 *   When `true`, all rows have as many cells as the longest row:
 *
 *   ```markdown
 *   | Alpha | B    |   |
 *   | ----- | ---- | - |
 *   | C     |      |   |
 *   | D     | Echo | F |
 *   ```
 *
 *   When `false`, rows keep their cells,
 *   and the delimiter row has as many cells as the header row:
 *
 *   ```markdown
 *   | Alpha | B    |
 *   | ----- | ---- |
 *   | C     |
 *   | D     | Echo | F |
 *   ```
 * @property {boolean | null | undefined} [delimiterStart=true]
 *   Whether to begin each row with the delimiter (default: `true`).
 *
 *   > 👉 **Note**: please don’t use this: it could create fragile structures
 *   > that aren’t understandable to some markdown parsers.
 *
 *   When `true`, there are starting delimiters:
 *
 *   ```markdown
 *   | Alpha | B     |
 *   | ----- | ----- |
 *   | C     | Delta |
 *   ```
 *
 *   When `false`, there are no starting delimiters:
 *
 *   ```markdown
 *   Alpha | B     |
 *   ----- | ----- |
 *   C     | Delta |
 *   ```
 * @property {boolean | null | undefined} [padding=true]
 *   Whether to add a space of padding between delimiters and cells
 *   (default: `true`).
 *
 *   When `true`, there is padding:
 *
 *   ```markdown
 *   | Alpha | B     |
 *   | ----- | ----- |
 *   | C     | Delta |
 *   ```
 *
 *   When `false`, there is no padding:
 *
 *   ```markdown
 *   |Alpha|B    |
 *   |-----|-----|
 *   |C    |Delta|
 *   ```
 * @property {((value: string) => number) | null | undefined} [stringLength]
 *   Function to detect the length of table cell content (optional);
 *   this is used when aligning the delimiters (`|`) between table cells;
 *   full-width characters and emoji mess up delimiter alignment when viewing
 *   the markdown source;
 *   to fix this, you can pass this function,
 *   which receives the cell content and returns its “visible” size;
 *   note that what is and isn’t visible depends on where the text is displayed.
 *
 *   Without such a function, the following:
 *
 *   ```js
 *   markdownTable([
 *     ['Alpha', 'Bravo'],
 *     ['中文', 'Charlie'],
 *     ['👩‍❤️‍👩', 'Delta']
 *   ])
 *   ```
 *
 *   Yields:
 *
 *   ```markdown
 *   | Alpha | Bravo |
 *   | - | - |
 *   | 中文 | Charlie |
 *   | 👩‍❤️‍👩 | Delta |
 *   ```
 *
 *   With [`string-width`](https://github.com/sindresorhus/string-width):
 *
 *   ```js
 *   import stringWidth from 'string-width'
 *
 *   markdownTable(
 *     [
 *       ['Alpha', 'Bravo'],
 *       ['中文', 'Charlie'],
 *       ['👩‍❤️‍👩', 'Delta']
 *     ],
 *     {stringLength: stringWidth}
 *   )
 *   ```
 *
 *   Yields:
 *
 *   ```markdown
 *   | Alpha | Bravo   |
 *   | ----- | ------- |
 *   | 中文  | Charlie |
 *   | 👩‍❤️‍👩    | Delta   |
 *   ```
 */

/**
 * Get the length of a cell.
 *
 * @param {string} value
 *   Cell value.
 * @returns {number}
 *   Cell size.
 */
function defaultStringLength(value) {
  return value.length
}

/**
 * Generate a markdown
 * ([GFM](https://docs.github.com/en/github/writing-on-github/working-with-advanced-formatting/organizing-information-with-tables))
 * table.
 *
 * @param {ReadonlyArray<ReadonlyArray<string | null | undefined>>} table
 *   Table data (matrix of strings).
 * @param {Readonly<Options> | null | undefined} [options]
 *   Configuration (optional).
 * @returns {string}
 *   Result.
 */
function markdownTable(table, options) {
  const settings = options || {}
  // To do: next major: change to spread.
  // eslint-disable-next-line unicorn/prefer-spread -- `align` can be a string.
  const align = (settings.align || []).concat()
  const stringLength = settings.stringLength || defaultStringLength
  /** @type {Array<number>} Character codes as symbols for alignment per column. */
  const alignments = []
  /** @type {Array<Array<string>>} Cells per row. */
  const cellMatrix = []
  /** @type {Array<Array<number>>} Sizes of each cell per row. */
  const sizeMatrix = []
  /** @type {Array<number>} */
  const longestCellByColumn = []
  let mostCellsPerRow = 0
  let rowIndex = -1

  // This is a superfluous loop if we don’t align delimiters, but otherwise we’d
  // do superfluous work when aligning, so optimize for aligning.
  while (++rowIndex < table.length) {
    /** @type {Array<string>} */
    const row = []
    /** @type {Array<number>} */
    const sizes = []
    let columnIndex = -1

    if (table[rowIndex].length > mostCellsPerRow) {
      mostCellsPerRow = table[rowIndex].length
    }

    while (++columnIndex < table[rowIndex].length) {
      const cell = serialize(table[rowIndex][columnIndex])

      if (settings.alignDelimiters !== false) {
        const size = stringLength(cell)
        sizes[columnIndex] = size

        if (
          longestCellByColumn[columnIndex] === undefined ||
          size > longestCellByColumn[columnIndex]
        ) {
          longestCellByColumn[columnIndex] = size
        }
      }

      row.push(cell)
    }

    cellMatrix[rowIndex] = row
    sizeMatrix[rowIndex] = sizes
  }

  // Figure out which alignments to use.
  let columnIndex = -1

  if (typeof align === 'object' && 'length' in align) {
    while (++columnIndex < mostCellsPerRow) {
      alignments[columnIndex] = toAlignment(align[columnIndex])
    }
  } else {
    const code = toAlignment(align)

    while (++columnIndex < mostCellsPerRow) {
      alignments[columnIndex] = code
    }
  }

  // Inject the alignment row.
  columnIndex = -1
  /** @type {Array<string>} */
  const row = []
  /** @type {Array<number>} */
  const sizes = []

  while (++columnIndex < mostCellsPerRow) {
    const code = alignments[columnIndex]
    let before = ''
    let after = ''

    if (code === 99 /* `c` */) {
      before = ':'
      after = ':'
    } else if (code === 108 /* `l` */) {
      before = ':'
    } else if (code === 114 /* `r` */) {
      after = ':'
    }

    // There *must* be at least one hyphen-minus in each alignment cell.
    let size =
      settings.alignDelimiters === false
        ? 1
        : Math.max(
            1,
            longestCellByColumn[columnIndex] - before.length - after.length
          )

    const cell = before + '-'.repeat(size) + after

    if (settings.alignDelimiters !== false) {
      size = before.length + size + after.length

      if (size > longestCellByColumn[columnIndex]) {
        longestCellByColumn[columnIndex] = size
      }

      sizes[columnIndex] = size
    }

    row[columnIndex] = cell
  }

  // Inject the alignment row.
  cellMatrix.splice(1, 0, row)
  sizeMatrix.splice(1, 0, sizes)

  rowIndex = -1
  /** @type {Array<string>} */
  const lines = []

  while (++rowIndex < cellMatrix.length) {
    const row = cellMatrix[rowIndex]
    const sizes = sizeMatrix[rowIndex]
    const cellsInRow =
      settings.fillRows === false
        ? Math.max(1, cellMatrix[rowIndex === 1 ? 0 : rowIndex].length)
        : mostCellsPerRow
    columnIndex = -1
    /** @type {Array<string>} */
    const line = []

    while (++columnIndex < cellsInRow) {
      const cell = row[columnIndex] || ''
      let before = ''
      let after = ''

      if (settings.alignDelimiters !== false) {
        const size =
          longestCellByColumn[columnIndex] - (sizes[columnIndex] || 0)
        const code = alignments[columnIndex]

        if (code === 114 /* `r` */) {
          before = ' '.repeat(size)
        } else if (code === 99 /* `c` */) {
          const half = size / 2

          if (size % 2) {
            before = ' '.repeat(half + 0.5)
            after = ' '.repeat(half - 0.5)
          } else {
            before = ' '.repeat(half)
            after = before
          }
        } else {
          after = ' '.repeat(size)
        }
      }

      if (settings.delimiterStart !== false && !columnIndex) {
        line.push('|')
      }

      if (
        settings.padding !== false &&
        // Don’t add the opening space if we’re not aligning and the cell is
        // empty: there will be a closing space.
        !(settings.alignDelimiters === false && cell === '') &&
        (settings.delimiterStart !== false || columnIndex)
      ) {
        line.push(' ')
      }

      if (settings.alignDelimiters !== false) {
        line.push(before)
      }

      line.push(cell)

      if (settings.alignDelimiters !== false) {
        line.push(after)
      }

      if (settings.padding !== false) {
        line.push(' ')
      }

      if (settings.delimiterEnd !== false || columnIndex !== cellsInRow - 1) {
        line.push('|')
      }
    }

    lines.push(
      settings.delimiterEnd === false
        ? line.join('').replace(/ +$/, '')
        : line.join('')
    )
  }

  return lines.join('\n')
}

/**
 * Serialize a cell value.
 *
 * @param {string | null | undefined} [value]
 *   Value to serialize.
 * @returns {string}
 *   Result.
 */
function serialize(value) {
  return value === null || value === undefined ? '' : String(value)
}

/**
 * Get the alignment character code from a value.
 *
 * @param {string | null | undefined} value
 *   Value.
 * @returns {number}
 *   Alignment.
 */
function toAlignment(value) {
  const code = typeof value === 'string' ? value.codePointAt(0) : 0

  return code === 67 /* `C` */ || code === 99 /* `c` */
    ? 99 /* `c` */
    : code === 76 /* `L` */ || code === 108 /* `l` */
      ? 108 /* `l` */
      : code === 82 /* `R` */ || code === 114 /* `r` */
        ? 114 /* `r` */
        : 0
}

// EXTERNAL MODULE: ./src/domain/sweep-level.ts
var sweep_level = __webpack_require__(50023);
;// CONCATENATED MODULE: ./src/report/escape.ts
/**
 * Escaping for text we do not control (model, hardware, mix and class names, server headers,
 * warning and error messages). Everything such text passes through before it reaches a PR
 * comment, a mermaid chart or a terminal, so that it can neither break the layout nor inject
 * markup, links, mentions or terminal control sequences.
 */
/** Default cap for one piece of inline text, in characters (before escaping). */
const MAX_INLINE_LENGTH = 200;
// C0/C1 control characters (ESC included), plus line and paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_OR_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
/** One line of plain text: control characters and line breaks become single spaces, capped. */
function toSingleLine(text, maxLength) {
    const line = String(text ?? '')
        .replace(CONTROL_OR_BREAK, ' ')
        .replace(/ {2,}/g, ' ')
        .trim();
    const chars = Array.from(line); // code points, so a cap never splits a surrogate pair
    if (chars.length <= maxLength)
        return line;
    return `${chars.slice(0, Math.max(0, maxLength - 1)).join('')}…`;
}
/**
 * Escapes text for GFM inline content and table cells. HTML becomes entities, markdown
 * punctuation is backslash-escaped (backslash first, so `\|` cannot turn back into a pipe), `@`
 * gets a zero-width space so that nobody is mentioned, and block syntax at the start is
 * neutralised. Do not put the result inside a code span: backslashes would show there.
 */
function escapeMarkdown(text, maxLength = MAX_INLINE_LENGTH) {
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
function escapeMermaidLabel(text, maxLength = 60) {
    return toSingleLine(text, maxLength)
        .replace(/[^\p{L}\p{N} .,:()/+\-_·']/gu, '')
        .replace(/ {2,}/g, ' ')
        .trim();
}
/** Plain text for a terminal: no control sequences (ANSI escapes included), one line, capped. */
function escape_escapeTerminal(text, maxLength = MAX_INLINE_LENGTH) {
    return toSingleLine(text, maxLength);
}

// EXTERNAL MODULE: ./src/format.ts
var format = __webpack_require__(16264);
;// CONCATENATED MODULE: ./src/report/sweep.ts




function levelLabel(results, level) {
    return (0,sweep_level/* sweepLevelName */.S)(results.sweep?.dimension ?? 'concurrency', level);
}
function lineChart(title, axis, categories, series) {
    const values = series.flatMap((points) => points ?? []).filter(Number.isFinite);
    const top = Math.ceil(Math.max(...values, 1) * 1.1);
    const palette = series.length > 1 && series[0] ? '#8c959f, #0969da' : '#0969da';
    return [
        '```mermaid',
        `%%{init: {"xyChart": {"height": 280}, "themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
        'xychart-beta',
        `  title "${title}"`,
        `  x-axis [${categories.map((category) => `"${category}"`).join(', ')}]`,
        `  y-axis "${axis}" 0 --> ${top}`,
        ...series
            .filter((points) => points !== undefined)
            .map((points) => `  line [${points.map((value) => value.toFixed(1)).join(', ')}]`),
        '```',
    ].join('\n');
}
/**
 * The throughput–latency curve of a sweep: a table per level, the knee, and the curve as charts
 * (baseline grey, this run blue) so a shifted knee is visible at a glance.
 */
function renderSweepSection(current, baseline) {
    const sweep = current.sweep;
    if (!sweep)
        return '';
    const categories = sweep.levels.map((level) => levelLabel(current, level.level));
    const curve = (pick, results) => results?.sweep
        ? sweep.levels.map((level) => {
            const match = results.sweep?.levels.find((candidate) => candidate.level === level.level);
            return match ? pick(match) : NaN;
        })
        : undefined;
    const ttft = (level) => level.summary.distributions.ttft.p95Ms;
    const tokens = (level) => level.summary.outputTokensPerSecond;
    return [
        `#### Sweep over ${sweep.dimension}`,
        renderSweepTable(current, baseline),
        lineChart('p95 TTFT by level', 'TTFT p95 (ms)', categories, [
            curve(ttft, baseline),
            curve(ttft, current),
        ]),
        lineChart('Output tokens/s by level', 'tokens/s', categories, [
            curve(tokens, baseline),
            curve(tokens, current),
        ]),
        baseline
            ? '<sub>Grey: baseline; blue: this run.</sub>'
            : '<sub>This run; no baseline curve yet.</sub>',
    ].join('\n\n');
}
function sweepTable(current, baseline) {
    const sweep = current.sweep;
    if (!sweep)
        return undefined;
    const baselineLevel = (level) => baseline?.sweep?.levels.find((candidate) => candidate.level === level);
    const rows = sweep.levels.map((level) => {
        const d = level.summary.distributions;
        const before = baselineLevel(level.level);
        return [
            levelLabel(current, level.level) + (sweep.knee?.level === level.level ? ' ◀ knee' : ''),
            (0,format/* formatRequestsPerSecond */.NB)(level.summary.requestsPerSecond),
            (0,format/* formatTokensPerSecond */.FR)(level.summary.outputTokensPerSecond),
            ...(baseline ? [(0,format/* formatTokensPerSecond */.FR)(before?.summary.outputTokensPerSecond)] : []),
            (0,format/* formatMs */._V)(d.ttft.p50Ms),
            (0,format/* formatMs */._V)(d.ttft.p95Ms),
            ...(baseline ? [(0,format/* formatMs */._V)(before?.summary.distributions.ttft.p95Ms)] : []),
            (0,format/* formatMs */._V)(d.ttft.p99Ms),
            (0,format/* formatMs */._V)(d.itl.p95Ms),
            (0,format/* formatMs */._V)(d.e2e.p95Ms),
            (0,format/* formatErrorRate */.yV)(level.summary.errorRate),
        ];
    });
    const header = [
        'Level',
        'Req/s',
        'Tok/s',
        ...(baseline ? ['Tok/s (baseline)'] : []),
        'TTFT p50',
        'TTFT p95',
        ...(baseline ? ['TTFT p95 (baseline)'] : []),
        'TTFT p99',
        'ITL p95',
        'E2E p95',
        'Errors',
    ];
    return {
        ...(sweep.knee
            ? { knee: { level: levelLabel(current, sweep.knee.level), reason: sweep.knee.reason } }
            : {}),
        ...(sweep.noKnee ? { noKnee: sweep.noKnee } : {}),
        header,
        rows,
        clientBound: sweep.levels.map((level) => level.selfCheck.saturated),
    };
}
/** The knee line and a markdown table per level. */
function renderSweepTable(current, baseline) {
    const table = sweepTable(current, baseline);
    if (!table)
        return '';
    const knee = table.knee
        ? `**Knee:** ${table.knee.level}: ${escapeMarkdown(table.knee.reason)}.`
        : `**Knee:** none: ${escapeMarkdown(table.noKnee ?? 'no level was worth its load')}.`;
    const rows = table.rows.map((row, index) => [
        ...row,
        table.clientBound[index] ? '⚠️ client-bound' : '',
    ]);
    return [knee, markdownTable([[...table.header, ''], ...rows], { alignDelimiters: false })].join('\n\n');
}

// EXTERNAL MODULE: ./src/baseline/history.ts
var baseline_history = __webpack_require__(12199);
// EXTERNAL MODULE: ./src/metrics/catalogue.ts
var catalogue = __webpack_require__(20264);
;// CONCATENATED MODULE: ./src/report/trend.ts
/**
 * The trend of the gated figures over the baseline's history of accepted runs, with this run as
 * the last point: a drift that builds up over weeks is visible before it becomes a regression.
 */




/** Primer colours, one per line in plot order (xychart has no legend: the caption names them). */
const LINE_COLORS = [
    { name: 'blue', hex: '#0969da' },
    { name: 'orange', hex: '#bc4c00' },
    { name: 'purple', hex: '#8250df' },
    { name: 'green', hex: '#1a7f37' },
    { name: 'grey', hex: '#6e7781' },
];
const CHART_HEIGHT = 240;
const THIS_RUN = 'this run';
/** A section for the report; empty when there is no history to draw (fewer than two runs). */
function renderTrendSection(input) {
    const history = input.baseline?.history ?? [];
    if (history.length < 2 || !input.gate)
        return '';
    const runs = [...history, (0,baseline_history/* historyRunOf */.F)(input.current)];
    const gated = input.gate.checks.filter((check) => check.threshold);
    const lines = gated.flatMap((check) => trendLine(check, runs)).slice(0, LINE_COLORS.length);
    const errorRates = gated.some((check) => check.metric === catalogue/* ERROR_RATE */.Qf)
        ? runs.map((run) => (0,format/* formatErrorRate */.yV)(run.figures.errorRate))
        : [];
    if (lines.length === 0 && errorRates.length === 0)
        return '';
    const labels = categoryLabels(history);
    const parts = [`**Trend over the last ${history.length} accepted runs**`];
    if (lines.length > 0)
        parts.push(chart(lines, labels));
    const caption = lines.map((line, index) => `${LINE_COLORS[index].name}: ${line.label}`);
    const notes = [
        lines.length > 0
            ? `% of the baseline run (100 = baseline), last point: ${THIS_RUN}. ${caption.join(', ')}.`
            : '',
        errorRates.length > 0
            ? `Error rate: ${errorRates.slice(0, -1).join(', ')}; ${THIS_RUN} ${errorRates.at(-1)}.`
            : '',
    ].filter(Boolean);
    parts.push(`<sub>${escapeMarkdown(notes.join(' '), 600)}</sub>`);
    return parts.join('\n\n');
}
function trendLine(check, runs) {
    const values = runs.map((run) => (0,catalogue/* trialValue */.So)(run.figures, check.metric));
    const reference = values.at(-2);
    if (values.some((value) => value === undefined) || !reference)
        return [];
    return [{ label: check.label, indexed: values.map((value) => ((value ?? 0) / reference) * 100) }];
}
/** `11-20` per run, unique (a second run on a day gets `(2)`), then `this run`. */
function categoryLabels(history) {
    const seen = new Map();
    const labels = history.map((run) => {
        const day = run.date.slice(5, 10) || '?';
        const count = (seen.get(day) ?? 0) + 1;
        seen.set(day, count);
        return count > 1 ? `${day} (${count})` : day;
    });
    return [...labels, THIS_RUN];
}
function chart(lines, labels) {
    const all = lines.flatMap((line) => line.indexed).filter(Number.isFinite);
    const low = Math.floor(Math.min(...all, 100) / 5) * 5 - 5;
    const high = Math.ceil(Math.max(...all, 100) / 5) * 5 + 5;
    const palette = lines.map((_line, index) => LINE_COLORS[index].hex).join(', ');
    const init = `{"xyChart": {"height": ${CHART_HEIGHT}}, "themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}`;
    const categories = labels.map((label) => `"${escapeMermaidLabel(label)}"`).join(', ');
    return [
        '```mermaid',
        `%%{init: ${init}}%%`,
        'xychart-beta',
        `  x-axis [${categories}]`,
        `  y-axis "% of baseline" ${Math.max(0, low)} --> ${high}`,
        ...lines.map((line) => `  line [${line.indexed.map((value) => (Number.isFinite(value) ? value.toFixed(1) : '0')).join(', ')}]`),
        '```',
    ].join('\n');
}

// EXTERNAL MODULE: ./src/gate/diagnosis.ts
var diagnosis = __webpack_require__(10418);
;// CONCATENATED MODULE: ./src/report/server-view.ts
/**
 * The server's side of the report: the diagnosis sentence under the headline and the "Server
 * view" section (baseline vs current), from the results' `server` section. Markdown and terminal
 * share the rows built here; each renderer escapes what it draws.
 */





/** Generic rows for an unknown server: enough to see what moved; the rest is in the results. */
const MAX_GENERIC_ROWS = 40;
function rowsOf(current, baseline) {
    if (current.server === 'unknown')
        return genericRows(current, baseline);
    return (0,catalogue/* serverViewFigures */.q8)().flatMap((spec) => {
        const now = spec.read(current);
        const before = baseline ? spec.read(baseline) : undefined;
        if (now === undefined && before === undefined)
            return [];
        const shown = (view, value) => {
            const floor = spec.floor?.(view);
            return value !== undefined && floor !== undefined && value <= floor
                ? `≤ ${(0,format/* formatValue */.Fl)(floor, spec.unit)}`
                : (0,format/* formatValue */.Fl)(value, spec.unit);
        };
        const floored = (view, value) => view !== undefined && shown(view, value).startsWith('≤');
        return [
            {
                label: spec.viewLabel,
                current: shown(current, now),
                ...(baseline ? { baseline: shown(baseline, before) } : {}),
                // A change between two "≤ bound" figures means nothing.
                ...(baseline
                    ? {
                        delta: floored(current, now) || floored(baseline, before) ? format/* MISSING */.lV : change(before, now),
                    }
                    : {}),
            },
        ];
    });
}
function genericRows(current, baseline) {
    const generic = current.generic;
    if (!generic)
        return [];
    const counters = Object.entries(generic.counters).map(([name, value]) => {
        const before = baseline?.generic?.counters[name];
        return row(`${name} (Δ)`, value, before, baseline !== undefined);
    });
    const gauges = Object.entries(generic.gauges).map(([name, figures]) => {
        const before = baseline?.generic?.gauges[name]?.mean;
        return row(`${name} (mean, max ${(0,format/* formatValue */.Fl)(figures.max, 'count')})`, figures.mean, before, baseline !== undefined);
    });
    return [...counters, ...gauges].slice(0, MAX_GENERIC_ROWS);
}
function row(label, now, before, compared) {
    return {
        label,
        current: (0,format/* formatValue */.Fl)(now, 'count'),
        ...(compared ? { baseline: (0,format/* formatValue */.Fl)(before, 'count'), delta: change(before, now) } : {}),
    };
}
function change(before, now) {
    if (before === undefined || now === undefined || before === 0)
        return format/* MISSING */.lV;
    return (0,format/* formatSignedPercent */.h9)((now - before) / before);
}
function describe(current, baseline) {
    const scrapes = `${current.scrapes} scrapes${current.failedScrapes > 0 ? ` (${current.failedScrapes} failed)` : ''}`;
    const other = baseline && baseline.server !== current.server
        ? ` The baseline's server was ${baseline.serverLabel}: rows may not compare.`
        : '';
    const percentiles = current.server === 'unknown'
        ? "An unknown server: each counter's change over the measured phases and each gauge's mean."
        : "Percentiles are interpolated within the server's histogram buckets, as Prometheus' histogram_quantile() does; means are exact.";
    return `${current.serverLabel} at ${current.url} · ${scrapes}. ${percentiles}${other}`;
}
function sides(input) {
    const current = input.current.server;
    return {
        ...(current ? { current } : {}),
        ...(input.baseline?.server ? { baseline: input.baseline.server } : {}),
    };
}
/** `**Diagnosis:** …` under the headline (a line per sweep level); empty when nothing regressed. */
function renderDiagnosisMarkdown(input) {
    return (0,diagnosis/* diagnosisLines */.dc)(input.diagnoses ?? [])
        .map((line) => `**Diagnosis:** ${escapeMarkdown(line, 2000)}`)
        .join('\n\n');
}
function renderDiagnosisTerminal(input) {
    return diagnosisLines(input.diagnoses ?? [])
        .map((line) => `Diagnosis: ${escapeTerminal(line, 2000)}`)
        .join('\n');
}
/** The "Server view" section; empty when this run has no metrics-url. */
function renderServerViewMarkdown(input) {
    const { current, baseline } = sides(input);
    if (!current)
        return '';
    const rows = rowsOf(current, baseline);
    const e = (text) => escapeMarkdown(text ?? format/* MISSING */.lV);
    const header = baseline ? ['Server', 'Baseline', 'Current', 'Δ'] : ['Server', 'Current'];
    const body = rows.map((r) => baseline ? [e(r.label), e(r.baseline), e(r.current), e(r.delta)] : [e(r.label), e(r.current)]);
    const table = rows.length > 0
        ? markdownTable([header, ...body], {
            align: header.map((_, index) => (index === 0 ? 'l' : 'r')),
            alignDelimiters: false,
        })
        : '';
    // Its warnings are in the report's Warnings already (results.warnings, code server-metrics).
    return ['#### Server view', `<sub>${e(describe(current, baseline))}</sub>`, table]
        .filter(Boolean)
        .join('\n\n');
}
function renderServerViewTerminal(input, table) {
    const { current, baseline } = sides(input);
    if (!current)
        return '';
    const t = (text) => escapeTerminal(text ?? MISSING);
    const rows = rowsOf(current, baseline).map((r) => baseline ? [t(r.label), t(r.baseline), t(r.current), t(r.delta)] : [t(r.label), t(r.current)]);
    const header = baseline ? ['', 'baseline', 'current', 'Δ'] : ['', 'current'];
    return [
        `Server view: ${t(describe(current, baseline))}`,
        rows.length > 0
            ? table([header, ...rows], header.map((_, index) => (index === 0 ? 'l' : 'r')))
            : '',
    ]
        .filter(Boolean)
        .join('\n');
}

;// CONCATENATED MODULE: ./src/report/glossary.ts
/** One-line metric definitions for the "How to read this" part of a report (same as the README). */
const GLOSSARY = [
    {
        term: 'TTFT',
        definition: 'time to first token: from just before the request is sent to the first streamed event that carries generated text.',
    },
    {
        term: 'TTFB',
        definition: 'time to first byte (response headers); a large gap to TTFT points at buffering or a slow prefill.',
    },
    {
        term: 'ITL',
        definition: 'inter-token latency: every gap between successive text-carrying events, pooled.',
    },
    {
        term: 'TPOT',
        definition: 'time per output token of one request: (E2E − TTFT) / (output tokens − 1).',
    },
    { term: 'E2E', definition: 'end-to-end latency: request start to the end of the stream.' },
    {
        term: 'Output tokens/s',
        definition: 'output tokens of successful requests / measurement window (first start to last end).',
    },
    { term: 'Requests/s', definition: 'successful measured requests / measurement window.' },
    {
        term: 'Error rate',
        definition: 'failed / measured requests; a failure is a transport error, timeout, non-2xx status, bad stream or empty answer.',
    },
    { term: 'Goodput', definition: 'requests/s that met every SLO that was set.' },
    {
        term: 'pN',
        definition: 'percentile from an HDR histogram; p95 needs about 200 samples and p99 about 1,000 to be stable.',
    },
    {
        term: 'p',
        definition: 'how often identical runs would differ at least this much: p=0.03 means 3 of 100. The gate fails a change only when p is small and the change is beyond the threshold.',
    },
    {
        term: '99% CI',
        definition: 'the range the true change lies in with 99% confidence, e.g. +17% … +42%.',
    },
    {
        term: 'n and trials',
        definition: 'n=3000/3000: samples in the baseline / this run; trials 3/1: whole runs in the baseline / this run (more trials show how much whole runs vary).',
    },
    {
        term: 'Status',
        definition: '✅ within the threshold · ❌ regression: beyond the threshold and beyond run-to-run noise · 🟡 noise: beyond the threshold but within noise · 🟢 improvement · ⚠️ too few samples to judge · — not gated (shown for context).',
    },
];

// EXTERNAL MODULE: ./src/report/findings.ts
var report_findings = __webpack_require__(19334);
;// CONCATENATED MODULE: ./src/report/plain.ts


/** `3 of 100 identical runs`, `2 of 1,000 …`, `fewer than 1 of 10,000 …`. */
function howOften(p) {
    const runs = 'identical runs';
    if (p < 0.0001)
        return `fewer than 1 of 10,000 ${runs}`;
    for (const total of [100, 1000, 10_000]) {
        const count = Math.round(p * total);
        if (count >= 1)
            return `${(0,format/* formatCount */.B4)(Math.min(count, total))} of ${(0,format/* formatCount */.B4)(total)} ${runs}`;
    }
    return `1 of 10,000 ${runs}`;
}
function interval(check) {
    const range = check.statistics?.interval;
    if (!range)
        return '';
    return ` The true change is most likely between ${(0,format/* formatSignedPercent */.h9)(range.low)} and ${(0,format/* formatSignedPercent */.h9)(range.high)}.`;
}
/**
 * One line per finding for the report's "Why" list: a judged change in plain words (its
 * interval and p-value stay in the statistical evidence), every other finding as the gate
 * words it (an unhealthy run without the hint its next step gives).
 */
function explainFinding(finding) {
    const level = 'level' in finding && finding.level ? `${finding.level}: ` : '';
    if (finding.kind === 'regression' && finding.check.statistics) {
        const { check } = finding;
        return (`${level}${(0,report_findings/* describeChange */.uQ)(check)}: not noise, a change this size shows up in ` +
            `${howOften(check.statistics.p)}.${interval(check)}`);
    }
    if (finding.kind === 'noise' && finding.check.statistics) {
        const { check } = finding;
        return (`${level}${(0,report_findings/* describeChange */.uQ)(check)}: could be noise, a change this size shows up in ` +
            `${howOften(check.statistics.p)}, so it is not failed. To tell: ${report_findings/* SENSITIVITY_FIX */.gf}.`);
    }
    // Its hint is the report's next step: the "Why" keeps the reason, so it is said once.
    if (finding.kind === 'unhealthy')
        return `${finding.reason}.`;
    return (0,report_findings/* wordFinding */.WV)(finding);
}

;// CONCATENATED MODULE: ./src/report/model.ts




/** p50, p90, p95, p99, p99.9 in ms. */
const CHART_PERCENTILES = ['p50', 'p90', 'p95', 'p99', 'p99.9'];
/** Enough warnings to see what is wrong; the rest are in the results file. */
const MAX_NOTICES = 30;
const ALERT_CODES = new Set([
    'saturated-client',
    'errors',
    'partial',
    'shards-apart',
    'baseline-edited',
]);
/**
 * The cells of a metrics-table row, header or alignment, given as label, baseline, current, Δ
 * and the rest. A first run is judged on limits alone: its tables have no Baseline and Δ columns.
 */
function comparedColumns(model, [label, baseline, current, delta, ...rest]) {
    return model.hasBaseline ? [label, baseline, current, delta, ...rest] : [label, current, ...rest];
}
/**
 * `Compared with the reference URL (model), measured alongside: 400 requests sent to both at
 * once; succeeded: this run 400/400, reference 399/400.`
 */
function referenceLine(current, paired) {
    const reference = paired.reference;
    const ok = (results) => `${(0,format/* formatCount */.B4)(results.summary.succeeded)}/${(0,format/* formatCount */.B4)(results.summary.requests)}`;
    return (`with the reference ${reference.config.endpoint} (${reference.key.model}), measured alongside: ` +
        `${(0,format/* plural */.LS)(paired.pairs, 'request')} sent to both at once; succeeded: this run ${ok(current)}, ` +
        `reference ${ok(reference)}`);
}
function buildReportModel(input) {
    const { current, baseline, gate } = input;
    const compared = Boolean(gate && gate.checks.length > 0);
    const findings = input.findings ?? gate?.findings ?? [];
    return {
        mode: input.mode,
        verdict: input.verdict,
        key: {
            model: current.key.model,
            hardware: current.key.hardware,
            mixName: current.key.mixName,
            fingerprint: current.key.mixFingerprint.slice(0, 8),
            api: current.key.api,
        },
        currentCommit: commitText(input.commitSha ?? current.provenance.commit),
        baselineCommit: commitText(baseline?.provenance.commit),
        baselineDate: baseline
            ? ((0,format/* formatDate */.Yq)(baseline.provenance.date) ?? baseline.provenance.date)
            : undefined,
        baselinePath: input.baselinePath,
        hasBaseline: baseline !== undefined,
        baselineLabel: current.paired ? 'Reference' : 'Baseline',
        ...(current.paired ? { referenceLine: referenceLine(current, current.paired) } : {}),
        compared,
        metrics: gate && compared ? gatedFirst(gate.checks.map(checkRow)) : currentRows(current),
        regressions: highlights(gate?.checks ?? [], 'regression'),
        contextMoves: contextMoves(gate?.checks ?? []),
        improvements: highlights(gate?.checks ?? [], 'improvement'),
        reasons: (0,report_findings/* orderFindings */.$t)(findings).map(explainFinding),
        headlineNote: (0,report_findings/* headlineNote */.LD)({ verdict: input.verdict, findings }),
        notices: notices(input),
        ttftChart: ttftRegressed(gate) ? ttftChart(current, baseline) : undefined,
        classes: classRows(current, baseline),
        errors: errorRows(current),
        errorSummary: `${(0,format/* formatCount */.B4)(current.summary.failed)} of ${(0,format/* plural */.LS)(current.summary.requests, 'request')} failed`,
        evidence: (gate?.checks ?? [])
            .filter((check) => check.evidence)
            .map((check) => {
            // What the comparison could have seen goes with its evidence, on a pass too.
            const sensitivity = (0,report_findings/* describeDetectable */.xJ)(check);
            return {
                label: check.label,
                value: `${check.evidence ?? ''}${sensitivity ? `; ${sensitivity}` : ''}`,
            };
        }),
        facts: runFacts(input),
        toolVersion: current.tool.version,
    };
}
function commitText(sha) {
    return sha ? ((0,format/* shortSha */.Fu)(sha) ?? sha) : undefined;
}
/** Gated rows first, in the gate's order, then the context rows. */
function gatedFirst(rows) {
    return [...rows.filter((row) => row.gated), ...rows.filter((row) => !row.gated)];
}
/** An ungated move this large is worth a line: the size of the default latency threshold. */
const LARGE_MOVE = 0.1;
function contextMoves(checks) {
    return checks
        .filter((check) => !check.threshold &&
        check.relativeDelta !== undefined &&
        Math.abs(check.relativeDelta) >= LARGE_MOVE)
        .map((check) => `${check.label} ${(0,format/* formatCheckDelta */.Cq)(check)}`);
}
function ttftRegressed(gate) {
    return (gate?.checks ?? []).some((check) => check.metric.startsWith('ttft.') && check.status === 'regression');
}
function checkRow(check) {
    return {
        failuresWithinLimit: check.metric === catalogue/* ERROR_RATE */.Qf &&
            check.threshold !== undefined &&
            check.status === 'pass' &&
            check.current > 0,
        label: check.label,
        baseline: (0,format/* formatValue */.Fl)(check.baseline, check.unit),
        current: (0,format/* formatValue */.Fl)(check.current, check.unit),
        delta: (0,format/* formatCheckDelta */.Cq)(check),
        threshold: (0,format/* formatThreshold */.B6)(check.threshold, check.unit),
        status: check.status,
        gated: check.threshold !== undefined,
    };
}
function highlights(checks, status) {
    return checks.filter((check) => check.status === status).map(report_findings/* describeChange */.uQ);
}
/** A percentile in ms, or `—` when the distribution is empty (0 would read as "instant"). */
function ms(distribution, percentile) {
    return distribution.count > 0 ? (0,format/* formatMs */._V)(percentile) : format/* MISSING */.lV;
}
/** A run without a comparison: the headline metrics it measured, `—` where nothing was. */
function currentRows(current) {
    return (0,catalogue/* headlineMetrics */.oW)(current.config).flatMap((info) => {
        if ((0,catalogue/* metricValue */.a3)(current, info) === undefined)
            return [];
        const value = (0,catalogue/* measuredValue */.ww)(current, info);
        const shown = value === undefined ? format/* MISSING */.lV : (0,format/* formatValue */.Fl)(value, info.unit);
        return [{ label: info.label, current: shown, gated: false }];
    });
}
/**
 * The run's warnings (made once, with codes, in src/results/build.ts) and the runner's notices:
 * the report only decides how each code is shown.
 */
function notices(input) {
    const warnings = input.current.warnings;
    // The warning about failed requests says what the error-rate row says, so the two agree.
    const errorRate = input.gate?.checks.find((check) => check.metric === catalogue/* ERROR_RATE */.Qf);
    const failuresWithinLimit = errorRate ? checkRow(errorRate).failuresWithinLimit : false;
    const all = [
        ...warnings.map((warning) => warning.code === 'errors' && failuresWithinLimit && errorRate?.threshold
            ? {
                level: 'warning',
                code: warning.code,
                text: `${warning.message.replace(/\.$/, '')}: within the error-rate limit ` +
                    `(${(0,format/* formatThreshold */.B6)(errorRate.threshold, errorRate.unit)}), so not failed; ` +
                    'the latencies cover the requests that succeeded.',
            }
            : {
                level: ALERT_CODES.has(warning.code) ? 'alert' : 'warning',
                text: warning.message,
                code: warning.code,
            }),
        ...(input.notices ?? []).map((text) => ({ level: 'warning', text })),
    ];
    // Alerts first, so a capped list never hides one.
    all.sort((a, b) => (a.level === b.level ? 0 : a.level === 'alert' ? -1 : 1));
    if (all.length <= MAX_NOTICES)
        return all;
    const more = all.length - (MAX_NOTICES - 1);
    return [
        ...all.slice(0, MAX_NOTICES - 1),
        { level: 'warning', text: `… and ${(0,format/* formatCount */.B4)(more)} more warnings in the results file.` },
    ];
}
function percentiles(distribution) {
    const { p50Ms, p90Ms, p95Ms, p99Ms, p999Ms } = distribution;
    return [p50Ms, p90Ms, p95Ms, p99Ms, p999Ms];
}
function ttftChart(current, baseline) {
    const ttft = current.summary.distributions.ttft;
    if (ttft.count === 0)
        return undefined;
    const baselineTtft = baseline?.summary.distributions.ttft;
    return {
        current: percentiles(ttft),
        baseline: baselineTtft && baselineTtft.count > 0 ? percentiles(baselineTtft) : undefined,
    };
}
function classRows(current, baseline) {
    return Object.entries(current.perClass).map(([name, figures]) => {
        const { ttft, itl, e2e } = figures.distributions;
        const baselineTtft = baseline?.perClass[name]?.distributions.ttft;
        const comparable = baselineTtft && baselineTtft.count > 0 && ttft.count > 0;
        return {
            name,
            requests: (0,format/* formatCount */.B4)(figures.requests),
            errors: figures.failed > 0
                ? `${(0,format/* formatCount */.B4)(figures.failed)} (${(0,format/* formatErrorRate */.yV)(figures.errorRate)})`
                : '0',
            ttftP50: ms(ttft, ttft.p50Ms),
            ttftP95: ms(ttft, ttft.p95Ms),
            ttftP95Delta: comparable
                ? (0,format/* formatSignedPercent */.h9)((ttft.p95Ms - baselineTtft.p95Ms) / baselineTtft.p95Ms)
                : undefined,
            itlP95: ms(itl, itl.p95Ms),
            e2eP95: ms(e2e, e2e.p95Ms),
            outputTokens: `${(0,format/* formatCount */.B4)(figures.outputTokens)}${figures.estimatedTokenRequests > 0 ? ' (est.)' : ''}`,
        };
    });
}
function errorRows(current) {
    const { requests, errorsByClass } = current.summary;
    const entries = Object.entries(errorsByClass);
    return entries
        .filter((entry) => (entry[1] ?? 0) > 0)
        .sort((a, b) => b[1] - a[1])
        .map(([errorClass, count]) => ({
        errorClass,
        count: (0,format/* formatCount */.B4)(count),
        share: (0,format/* formatErrorRate */.yV)(requests > 0 ? count / requests : undefined),
        promptClasses: Object.entries(current.perClass)
            .map(([name, figures]) => [name, figures.errorsByClass[errorClass] ?? 0])
            .filter(([, n]) => n > 0)
            .map(([name, n]) => `${name}: ${(0,format/* formatCount */.B4)(n)}`)
            .join(', '),
        firstError: current.summary.firstErrors?.[errorClass] ?? '',
    }));
}
function tokenCountingText(summary) {
    if (summary.tokenCounting === 'tokenizer')
        return 'no usage from the server: counted by the tokenizer';
    if (summary.estimatedTokenRequests === 0)
        return "from the server's usage";
    const how = summary.tokenCounting === 'characters'
        ? 'from characters (≈4 per token)'
        : 'from streamed events';
    return `estimated ${how} for ${(0,format/* formatCount */.B4)(summary.estimatedTokenRequests)} requests (no usage from the server)`;
}
function loadText(config) {
    if (config.requestRate === undefined)
        return `closed loop, concurrency ${config.concurrency}`;
    const arrival = config.arrival === 'gamma'
        ? `gamma arrivals, burstiness ${config.burstiness}`
        : `${config.arrival} arrivals`;
    return `open loop, ${(0,format/* formatRequestsPerSecond */.NB)(config.requestRate)} (${arrival}), at most ${config.concurrency} in flight`;
}
function runFacts(input) {
    const { current, baseline } = input;
    const { summary, config, selfCheck, endpoint, provenance } = current;
    const { ttft, ttfb, ttfo, scheduleDelay, ttftFromSchedule } = summary.distributions;
    const length = summary.outputLength;
    const facts = [
        {
            label: 'Measured requests',
            value: `${(0,format/* formatCount */.B4)(summary.requests)} (${(0,format/* formatCount */.B4)(summary.succeeded)} ok, ${(0,format/* formatCount */.B4)(summary.failed)} failed)` +
                stoppingText(current),
        },
        {
            label: 'Warm-up',
            value: `${(0,format/* plural */.LS)(current.warmup.requests, 'request')} (${(0,format/* formatCount */.B4)(current.warmup.failed)} failed), not counted`,
        },
        { label: 'Load', value: loadText(config) },
        {
            label: 'Stop condition',
            value: `${(0,format/* plural */.LS)(config.requests, 'request')}${config.durationMs !== undefined ? ` or ${(0,format/* formatDuration */.a3)(config.durationMs)}` : ''}`,
        },
        { label: 'Measurement window', value: (0,format/* formatDuration */.a3)(summary.windowMs) },
        { label: 'Started', value: (0,format/* formatDate */.Yq)(current.startedAt) ?? current.startedAt },
        { label: 'Timeout per request', value: (0,format/* formatDuration */.a3)(config.timeoutMs) },
        { label: 'Seed', value: String(config.seed) },
        { label: 'Trials', value: (0,format/* formatCount */.B4)(Math.max(current.trials.length, 1)) },
        { label: 'API', value: config.api },
        {
            label: 'Prompt mix',
            value: `${config.promptMix} (fingerprint ${current.key.mixFingerprint.slice(0, 12)})`,
        },
        { label: 'Cache busting', value: config.cacheBust ? 'on (unique nonce per request)' : 'off' },
    ];
    const extraFields = Object.keys(config.extraBody);
    if (extraFields.length > 0)
        facts.push({ label: 'Extra body fields', value: extraFields.join(', ') });
    // Lengths exist only for answers: a run where every request failed has none to show.
    if (summary.succeeded > 0) {
        facts.push({
            label: 'Output length',
            value: `max_tokens ${range(length.requestedMin, length.requestedMax)} requested; ` +
                `${range(length.receivedMin, length.receivedMax)} tokens received` +
                (length.shorterThanRequested > 0
                    ? `; ${(0,format/* plural */.LS)(length.shorterThanRequested, 'request')} ended before max_tokens`
                    : ''),
        });
    }
    facts.push({ label: 'Output token counts', value: tokenCountingText(summary) }, {
        label: 'Time to first byte p95',
        value: `${ms(ttfb, ttfb.p95Ms)} (TTFT p95 ${ms(ttft, ttft.p95Ms)})`,
    });
    if (ttfo.count > 0 && ttfo.p95Ms !== ttft.p95Ms) {
        facts.push({ label: 'Time to first output token p95', value: ms(ttfo, ttfo.p95Ms) });
    }
    if (endpoint.connections) {
        const { reconnects, reuseStopped } = endpoint.connections;
        facts.push({
            label: 'Connections',
            value: `reconnects: ${(0,format/* formatCount */.B4)(reconnects)}${reuseStopped ? `; reuse stopped: ${reuseStopped}` : '; kept alive'}`,
        });
    }
    facts.push({ label: 'Server header', value: endpoint.server ?? 'not sent' }, { label: 'system_fingerprint', value: endpoint.systemFingerprint ?? 'not sent' });
    if (endpoint.models && endpoint.models.length > 0) {
        const more = endpoint.models.length > 5 ? ` and ${endpoint.models.length - 5} more` : '';
        facts.push({
            label: 'Models served',
            value: `${endpoint.models.slice(0, 5).join(', ')}${more}`,
        });
    }
    facts.push({
        label: 'Load generator self-check',
        value: `event-loop utilization ${(0,format/* formatPercent */.l9)(selfCheck.eventLoopUtilization, 0)}, ` +
            `timer lag p99 ${(0,format/* formatMs */._V)(selfCheck.timerLagP99Ms)} (max ${(0,format/* formatMs */._V)(selfCheck.timerLagMaxMs)}), ` +
            (selfCheck.dispatchLagP95Ms !== undefined
                ? `dispatch lag p95 ${(0,format/* formatMs */._V)(selfCheck.dispatchLagP95Ms)}, `
                : '') +
            (selfCheck.saturated ? 'SATURATED' : 'not saturated'),
    });
    if (selfCheck.requestedRate !== undefined) {
        facts.push({
            label: 'Arrival rate',
            value: `${(0,format/* formatRequestsPerSecond */.NB)(selfCheck.achievedRate)} achieved of ${(0,format/* formatRequestsPerSecond */.NB)(selfCheck.requestedRate)} requested`,
        });
    }
    if (config.requestRate !== undefined) {
        facts.push({ label: 'Schedule delay p95', value: ms(scheduleDelay, scheduleDelay.p95Ms) }, { label: 'TTFT from schedule p95', value: ms(ttftFromSchedule, ttftFromSchedule.p95Ms) });
    }
    if (current.partial) {
        facts.push({ label: 'Partial', value: 'yes: stopped early, figures cover finished requests' });
    }
    facts.push({
        label: 'This run',
        value: [commitText(input.commitSha ?? provenance.commit), provenance.ref, provenance.runnerOs]
            .filter(Boolean)
            .join(' · '),
    }, { label: 'Tool version', value: `llm-perf-gate ${current.tool.version}` });
    if (baseline) {
        facts.push({
            label: 'Baseline',
            value: [
                input.baselinePath,
                commitText(baseline.provenance.commit),
                (0,format/* formatDate */.Yq)(baseline.provenance.date) ?? baseline.provenance.date,
                `llm-perf-gate ${baseline.tool.version}`,
                (0,format/* plural */.LS)(baseline.summary.requests, 'request'),
                (0,format/* plural */.LS)(Math.max(baseline.trials.length, 1), 'trial'),
            ]
                .filter(Boolean)
                .join(' · '),
        });
    }
    return facts;
}
function range(min, max) {
    return min === max ? (0,format/* formatCount */.B4)(min) : `${(0,format/* formatCount */.B4)(min)}–${(0,format/* formatCount */.B4)(max)}`;
}
/** Measure until decided: where the run stopped, or that it needed the whole budget. */
function stoppingText(current) {
    const sequential = current.sequential;
    if (!sequential)
        return '';
    const budget = (0,format/* formatCount */.B4)(sequential.looks[sequential.looks.length - 1] ?? 0);
    const looks = sequential.looks.length;
    return sequential.stoppedAtLook !== undefined
        ? `, decided at look ${sequential.stoppedAtLook} of ${looks} (budget ${budget})`
        : `, undecided until the budget (${budget}, ${looks} looks)`;
}

;// CONCATENATED MODULE: ./src/report/mermaid.ts


/** GitHub's Primer colours: muted grey for the baseline, red or blue for this run. */
const BASELINE_COLOR = { name: 'grey', hex: '#d0d7de' };
const REGRESSION_COLOR = { name: 'red', hex: '#cf222e' };
const CURRENT_COLOR = { name: 'blue', hex: '#0969da' };
/** Lower than xychart's default 500 px, so the chart does not dominate the comment. */
const mermaid_CHART_HEIGHT = 240;
/** The colours of the chart, named for its caption (xychart has no legend). */
function chartColors(verdict) {
    return {
        baseline: BASELINE_COLOR,
        current: verdict === 'regression' ? REGRESSION_COLOR : CURRENT_COLOR,
    };
}
/** Rounds up to a readable number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k) for the y axis. */
function niceCeiling(value) {
    if (value <= 0)
        return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    const step = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((factor) => factor * power >= value) ?? 10;
    return Number((step * power).toPrecision(3));
}
function series(values) {
    return values
        .map((value) => (Number.isFinite(value) ? Number(value.toPrecision(4)) : 0))
        .join(', ');
}
/**
 * A latency-percentile chart as a mermaid `xychart-beta` block (GitHub renders it). xychart has
 * no legend, so the baseline is drawn as grey bars and the current run as a line, always (red on a
 * regression, blue otherwise: see chartColors); the caller says so in a caption. The palette is
 * assigned in plot order, so it lists the bar colour only when there are bars.
 */
function renderPercentileChart(data, title, axis, verdict) {
    const colors = chartColors(verdict);
    const palette = [...(data.baseline ? [colors.baseline.hex] : []), colors.current.hex].join(', ');
    const init = `{"xyChart": {"height": ${mermaid_CHART_HEIGHT}}, "themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}`;
    const all = [...data.current, ...(data.baseline ?? [])].filter(Number.isFinite);
    const top = niceCeiling(Math.max(...all, 0) * 1.1);
    const categories = CHART_PERCENTILES.map((label) => `"${label}"`).join(', ');
    const lines = [
        '```mermaid',
        `%%{init: ${init}}%%`,
        'xychart-beta',
        `  title "${escapeMermaidLabel(title)}"`,
        `  x-axis [${categories}]`,
        `  y-axis "${escapeMermaidLabel(axis)}" 0 --> ${top}`,
    ];
    if (data.baseline)
        lines.push(`  bar [${series(data.baseline)}]`);
    lines.push(`  line [${series(data.current)}]`, '```');
    return lines.join('\n');
}

// EXTERNAL MODULE: ./src/domain/health.ts
var health = __webpack_require__(85876);
;// CONCATENATED MODULE: ./src/report/next-steps.ts

/** Trials that let the gate see how much whole runs of this endpoint vary. */
const SUGGESTED_TRIALS = 3;
function nextStep(input) {
    const { current } = input;
    const { config } = current;
    const findings = input.findings ?? input.gate?.findings ?? [];
    const found = (...kinds) => findings.some((finding) => kinds.includes(finding.kind));
    const [refused] = findings.flatMap((finding) => finding.kind === 'baseline-refused' ? [finding] : []);
    switch (input.verdict) {
        case 'cancelled':
            return { before: 'Run again: a cancelled run is never judged.' };
        case 'unhealthy': {
            const [unhealthy] = findings.flatMap((finding) => finding.kind === 'unhealthy' ? [finding] : []);
            return {
                before: unhealthy?.hint ??
                    (0,health/* healthOf */.Wr)(current).hint ??
                    'Check that endpoint ends in /v1 and that api-key is right.',
            };
        }
        case 'no-baseline':
            return config.baselineSource === 'cache'
                ? { before: 'A run on the default branch saves the first baseline for this key.' }
                : {
                    before: 'Record one: run with',
                    setting: { input: 'mode', value: 'update-baseline' },
                    after: ' on the default branch and commit the file it writes.',
                };
        case 'regression':
            if (brokeLimitsOnly(findings)) {
                return {
                    before: 'A limit holds with or without a baseline: fix what broke it, or correct its line in thresholds if the limit is wrong.',
                };
            }
            if (config.reference) {
                return {
                    before: 'The reference measured alongside was faster on the same requests: the change under test is the suspect (if the slowdown is intended, widen its line in thresholds).',
                };
            }
            return {
                before: 'If the slowdown is intended, record a new baseline with',
                setting: { input: 'mode', value: 'update-baseline' },
                after: '; otherwise the change under test is the suspect.',
            };
        case 'inconclusive':
        case 'pass':
            if (found('client-bound', 'overloaded'))
                return lowerTheLoad(config);
            if (refused)
                return recordCleanly(config, refused.cause);
            if (found('baseline-untrusted')) {
                return {
                    before: 'Rebuild the baseline from a clean run:',
                    setting: { input: 'mode', value: 'update-baseline' },
                    after: '.',
                };
            }
            if (found('not-judged') || hasStatus(input, 'insufficient')) {
                return measureMore(config, 'few-samples');
            }
            if (found('noise') || hasStatus(input, 'noise'))
                return measureMore(config, 'noise');
            if (found('low-sensitivity'))
                return measureMore(config, 'blind');
            // A saturated client without a gate (report mode) is inconclusive too.
            return input.verdict === 'inconclusive' ? lowerTheLoad(config) : undefined;
        default:
            return undefined;
    }
}
/** Every regression is a broken absolute limit: a new baseline would not change the verdict. */
function brokeLimitsOnly(findings) {
    const regressions = findings.flatMap((finding) => finding.kind === 'regression' ? [finding.check] : []);
    return regressions.length > 0 && regressions.every((check) => check.threshold?.kind === 'limit');
}
/** A refused baseline: what the run needs before it may become the bar. */
function recordCleanly(config, cause) {
    switch (cause) {
        case 'errors':
            return {
                before: 'Fix what fails (see the errors and the first error of each class) and record again; a baseline with errors hides them in every later comparison.',
            };
        case 'noisy':
            return {
                before: 'To record a baseline the gate can see its thresholds with, raise',
                setting: { input: 'requests', value: String(config.requests * 2) },
                after: '.',
            };
        case 'untrusted':
            return { before: 'Record the baseline again from a clean run.' };
    }
}
function hasStatus(input, status) {
    return input.gate?.checks.some((check) => check.status === status) ?? false;
}
function lowerTheLoad(config) {
    const setting = config.requestRate !== undefined
        ? { input: 'request-rate', value: String(round(config.requestRate / 2)) }
        : { input: 'concurrency', value: String(Math.max(1, config.concurrency >> 1)) };
    return {
        before: 'The load generator was the bottleneck: lower the load,',
        setting,
        after: ', or run on a bigger runner (or shard the load).',
    };
}
const MEASURE_MORE_WHY = {
    noise: 'To tell a change this size from noise',
    blind: 'To see a regression as small as the threshold',
    'few-samples': 'Too few samples to judge every metric',
};
/** More trials first (they show how much whole runs vary), then more requests per trial. */
function measureMore(config, why) {
    // Paired A/B measures one trial: its pairs, not trials, carry the noise.
    if (why !== 'few-samples' && config.trials < SUGGESTED_TRIALS && !config.reference) {
        return {
            before: `${MEASURE_MORE_WHY[why]}, repeat the run:`,
            setting: { input: 'trials', value: String(SUGGESTED_TRIALS) },
            after: '.',
        };
    }
    return {
        before: `${MEASURE_MORE_WHY[why]}: raise`,
        setting: { input: 'requests', value: String(config.requests * 2) },
        after: '.',
    };
}
function round(value) {
    return Math.max(0.1, Math.round(value * 10) / 10);
}
/** `Next: …` with the setting as an action input in a code span (markdown). */
function nextStepMarkdown(step, escape) {
    const setting = step.setting ? ` \`${step.setting.input}: ${step.setting.value}\`` : '';
    return `**Next:** ${escape(step.before)}${setting}${escape(step.after ?? '')}`;
}
/** `Next: …` with the setting as a CLI flag (terminal). */
function nextStepText(step) {
    const setting = step.setting ? ` --${step.setting.input} ${step.setting.value}` : '';
    return `Next: ${step.before}${setting}${step.after ?? ''}`;
}

;// CONCATENATED MODULE: ./src/report/markdown.ts
/**
 * The PR comment and job summary: GitHub-flavoured markdown, rendered from a ReportModel. Every
 * string that reaches the output goes through escapeMarkdown (numbers included: harmless), except
 * the fixed markup written here and SHAs that were checked to be hex.
 */










/** GitHub's limit for an issue or PR comment body, in characters. */
const MAX_COMMENT_LENGTH = 65_536;
/** Room left for the sticky-comment marker that is prepended to the report. */
const MARKER_RESERVE = 512;
const BUDGET = MAX_COMMENT_LENGTH - MARKER_RESERVE;
/** Room for what truncation appends: closing fences and tags, and the note. */
const TRUNCATION_RESERVE = 400;
/** Headline verdicts: the heading is bold already, so no emphasis here. */
const VERDICTS = {
    pass: '✅ Pass',
    regression: '❌ Regression',
    inconclusive: '⚠️ Inconclusive',
    'no-baseline': '🆕 No baseline yet',
    updated: '📌 Baseline updated',
    unhealthy: '🛑 Unhealthy run: not judged',
    cancelled: '⏹️ Cancelled: not judged',
};
const REPORT_ONLY = '📊 Report';
/** Up to this many regressions are named in the headline; more get their own line. */
const HEADLINE_REGRESSIONS = 2;
const STATUSES = {
    pass: '✅',
    regression: '❌ **regression**',
    noise: '🟡 noise',
    improvement: '🟢 improvement',
    insufficient: '⚠️ insufficient',
};
/** What an ungated row may show: a pass there was never judged, so it gets a dash, not ✅. */
const UNGATED_STATUSES = new Set(['noise', 'improvement', 'insufficient']);
const e = (text) => escapeMarkdown(text ?? '—');
/** Renders the report; the result always fits a GitHub comment together with its marker. */
function renderReport(input) {
    const model = buildReportModel(input);
    const sweep = renderSweepSection(input.current, input.baseline);
    const step = nextStep(input);
    const next = step ? nextStepMarkdown(step, e) : '';
    const diagnosis = renderDiagnosisMarkdown(input);
    const server = renderServerViewMarkdown(input);
    const trend = renderTrendSection(input);
    const render = (classLimit) => {
        const more = [
            contextSection(model),
            server,
            classSection(model, classLimit),
            ...tailSections(model),
        ];
        const sections = cleanPass(model)
            ? [
                headline(model),
                pinnedAlerts(model),
                diagnosis,
                metricsTable(model),
                alertsSection(model),
                details('Details: other metrics, warnings, per class, run facts', joinSections([
                    contextMovesLine(model),
                    listSection('Notes', model.reasons),
                    warningsSection(model),
                    trend,
                    sweep,
                    ...more,
                ])),
            ]
            : [
                headline(model),
                pinnedAlerts(model),
                diagnosis,
                metricsTable(model),
                contextMovesLine(model),
                listSection('Why', model.reasons),
                alertsSection(model),
                warningsSection(model),
                next,
                chartSection(model),
                trend,
                sweep,
                ...more,
            ];
        return `${joinSections([...sections, footer(model)])}\n`;
    };
    const full = render(model.classes.length);
    if (full.length <= BUDGET)
        return full;
    // Too long: the per-class table goes first (largest, and complete in the results file).
    let low = 0;
    let high = model.classes.length - 1;
    while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (render(mid).length <= BUDGET)
            low = mid;
        else
            high = mid - 1;
    }
    const shorter = render(low);
    return shorter.length <= BUDGET ? shorter : truncate(shorter, BUDGET);
}
/** Alerts that change what the verdict means: shown right under the headline, not further down. */
const PINNED_CODES = new Set(['baseline-edited', 'shards-apart']);
const pinned = (notice) => notice.code !== undefined && PINNED_CODES.has(notice.code);
function pinnedAlerts(model) {
    const alerts = model.notices.filter(pinned);
    if (alerts.length === 0)
        return '';
    return ['> [!CAUTION]', ...alerts.map((alert) => `> - ${e(alert.text)}`)].join('\n');
}
function joinSections(sections) {
    return sections.filter((section) => section.length > 0).join('\n\n');
}
/**
 * A pass with nothing to add collapses to the headline, the gated rows and one details block:
 * a reviewer who sees it needs nothing else.
 */
function cleanPass(model) {
    return model.verdict === 'pass' && model.mode !== 'report' && !model.headlineNote;
}
function footer(model) {
    return `<sub>llm-perf-gate ${e(model.toolVersion)}</sub>`;
}
/** Ungated rows that moved a lot, named in one line and not judged. */
function contextMovesLine(model) {
    if (model.contextMoves.length === 0)
        return '';
    return `**Also moved (not gated, not judged):** ${model.contextMoves.map(e).join(' · ')}`;
}
function tailSections(model) {
    return [
        errorsSection(model),
        model.evidence.length > 0
            ? details('Statistical evidence', factsTable(model.evidence, 'Metric', 'Evidence'))
            : '',
        details('Run facts', factsTable(model.facts, 'Fact', 'Value')),
        details('How to read this', GLOSSARY.map((entry) => `- **${entry.term}**: ${entry.definition}`).join('\n')),
    ];
}
function keyText(model) {
    const { key } = model;
    return `${e(key.model)} · ${e(key.hardware)} · ${e(key.mixName)} (${e(key.fingerprint)}, ${e(key.api)})`;
}
/** A hex short SHA in a code span; anything else escaped as text. */
function commit(sha) {
    if (!sha)
        return undefined;
    return /^[0-9a-f]{7}$/.test(sha) ? `\`${sha}\`` : e(sha);
}
function comparedLine(model) {
    const current = commit(model.currentCommit) ?? 'this run';
    const currentLabel = model.currentCommit ? `${current} (this run)` : current;
    const path = model.baselinePath ? ` ${e(model.baselinePath)}` : '';
    if (model.referenceLine)
        return `Compared ${currentLabel} ${e(model.referenceLine)}.`;
    if (model.hasBaseline) {
        const baseline = [
            'baseline',
            commit(model.baselineCommit),
            model.baselineDate && `from ${e(model.baselineDate)}`,
        ];
        return `Compared ${currentLabel} with ${baseline.filter(Boolean).join(' ')}.`;
    }
    switch (model.verdict) {
        case 'no-baseline':
            return `No baseline for this key yet${path ? ` at${path}` : ''}: showing ${currentLabel} only. Run with \`mode: update-baseline\` on the default branch to create one.`;
        case 'updated':
            return `Baseline${path} written from ${currentLabel}.`;
        default:
            return `Report for ${currentLabel}, not compared with a baseline.`;
    }
}
function headline(model) {
    // Report mode has nothing to pass or fail: a bare "Pass" would read as a gate result.
    const verdict = model.mode === 'report' && model.verdict === 'pass' ? REPORT_ONLY : VERDICTS[model.verdict];
    const regressions = model.regressions.map(e);
    const named = regressions.length > 0 && regressions.length <= HEADLINE_REGRESSIONS;
    const title = regressions.length === 0
        ? withNote(model, verdict)
        : named
            ? `${verdict}: ${regressions.join(' · ')}`
            : `${verdict} in ${(0,format/* formatCount */.B4)(regressions.length)} metrics`;
    const lines = [keyText(model), comparedLine(model)];
    if (regressions.length > 0 && !named) {
        lines.push(`**Regressed:** ${regressions.join(' · ')}`);
    }
    if (model.improvements.length > 0) {
        lines.push(`**Improved:** ${model.improvements.map(e).join(' · ')}`);
    }
    // Trailing double space: a hard line break between the lines under the heading.
    return [`### ${title}`, lines.join('  \n')].join('\n\n');
}
/** A verdict whose word alone would mislead carries its note: `⚠️ Pass, but could not see …`. */
function withNote(model, verdict) {
    if (!model.headlineNote)
        return verdict;
    const note = e(model.headlineNote);
    return model.verdict === 'pass' && model.mode !== 'report'
        ? `⚠️ Pass, but ${note}`
        : `${verdict}: ${note}`;
}
function table(rows, align) {
    // Unaligned delimiters: no padding, so a long cell cannot inflate every row.
    return markdownTable(rows, { align, alignDelimiters: false });
}
function metricsTable(model) {
    if (!model.compared) {
        return table([['Metric', 'Current'], ...model.metrics.map((row) => [e(row.label), e(row.current)])], ['l', 'r']);
    }
    const gated = model.metrics.filter((row) => row.gated);
    return table([
        comparedColumns(model, [
            'Gated metric',
            model.baselineLabel,
            'Current',
            'Δ',
            'Allowed',
            'Status',
        ]),
        ...(gated.length > 0 ? gated : model.metrics).map((row) => {
            // A regressed row stands out: its label, value and change in bold.
            const strong = (text) => (row.status === 'regression' ? `**${text}**` : text);
            return comparedColumns(model, [
                strong(e(row.label)),
                e(row.baseline),
                strong(e(row.current)),
                strong(e(row.delta)),
                e(row.threshold),
                statusCell(row),
            ]);
        }),
    ], comparedColumns(model, ['l', 'r', 'r', 'r', 'r', 'l']));
}
/** The rows no threshold judged, for context, apart from the gated ones. */
function contextSection(model) {
    if (!model.compared)
        return '';
    const rows = model.metrics.filter((row) => !row.gated);
    if (rows.length === 0 || rows.length === model.metrics.length)
        return '';
    // A status column only when some context row has something to say (⚠️ insufficient …).
    const statuses = rows.map(statusCell);
    const withStatus = statuses.some((status) => status !== '' && status !== '—');
    return details(`Other metrics (${(0,format/* formatCount */.B4)(rows.length)}, not gated: shown for context)`, table([
        comparedColumns(model, [
            'Metric',
            model.baselineLabel,
            'Current',
            'Δ',
            ...(withStatus ? ['Status'] : []),
        ]),
        ...rows.map((row, index) => comparedColumns(model, [
            e(row.label),
            e(row.baseline),
            e(row.current),
            e(row.delta),
            ...(withStatus ? [statuses[index] ?? ''] : []),
        ])),
    ], comparedColumns(model, [
        'l',
        'r',
        'r',
        'r',
        ...(withStatus ? ['l'] : []),
    ])));
}
function statusCell(row) {
    if (!row.status)
        return '';
    if (row.failuresWithinLimit)
        return '⚠️ within limit';
    if (!row.gated && !UNGATED_STATUSES.has(row.status))
        return '—';
    return STATUSES[row.status];
}
/** Our own sentences, which may quote endpoint text: escaped, but with room to finish. */
const LIST_ITEM_LENGTH = 800;
function listSection(title, items) {
    if (items.length === 0)
        return '';
    return [
        `**${title}**`,
        ...items.map((item) => `- ${escapeMarkdown(item, LIST_ITEM_LENGTH)}`),
    ].join('\n');
}
/** Alerts (the numbers cannot be trusted as they are) in a GitHub alert block. */
function alertsSection(model) {
    const alerts = model.notices.filter((notice) => notice.level === 'alert' && !pinned(notice));
    if (alerts.length === 0)
        return '';
    return ['> [!WARNING]', ...alerts.map((alert) => `> - ${e(alert.text)}`)].join('\n');
}
function warningsSection(model) {
    return listSection('Warnings', model.notices.filter((notice) => notice.level === 'warning').map((warning) => warning.text));
}
function chartSection(model) {
    if (!model.ttftChart)
        return '';
    const chart = renderPercentileChart(model.ttftChart, 'TTFT percentiles', 'TTFT (ms)', model.verdict);
    const colors = chartColors(model.verdict);
    const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
    const current = model.currentCommit ? ` (${commit(model.currentCommit)})` : '';
    const baseline = model.baselineCommit ? ` (${commit(model.baselineCommit)})` : '';
    const line = `${capital(colors.current.name)} line: this run${current}`;
    const caption = model.ttftChart.baseline
        ? `${line}; ${colors.baseline.name} bars: baseline${baseline}.`
        : `${line}.`;
    return `${chart}\n\n<sub>TTFT in ms at p50 … p99.9. ${caption}</sub>`;
}
function details(summary, body) {
    // The blank lines let GitHub render markdown inside the HTML block.
    return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
function classSection(model, limit) {
    const total = model.classes.length;
    if (total === 0)
        return '';
    const shown = model.classes.slice(0, limit);
    const header = ['Class', 'Requests', 'Errors', 'TTFT p50', 'TTFT p95'];
    if (model.hasBaseline)
        header.push('TTFT p95 Δ');
    header.push('ITL p95', 'E2E p95', 'Output tokens');
    const cells = (row) => [
        e(row.name),
        e(row.requests),
        e(row.errors),
        e(row.ttftP50),
        e(row.ttftP95),
        ...(model.hasBaseline ? [e(row.ttftP95Delta)] : []),
        e(row.itlP95),
        e(row.e2eP95),
        e(row.outputTokens),
    ];
    const truncated = shown.length < total;
    const note = truncated
        ? `Per-class table truncated: showing ${(0,format/* formatCount */.B4)(shown.length)} of ${(0,format/* formatCount */.B4)(total)} classes to stay under GitHub's ${(0,format/* formatCount */.B4)(MAX_COMMENT_LENGTH)}-character comment limit. Every class is in the results file.`
        : '';
    const body = [
        note,
        shown.length > 0
            ? table([header, ...shown.map(cells)], ['l', ...header.slice(1).map(() => 'r')])
            : '',
    ]
        .filter(Boolean)
        .join('\n\n');
    const summary = truncated
        ? `Per class (${(0,format/* formatCount */.B4)(shown.length)} of ${(0,format/* formatCount */.B4)(total)} shown)`
        : `Per class (${(0,format/* formatCount */.B4)(total)})`;
    return details(summary, body);
}
function errorsSection(model) {
    if (model.errors.length === 0)
        return '';
    const rows = model.errors.map((row) => [
        e(row.errorClass),
        e(row.count),
        e(row.share),
        e(row.promptClasses),
        e(row.firstError),
    ]);
    return details(`Errors by class (${e(model.errorSummary)})`, table([['Error', 'Count', 'Share of requests', 'Prompt classes', 'First error'], ...rows], ['l', 'r', 'r', 'l', 'l']));
}
function factsTable(facts, labelHeader, valueHeader) {
    return table([[labelHeader, valueHeader], ...facts.map((fact) => [e(fact.label), e(fact.value)])], ['l', 'l']);
}
/**
 * Last resort: cut whole lines, close an open code fence and open `<details>`, and say so.
 * The report is split at line boundaries, so no escape or entity is ever cut in half.
 */
function truncate(text, budget) {
    const kept = [];
    let length = 0;
    let inFence = false;
    let openDetails = 0;
    for (const line of text.split('\n')) {
        if (length + line.length + 1 > budget - TRUNCATION_RESERVE)
            break;
        kept.push(line);
        length += line.length + 1;
        if (line.startsWith('```'))
            inFence = !inFence;
        if (line === '<details>')
            openDetails += 1;
        if (line === '</details>')
            openDetails -= 1;
    }
    if (inFence)
        kept.push('```');
    for (let i = 0; i < openDetails; i++)
        kept.push('', '</details>');
    kept.push('', `> [!NOTE]\n> Report truncated to stay under GitHub's ${(0,format/* formatCount */.B4)(MAX_COMMENT_LENGTH)}-character comment limit. The full figures are in the results file.`);
    return kept.join('\n') + '\n';
}


/***/ })

};
