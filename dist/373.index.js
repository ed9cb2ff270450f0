export const id = 373;
export const ids = [373];
export const modules = {

/***/ 63373:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runResultsSchema: () => (/* binding */ runResultsSchema)
});

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(38816);
// EXTERNAL MODULE: ./src/domain/request.ts
var request = __webpack_require__(90805);
// EXTERNAL MODULE: ./src/config/parse.ts + 1 modules
var parse = __webpack_require__(844);
;// CONCATENATED MODULE: ./src/domain/judgement.ts
/**
 * What the judge concludes about a run, as plain data: the verdict, each metric's status and the
 * diagnosis. The domain folder imports nothing: the gate produces these, the results file
 * records them, the action outputs and every renderer only read them.
 */
const VERDICTS = [
    'pass',
    'regression',
    'no-baseline',
    'updated',
    'inconclusive',
    'unhealthy',
    'cancelled',
];
const CHECK_STATUSES = [
    'pass',
    'regression',
    'improvement',
    'noise',
    'insufficient',
];
const CAUSES = [
    'errors',
    'output-lengths',
    'queueing',
    'prefill',
    'decode',
    'between-client-and-server',
    'inside-server',
    'unclear',
];

// EXTERNAL MODULE: ./src/domain/server-view.ts
var server_view = __webpack_require__(18595);
// EXTERNAL MODULE: ./src/domain/results.ts
var results = __webpack_require__(92106);
;// CONCATENATED MODULE: ./src/results/schema.ts
/**
 * The shape of a results file (docs/results-schema.md) as a zod schema, checked by the compiler
 * against the types in src/domain/results.ts: a field added there and not here fails the build. Files are
 * read from disk, git, the Actions cache and shard artifacts, any of which may be damaged or
 * edited by hand; a wrong field must be a clear error naming it, never a crash or a gate that
 * compares NaN.
 */








