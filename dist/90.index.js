export const id = 90;
export const ids = [90];
export const modules = {

/***/ 22090:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  mergeResultsGlob: () => (/* binding */ mergeResultsGlob)
});

// EXTERNAL MODULE: ./node_modules/@actions/glob/lib/glob.js + 17 modules
var glob = __webpack_require__(42377);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/canonical-json.ts
var canonical_json = __webpack_require__(21552);
// EXTERNAL MODULE: ./src/client/token-count.ts
var token_count = __webpack_require__(31116);
// EXTERNAL MODULE: ./src/domain/request.ts
var request = __webpack_require__(90805);
// EXTERNAL MODULE: ./src/domain/health.ts
var health = __webpack_require__(85876);
// EXTERNAL MODULE: ./src/metrics/histogram.ts
var metrics_histogram = __webpack_require__(85835);
// EXTERNAL MODULE: ./src/metrics/catalogue.ts
var catalogue = __webpack_require__(20264);
// EXTERNAL MODULE: ./src/metrics/recorder.ts
var recorder = __webpack_require__(16367);
// EXTERNAL MODULE: ./src/results/build.ts + 2 modules
var build = __webpack_require__(801);
// EXTERNAL MODULE: ./src/domain/results.ts
var results = __webpack_require__(92106);
;// CONCATENATED MODULE: ./src/results/merge.ts










/** `2/4`: the second of four shards. */
function describeShard(shard) {
    return `${shard.index}/${shard.count}`;
}
/**
 * Config fields that belong to one job rather than to the load plan: shards may differ in them.
 * Every other field is compared, so a field added later is part of the plan until listed here.
 */
const JOB_FIELDS = new Set([
    'shard',
    'mode',
    'resultsPath',
    'recordRequests',
    'progressIntervalMs',
    'baselineDir',
    'baselineSource',
    'failOnRegression',
    'failOnMissingBaseline',
    'comment',
    'prNumber',
    'startAtEpochMs',
    'baselineRef',
    'baselineHistory',
    'baselineMaxErrorRate',
    'acceptNoisyBaseline',
]);
const KEY_FIELDS = ['model', 'hardware', 'api', 'mixFingerprint'];
/**
 * Merges the results of every shard of one plan into the results of the whole plan. Histograms
 * add exactly, so the merged percentiles are those of the unsharded request sequence; the window
 * is the union of the shards' windows (they run side by side). Throws ResultsError naming the
 * file and field when the parts are not exactly the shards 1..n of one plan.
 */