/** Milliseconds, counts, rates: finite and never negative (zod refuses NaN and Infinity). */
const amount = schemas/* number */.aig().nonnegative();
const count = schemas/* number */.aig().int().nonnegative();
const fraction = schemas/* number */.aig().min(0).max(1);
const byDistribution = (value) => schemas/* object */.Ikc(Object.fromEntries(results/* DISTRIBUTIONS */.wB.map((name) => [name, value])));
const distributionSummary = schemas/* object */.Ikc({
    count,
    minMs: amount,
    meanMs: amount,
    p50Ms: amount,
    p90Ms: amount,
    p95Ms: amount,
    p99Ms: amount,
    p999Ms: amount,
    maxMs: amount,
    stdDevMs: amount,
});
const classFigures = schemas/* object */.Ikc({
    requests: count,
    succeeded: count,
    failed: count,
    errorRate: fraction,
    errorsByClass: schemas/* partialRecord */.jgl(schemas/* enum */.k5n(request/* ERROR_CLASSES */.E), count),
    distributions: byDistribution(distributionSummary),
    outputTokens: amount,
    inputTokens: amount,
    estimatedTokenRequests: count,
    tokenCounting: schemas/* enum */.k5n(request/* TOKEN_COUNTING */.e).optional(),
    goodRequests: count,
});
const summary = classFigures.extend({
    windowMs: amount,
    windowStartEpochMs: amount,
    windowEndEpochMs: amount,
    outputTokensPerSecond: amount,
    inputTokensPerSecond: amount,
    requestsPerSecond: amount,
    goodputRequestsPerSecond: amount.optional(),
    outputLength: schemas/* object */.Ikc({
        requestedMin: amount,
        requestedMax: amount,
        receivedMin: amount,
        receivedMax: amount,
        shorterThanRequested: count,
        fixedLengthIgnored: schemas/* boolean */.zMY(),
    }),
    firstErrors: schemas/* partialRecord */.jgl(schemas/* enum */.k5n(request/* ERROR_CLASSES */.E), schemas/* string */.YjP()).optional(),
});
const trialFigures = schemas/* object */.Ikc({
    requests: count,
    failed: count,
    windowMs: amount,
    outputTokensPerSecond: amount,
    requestsPerSecond: amount,
    ttftP50Ms: amount,
    ttftP95Ms: amount,
    ttftP99Ms: amount,
    ttftFromScheduleP95Ms: amount.optional(),
    itlP95Ms: amount,
    tpotP95Ms: amount,
    e2eP95Ms: amount,
    errorRate: fraction,
});
const encodedHistograms = byDistribution(schemas/* string */.YjP().min(1));
const selfCheck = schemas/* object */.Ikc({
    eventLoopUtilization: fraction,
    timerLagP95Ms: amount.optional(),
    timerLagP99Ms: amount,
    timerLagMaxMs: amount,
    requestedRate: amount.optional(),
    achievedRate: amount.optional(),
    dispatchLagP95Ms: amount.optional(),
    saturated: schemas/* boolean */.zMY(),
    reasons: schemas/* array */.YOg(schemas/* string */.YjP()),
    cautions: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
});
const key = schemas/* object */.Ikc({
    model: schemas/* string */.YjP(),
    hardware: schemas/* string */.YjP(),
    api: schemas/* enum */.k5n(['chat', 'completions']),
    mixName: schemas/* string */.YjP(),
    mixFingerprint: schemas/* string */.YjP(),
});
const positive = schemas/* number */.aig().positive();
/** The recorded config's settings, as this version writes them. */
const configFields = {
    mode: schemas/* enum */.k5n(['gate', 'update-baseline', 'report']),
    endpoint: schemas/* string */.YjP(),
    model: schemas/* string */.YjP(),
    api: schemas/* enum */.k5n(['chat', 'completions']),
    reference: schemas/* object */.Ikc({ endpoint: schemas/* string */.YjP(), model: schemas/* string */.YjP() }).optional(),
    hardware: schemas/* string */.YjP(),
    promptMix: schemas/* string */.YjP(),
    concurrency: positive,
    requestRate: positive.optional(),
    arrival: schemas/* enum */.k5n(['poisson', 'constant', 'gamma']),
    burstiness: positive,
    requests: count,
    stopWhenDecided: schemas/* boolean */.zMY(),
    durationMs: amount.optional(),
    warmupRequests: count,
    timeoutMs: positive,
    waitForEndpointMs: amount.optional(),
    seed: schemas/* number */.aig(),
    extraBody: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* unknown */.L5J()),
    headers: schemas/* array */.YOg(schemas/* string */.YjP()),
    cacheBust: schemas/* boolean */.zMY(),
    trials: positive,
    slo: schemas/* object */.Ikc({ ttftMs: amount.optional(), tpotMs: amount.optional(), e2eMs: amount.optional() }),
    startAtEpochMs: amount.optional(),
    recordRequests: schemas/* string */.YjP().optional(),
    tokenizer: schemas/* string */.YjP().optional(),
    progressIntervalMs: amount,
    shard: schemas/* object */.Ikc({ index: positive, count: positive }).optional(),
    sweep: schemas/* object */.Ikc({ dimension: schemas/* enum */.k5n(['concurrency', 'request-rate']), levels: schemas/* array */.YOg(positive) })
        .optional(),
    metricsUrl: schemas/* string */.YjP().optional(),
    metricsIntervalMs: amount,
    baselineDir: schemas/* string */.YjP(),
    baselineSource: schemas/* enum */.k5n(['files', 'cache']),
    thresholds: schemas/* string */.YjP(),
    failOnRegression: schemas/* boolean */.zMY(),
    failOnMissingBaseline: schemas/* boolean */.zMY(),
    onLowSensitivity: schemas/* enum */.k5n(['inconclusive', 'pass']),
    driftFloor: fraction,
    sloAttainment: fraction,
    comment: schemas/* enum */.k5n(['always', 'on-regression', 'never']),
    prNumber: positive.optional(),
    resultsPath: schemas/* string */.YjP(),
    baselineMaxErrorRate: fraction,
    acceptNoisyBaseline: schemas/* boolean */.zMY(),
    baselineHistory: count,
    baselineRef: schemas/* string */.YjP().optional(),
    resultsGlob: schemas/* string */.YjP(),
};
/** Settings added after the first results files: those lack them. */
const LATER_SETTINGS = {
    stopWhenDecided: true,
    progressIntervalMs: true,
    metricsIntervalMs: true,
    baselineDir: true,
    baselineSource: true,
    thresholds: true,
    failOnRegression: true,
    failOnMissingBaseline: true,
    onLowSensitivity: true,
    driftFloor: true,
    sloAttainment: true,
    comment: true,
    resultsPath: true,
    baselineMaxErrorRate: true,
    acceptNoisyBaseline: true,
    baselineHistory: true,
    resultsGlob: true,
};
/**
 * What a run recorded before a setting existed did: the setting's default, except that it
 * measured its whole budget (stop-when-decided came later).
 */