function mergeShardResults(parts) {
    const ordered = checkShardsOfOnePlan(parts);
    const all = ordered.map((part) => part.results);
    const first = all[0];
    const overallHistograms = mergeEncoded(all.map((results) => results.histograms.overall));
    const classNames = [...new Set(all.flatMap((results) => Object.keys(results.perClass)))].sort((a, b) => a.localeCompare(b));
    const perClass = {};
    const perClassHistograms = {};
    for (const name of classNames) {
        const present = all.filter((results) => results.perClass[name] !== undefined);
        const histograms = mergeEncoded(present.flatMap((results) => results.histograms.perClass[name] ?? []));
        perClass[name] = mergeFigures(present.map((results) => results.perClass[name]), histograms);
        perClassHistograms[name] = encodeAll(histograms);
    }
    const summary = mergeSummaries(all.map((results) => results.summary), overallHistograms);
    const planConfig = { ...first.config };
    delete planConfig.shard;
    const merged = {
        schema: results/* RESULTS_SCHEMA */.Bi,
        tool: first.tool,
        key: first.key,
        provenance: first.provenance,
        startedAt: earliest(all.map((results) => results.startedAt)),
        finishedAt: latest(all.map((results) => results.finishedAt)),
        partial: all.some((results) => results.partial),
        // Without `shard`: the merged results stand for the whole plan.
        config: planConfig,
        formulas: first.formulas,
        warmup: {
            requests: sum(all, (results) => results.warmup.requests),
            failed: sum(all, (results) => results.warmup.failed),
        },
        summary,
        perClass,
        trials: mergeTrials(all, summary),
        histograms: { overall: encodeAll(overallHistograms), perClass: perClassHistograms },
        selfCheck: mergeSelfChecks(ordered, planConfig),
        endpoint: { ...first.endpoint, ...mergeConnections(all) },
        warnings: [],
        shards: shardWindows(ordered),
    };
    // Shards scrape the one metrics-url (their configs must match) while they run together, so
    // each view is the server's view of the whole plan; adding them would count its work per shard.
    // The widest is the server's (its token cross-check is against all shards, in warningsFor).
    const server = ordered
        .map((part) => part.results.server)
        .filter((view) => view !== undefined)
        .sort((a, b) => (b.generationTokens ?? 0) - (a.generationTokens ?? 0))[0];
    if (server)
        merged.server = server;
    merged.warnings = (0,build/* warningsFor */.dT)(merged);
    const apart = (0,health/* shardsApartReason */.EK)(merged);
    if (apart)
        merged.warnings.push({ code: 'shards-apart', message: apart });
    return merged;
}
/** Each shard's measured window, and the common window's share of their union. */
function shardWindows(parts) {
    const windows = parts
        .filter((part) => part.results.summary.requests > 0)
        .map((part) => ({
        shard: describeShard(shardOf(part)),
        startEpochMs: part.results.summary.windowStartEpochMs,
        endEpochMs: part.results.summary.windowEndEpochMs,
    }));
    const union = maxOrZero(windows.map((window) => window.endEpochMs)) -
        minOrZero(windows.map((window) => window.startEpochMs));
    const common = minOrZero(windows.map((window) => window.endEpochMs)) -
        maxOrZero(windows.map((window) => window.startEpochMs));
    return { overlap: union > 0 ? Math.max(0, common) / union : 1, windows };
}
/** The parts ordered by shard index, once they are shown to be every shard of one plan. */
function checkShardsOfOnePlan(parts) {
    if (parts.length === 0)
        throw new errors/* ResultsError */.N6('no results files to merge');
    for (const part of parts) {
        if (!part.results.config.shard) {
            throw new errors/* ResultsError */.N6(`results ${part.path}: not a shard (its config has no shard); merge takes the files of one sharded run`);
        }
    }
    const ordered = [...parts].sort((a, b) => shardOf(a).index - shardOf(b).index);
    const reference = ordered[0];
    for (const part of ordered.slice(1)) {
        const difference = planDifference(part.results, reference.results);
        if (difference) {
            throw new errors/* ResultsError */.N6(`results ${part.path}: ${difference} in ${reference.path}`);
        }
    }
    const count = shardOf(reference).count;
    const seen = new Map();
    for (const part of ordered) {
        const shard = shardOf(part);
        if (!Number.isInteger(shard.index) || shard.index < 1 || shard.index > count) {
            throw new errors/* ResultsError */.N6(`results ${part.path}: shard ${describeShard(shard)} is not one of 1..${count}`);
        }
        const other = seen.get(shard.index);
        if (other !== undefined) {
            throw new errors/* ResultsError */.N6(`results ${part.path}: shard ${describeShard(shard)} is also in ${other}`);
        }
        seen.set(shard.index, part.path);
    }
    for (let index = 1; index <= count; index++) {
        if (!seen.has(index)) {
            const found = ordered.map((part) => describeShard(shardOf(part))).join(', ');
            throw new errors/* ResultsError */.N6(`results: shard ${index}/${count} is missing (found ${found}); merge needs every shard`);
        }
    }
    return ordered;
}
function shardOf(part) {
    return part.results.config.shard;
}
/** The first way `results` is not a shard of the same plan as `reference`, as `field a ≠ b`. */
function planDifference(results, reference) {
    const differs = (field, value, expected) => `${field} ${formatValue(value)} ≠ ${formatValue(expected)}`;
    const shard = results.config.shard;
    const referenceShard = reference.config.shard;
    if (shard.count !== referenceShard.count) {
        return differs('shard count', shard.count, referenceShard.count);
    }
    for (const field of KEY_FIELDS) {
        if (results.key[field] !== reference.key[field]) {
            return differs(field, results.key[field], reference.key[field]);
        }
    }
    // Another tool version may measure differently: its figures do not add up with these.
    if (results.tool.version !== reference.tool.version) {
        return differs('tool version', results.tool.version, reference.tool.version);
    }
    const fields = [...new Set([...Object.keys(results.config), ...Object.keys(reference.config)])]
        .filter((field) => !JOB_FIELDS.has(field))
        .sort();
    for (const field of fields) {
        const value = results.config[field];
        const expected = reference.config[field];
        if ((0,canonical_json/* canonicalJson */.d)(value) !== (0,canonical_json/* canonicalJson */.d)(expected))
            return differs(field, value, expected);
    }
    return undefined;
}
function formatValue(value) {
    if (value === undefined)
        return 'unset';
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    return (0,canonical_json/* canonicalJson */.d)(value);
}
function mergeEncoded(encoded) {
    return Object.fromEntries(results/* DISTRIBUTIONS */.wB.map((name) => [
        name,
        (0,metrics_histogram/* mergeHistograms */.Q7)(encoded.map((histograms) => (0,metrics_histogram/* decodeHistogram */.pr)(histograms[name]))),
    ]));
}
function encodeAll(histograms) {
    return Object.fromEntries(results/* DISTRIBUTIONS */.wB.map((name) => [name, (0,metrics_histogram/* encodeHistogram */.ll)(histograms[name])]));
}
/** Counts add; the distributions come from the merged histograms (exact). */
function mergeFigures(figures, histograms) {
    const requests = sum(figures, (figure) => figure.requests);
    const failed = sum(figures, (figure) => figure.failed);
    // In the canonical class order: the shards' first-seen orders differ.
    const errorsByClass = {};
    for (const errorClass of request/* ERROR_CLASSES */.E) {
        const count = sum(figures, (figure) => figure.errorsByClass[errorClass] ?? 0);
        if (count > 0)
            errorsByClass[errorClass] = count;
    }
    return {
        requests,
        succeeded: sum(figures, (figure) => figure.succeeded),
        failed,
        errorRate: requests > 0 ? failed / requests : 0,
        errorsByClass,
        distributions: Object.fromEntries(results/* DISTRIBUTIONS */.wB.map((name) => [
            name,
            summarizeMerged(histograms[name], figures.map((figure) => figure.distributions[name])),
        ])),
        outputTokens: sum(figures, (figure) => figure.outputTokens),
        inputTokens: sum(figures, (figure) => figure.inputTokens),
        estimatedTokenRequests: sum(figures, (figure) => figure.estimatedTokenRequests),
        ...(figures.some((figure) => figure.tokenCounting !== undefined)
            ? { tokenCounting: (0,token_count/* weakestTokenCounting */.bF)(figures.map((figure) => figure.tokenCounting)) }
            : {}),
        goodRequests: sum(figures, (figure) => figure.goodRequests),
    };
}
/**
 * The merged histogram's summary, with the shards' exact min and max: a decoded histogram knows
 * them only to its bucket width. Percentiles stay clamped to the max, as for one run.
 */