const BEFORE_RECORDED = { ...(0,parse/* defaultMeasureConfig */.qo)(), headers: [], stopWhenDecided: false };
/**
 * The recorded config, versioned (CONFIG_SCHEMA). A file of this version must hold every
 * setting; an unversioned one (written before) is read with the settings it lacks filled in.
 */
const config = schemas/* object */.Ikc({ schema: schemas/* literal */.euz(results/* CONFIG_SCHEMA */.ln), ...configFields })
    .partial({ schema: true, ...LATER_SETTINGS })
    .superRefine((value, context) => {
    if (value.schema === undefined)
        return;
    for (const key of Object.keys(LATER_SETTINGS)) {
        if (value[key] === undefined) {
            context.addIssue({ code: 'custom', path: [key], message: `required in ${results/* CONFIG_SCHEMA */.ln}` });
        }
    }
})
    .transform((value) => ({
    ...BEFORE_RECORDED,
    ...value,
    schema: results/* CONFIG_SCHEMA */.ln,
}));
const gauge = schemas/* object */.Ikc({ mean: schemas/* number */.aig(), min: schemas/* number */.aig(), max: schemas/* number */.aig(), samples: count });
const serverView = schemas/* object */.Ikc({
    schema: schemas/* literal */.euz(server_view/* SERVER_VIEW_SCHEMA */.Ex),
    server: schemas/* enum */.k5n([...server_view/* SERVER_KINDS */.yX, 'unknown']),
    serverLabel: schemas/* string */.YjP(),
    url: schemas/* string */.YjP(),
    scrapes: count,
    failedScrapes: count,
    latency: schemas/* partialRecord */.jgl(schemas/* enum */.k5n(server_view/* SERVER_LATENCIES */.tp), schemas/* object */.Ikc({
        count: amount,
        meanMs: amount,
        p50Ms: amount.optional(),
        p90Ms: amount.optional(),
        p95Ms: amount.optional(),
        p99Ms: amount.optional(),
        p95BucketMs: schemas/* tuple */.PVZ([schemas/* number */.aig(), schemas/* number */.aig()]).optional(),
        firstBucketMs: amount.optional(),
    })),
    requestsWaiting: gauge.optional(),
    requestsRunning: gauge.optional(),
    kvCacheUsage: gauge.optional(),
    preemptions: amount.optional(),
    prefixCacheHitRate: fraction.optional(),
    promptTokens: amount.optional(),
    generationTokens: amount.optional(),
    generic: schemas/* object */.Ikc({ counters: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* number */.aig()), gauges: schemas/* record */.g1P(schemas/* string */.YjP(), gauge) })
        .optional(),
    warnings: schemas/* array */.YOg(schemas/* string */.YjP()),
});
const measuredRunSchema = schemas/* object */.Ikc({
    schema: schemas/* literal */.euz(results/* RESULTS_SCHEMA */.Bi),
    tool: schemas/* object */.Ikc({ name: schemas/* literal */.euz('llm-perf-gate'), version: schemas/* string */.YjP() }),
    key,
    provenance: schemas/* object */.Ikc({
        commit: schemas/* string */.YjP().optional(),
        ref: schemas/* string */.YjP().optional(),
        date: schemas/* string */.YjP(),
        toolVersion: schemas/* string */.YjP(),
        runnerOs: schemas/* string */.YjP(),
        runUrl: schemas/* string */.YjP().optional(),
    }),
    startedAt: schemas/* string */.YjP(),
    finishedAt: schemas/* string */.YjP(),
    partial: schemas/* boolean */.zMY(),
    config,
    formulas: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* string */.YjP()),
    warmup: schemas/* object */.Ikc({ requests: count, failed: count }),
    summary,
    perClass: schemas/* record */.g1P(schemas/* string */.YjP(), classFigures),
    trials: schemas/* array */.YOg(trialFigures),
    histograms: schemas/* object */.Ikc({
        overall: encodedHistograms,
        perClass: schemas/* record */.g1P(schemas/* string */.YjP(), encodedHistograms),
    }),
    selfCheck,
    endpoint: schemas/* object */.Ikc({
        server: schemas/* string */.YjP().optional(),
        systemFingerprint: schemas/* string */.YjP().optional(),
        models: schemas/* array */.YOg(schemas/* string */.YjP()).optional(),
        connections: schemas/* object */.Ikc({ reconnects: count, reuseStopped: schemas/* string */.YjP().optional() }).optional(),
    }),
    warnings: schemas/* array */.YOg(schemas/* object */.Ikc({ code: schemas/* enum */.k5n(results/* WARNING_CODES */.Wj), message: schemas/* string */.YjP() })),
    sweep: schemas/* object */.Ikc({
        dimension: schemas/* enum */.k5n(['concurrency', 'request-rate']),
        levels: schemas/* array */.YOg(schemas/* object */.Ikc({
            level: positive,
            summary,
            histograms: encodedHistograms,
            trial: trialFigures,
            selfCheck,
            server: serverView.optional(),
        })),
        knee: schemas/* object */.Ikc({ level: positive, reason: schemas/* string */.YjP() }).optional(),
        noKnee: schemas/* string */.YjP().optional(),
    })
        .optional(),
    health: schemas/* object */.Ikc({
        status: schemas/* enum */.k5n(['healthy', 'unhealthy', 'cancelled']),
        reason: schemas/* string */.YjP().optional(),
        hint: schemas/* string */.YjP().optional(),
    })
        .optional(),
    history: schemas/* array */.YOg(schemas/* object */.Ikc({
        date: schemas/* string */.YjP(),
        commit: schemas/* string */.YjP().optional(),
        trials: positive,
        figures: trialFigures,
    }))
        .optional(),
    shards: schemas/* object */.Ikc({
        overlap: fraction,
        windows: schemas/* array */.YOg(schemas/* object */.Ikc({ shard: schemas/* string */.YjP(), startEpochMs: amount, endEpochMs: amount })),
    })
        .optional(),
    server: serverView.optional(),
    sequential: schemas/* object */.Ikc({ looks: schemas/* array */.YOg(positive), stoppedAtLook: positive.optional() }).optional(),
});
const judgement = schemas/* object */.Ikc({
    verdict: schemas/* enum */.k5n(VERDICTS),
    checks: schemas/* array */.YOg(schemas/* object */.Ikc({
        metric: schemas/* string */.YjP(),
        label: schemas/* string */.YjP(),
        status: schemas/* enum */.k5n(CHECK_STATUSES),
        baseline: schemas/* number */.aig().optional(),
        current: schemas/* number */.aig(),
        relativeDelta: schemas/* number */.aig().optional(),
        threshold: schemas/* string */.YjP().optional(),
    })),
    diagnoses: schemas/* array */.YOg(schemas/* object */.Ikc({
        cause: schemas/* enum */.k5n(CAUSES),
        moved: schemas/* array */.YOg(schemas/* string */.YjP()),
        ungated: schemas/* boolean */.zMY(),
        evidence: schemas/* array */.YOg(schemas/* string */.YjP()),
        serverView: schemas/* boolean */.zMY(),
        sentence: schemas/* string */.YjP(),
        level: schemas/* string */.YjP().optional(),
    })),
});
const runResultsSchema = measuredRunSchema.extend({
    paired: schemas/* object */.Ikc({
        reference: measuredRunSchema,
        pairs: count,
        logVariancePerPair: schemas/* record */.g1P(schemas/* string */.YjP(), amount),
    })
        .optional(),
    judgement: judgement.optional(),
});


/***/ })

};