function summarizeMerged(histogram, shards) {
    const summary = (0,metrics_histogram/* summarizeHistogram */.Ou)(histogram);
    const recorded = shards.filter((shard) => shard.count > 0);
    if (recorded.length === 0)
        return summary;
    const maxMs = maxOrZero(recorded.map((shard) => shard.maxMs));
    const clamp = (valueMs) => Math.min(valueMs, maxMs);
    return {
        ...summary,
        minMs: minOrZero(recorded.map((shard) => shard.minMs)),
        p50Ms: clamp(summary.p50Ms),
        p90Ms: clamp(summary.p90Ms),
        p95Ms: clamp(summary.p95Ms),
        p99Ms: clamp(summary.p99Ms),
        p999Ms: clamp(summary.p999Ms),
        maxMs,
    };
}
/** The window is the union of the shards' windows; rates are the recorder's, over that window. */
function mergeSummaries(summaries, histograms) {
    const figures = mergeFigures(summaries, histograms);
    // A shard that measured nothing has no window (its bounds are 0).
    const measured = summaries.filter((summary) => summary.requests > 0);
    const windowStartEpochMs = minOrZero(measured.map((summary) => summary.windowStartEpochMs));
    const windowEndEpochMs = maxOrZero(measured.map((summary) => summary.windowEndEpochMs));
    const windowMs = windowEndEpochMs - windowStartEpochMs;
    const hasGoodput = summaries.some((summary) => summary.goodputRequestsPerSecond !== undefined);
    return {
        ...figures,
        windowMs,
        windowStartEpochMs,
        windowEndEpochMs,
        ...(0,recorder/* ratesOf */.j1)(figures, windowMs, hasGoodput),
        outputLength: mergeOutputLength(summaries),
        ...mergeFirstErrors(summaries),
    };
}
/** Each class's first error from the first shard that saw it. */
function mergeFirstErrors(summaries) {
    const firstErrors = {};
    for (const summary of summaries) {
        for (const [errorClass, message] of Object.entries(summary.firstErrors ?? {})) {
            firstErrors[errorClass] ??= message;
        }
    }
    return Object.keys(firstErrors).length > 0 ? { firstErrors } : {};
}
function mergeOutputLength(summaries) {
    // Shards without requests (or without successes) report 0 bounds: leave them out.
    const requested = summaries.filter((summary) => summary.requests > 0);
    const received = summaries.filter((summary) => summary.succeeded > 0);
    return {
        requestedMin: minOrZero(requested.map((summary) => summary.outputLength.requestedMin)),
        requestedMax: maxOrZero(requested.map((summary) => summary.outputLength.requestedMax)),
        receivedMin: minOrZero(received.map((summary) => summary.outputLength.receivedMin)),
        receivedMax: maxOrZero(received.map((summary) => summary.outputLength.receivedMax)),
        shorterThanRequested: sum(summaries, (summary) => summary.outputLength.shorterThanRequested),
        fixedLengthIgnored: summaries.some((summary) => summary.outputLength.fixedLengthIgnored),
    };
}
/** Reconnects add up over shards; reuse stopped if it stopped in any shard. */
function mergeConnections(all) {
    const facts = all.flatMap((results) => results.endpoint.connections ?? []);
    if (facts.length === 0)
        return {};
    const reuseStopped = facts.find((fact) => fact.reuseStopped)?.reuseStopped;
    return {
        connections: {
            reconnects: sum(facts, (fact) => fact.reconnects),
            ...(reuseStopped ? { reuseStopped } : {}),
        },
    };
}
/**
 * One trial: the merged summary is that trial, exactly. Several trials carry no histograms, so
 * they combine by trial index approximately: counts and tokens add, the window is the longest
 * shard window of that trial (shards run side by side), rates are recomputed over it, and
 * percentiles are the shards' figures weighted by their successful requests.
 */
function mergeTrials(all, summary) {
    const trialCount = maxOrZero(all.map((results) => results.trials.length));
    if (trialCount === 1)
        return [(0,catalogue/* trialFiguresOf */.Hl)(summary)];
    return Array.from({ length: trialCount }, (_, index) => combineTrial(all.flatMap((results) => results.trials[index] ?? [])));
}
function combineTrial(trials) {
    const requests = sum(trials, (trial) => trial.requests);
    const failed = sum(trials, (trial) => trial.failed);
    const succeeded = requests - failed;
    const windowMs = maxOrZero(trials.map((trial) => trial.windowMs));
    const perSecond = (value) => (windowMs > 0 ? value / (windowMs / 1000) : 0);
    const weighted = (field) => succeeded > 0
        ? sum(trials, (trial) => (trial[field] ?? 0) * (trial.requests - trial.failed)) / succeeded
        : 0;
    const perMetric = {};
    for (const info of (0,catalogue/* publishedMetrics */.q9)()) {
        const field = info.trialField;
        // A figure some shard's file lacks (written before it was recorded) stays absent.
        if (field === undefined || trials.some((trial) => trial[field] === undefined))
            continue;
        perMetric[field] =
            info.kind === 'throughput'
                ? perSecond(sum(trials, (trial) => ((trial[field] ?? 0) * trial.windowMs) / 1000))
                : weighted(field);
    }
    return {
        requests,
        failed,
        windowMs,
        errorRate: requests > 0 ? failed / requests : 0,
        ...perMetric,
    };
}
/**
 * The client limited the plan if it limited any shard. Lags and utilization take the worst
 * shard; the achieved open-loop rate is the shards' rates added (they run side by side) against
 * the plan's requested rate.
 */
function mergeSelfChecks(parts, config) {
    const checks = parts.map((part) => part.results.selfCheck);
    const dispatchLags = checks.flatMap((check) => check.dispatchLagP95Ms ?? []);
    const lagsP95 = checks.flatMap((check) => check.timerLagP95Ms ?? []);
    const cautions = parts.flatMap((part) => (part.results.selfCheck.cautions ?? []).map((caution) => `shard ${describeShard(shardOf(part))}: ${caution}`));
    return {
        eventLoopUtilization: maxOrZero(checks.map((check) => check.eventLoopUtilization)),
        ...(lagsP95.length > 0 ? { timerLagP95Ms: maxOrZero(lagsP95) } : {}),
        timerLagP99Ms: maxOrZero(checks.map((check) => check.timerLagP99Ms)),
        timerLagMaxMs: maxOrZero(checks.map((check) => check.timerLagMaxMs)),
        ...(config.requestRate !== undefined
            ? {
                requestedRate: config.requestRate,
                achievedRate: sum(checks, (check) => check.achievedRate ?? 0),
                ...(dispatchLags.length > 0 ? { dispatchLagP95Ms: maxOrZero(dispatchLags) } : {}),
            }
            : {}),
        saturated: checks.some((check) => check.saturated),
        reasons: parts.flatMap((part) => part.results.selfCheck.reasons.map((reason) => `shard ${describeShard(shardOf(part))}: ${reason}`)),
        ...(cautions.length > 0 ? { cautions } : {}),
    };
}
function sum(items, pick) {
    return items.reduce((total, item) => total + pick(item), 0);
}
function minOrZero(values) {
    return values.length > 0 ? Math.min(...values) : 0;
}
function maxOrZero(values) {
    return values.length > 0 ? Math.max(...values) : 0;
}
/** ISO-8601 UTC timestamps of one format order as text. */
function earliest(timestamps) {
    return [...timestamps].sort()[0] ?? '';
}
function latest(timestamps) {
    return [...timestamps].sort().at(-1) ?? '';
}

// EXTERNAL MODULE: ./src/json-file.ts
var json_file = __webpack_require__(92772);
// EXTERNAL MODULE: ./src/results/validate.ts
var validate = __webpack_require__(30962);
;// CONCATENATED MODULE: ./src/results/read.ts




/** Reads a results file, or a baseline file (which wraps one). */
async function readResultsFile(path) {
    const parsed = await (0,json_file/* readJsonFile */.JE)(path, 'results file', (message) => new errors/* ResultsError */.N6(message));
    const candidate = parsed &&
        typeof parsed === 'object' &&
        parsed.schema === results/* BASELINE_SCHEMA */.iW
        ? parsed.results
        : parsed;
    if (candidate?.schema !== results/* RESULTS_SCHEMA */.Bi) {
        throw new errors/* ResultsError */.N6(`results file ${path} is not an ${results/* RESULTS_SCHEMA */.Bi} file`);
    }
    return (0,validate/* checkRunResults */.M)(candidate, `results file ${path}`, (message) => new errors/* ResultsError */.N6(message));
}

;// CONCATENATED MODULE: ./src/results/glob.ts




/** Reads every results file the glob matches and merges them as shards of one plan. */
async function mergeResultsGlob(pattern) {
    const globber = await glob/* create */.v(pattern, { matchDirectories: false });
    const paths = (await globber.glob()).sort();
    if (paths.length === 0) {
        throw new errors/* ResultsError */.N6(`results-glob ${pattern} matched no results files`);
    }
    const parts = [];
    for (const path of paths)
        parts.push({ path, results: await readResultsFile(path) });
    return mergeShardResults(parts);
}


/***/ })

};
