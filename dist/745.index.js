export const id = 745;
export const ids = [745];
export const modules = {

/***/ 13745:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  publishComment: () => (/* binding */ publishComment)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/secrets.ts
var secrets = __webpack_require__(27194);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(58500);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(11758);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(49735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(86856);
// EXTERNAL MODULE: ./node_modules/bottleneck/light.js
var light = __webpack_require__(63251);
var light_default = /*#__PURE__*/__webpack_require__.n(light);
;// CONCATENATED MODULE: ./src/github/client.ts
/**
 * The GitHub REST client: Octokit from @actions/github with the retry plugin (5xx and dropped
 * connections, exponential backoff) and the throttling plugin (waits out secondary rate limits),
 * and the one translation of its failures into GitHubApiError.
 */





/** Where the fork-PR and token-permission patterns are explained. */
const PERMISSIONS_DOCS_URL = 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions';
/** A GitHub API call failed. `status` is absent when no HTTP answer came back. */
class GitHubApiError extends errors/* PerfGateError */.DN {
    status;
    name = 'GitHubApiError';
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
/** The token may not read or write PR comments (HTTP 403/404): a warning, never a failed run. */
class CommentPermissionError extends GitHubApiError {
    name = 'CommentPermissionError';
    constructor(status, detail) {
        super(`PR comment not written (HTTP ${status}: ${detail}): the token cannot write PR comments. ` +
            'Add `permissions: pull-requests: write` to the job; for pull requests from forks the ' +
            'token is read-only, so post the comment from a separate `workflow_run` workflow ' +
            `(examples/fork-pr.yml; ${PERMISSIONS_DOCS_URL}). The job summary, outputs and verdict are unaffected.`, status);
    }
}
/** 5xx and network failures are retried this often, after 1, 4, 9 units. */
const RETRIES = 3;
/** Rate limits are waited out this often, and only when the wait is at most this long. */
const RATE_LIMIT_RETRIES = 2;
const MAX_RATE_LIMIT_WAIT_SECONDS = 120;
/**
 * GitHub asks for writes at least 1 s apart, and 3 s for those that notify people (a new
 * comment). The throttling plugin keeps these paces in process-wide groups; each client gets its
 * own, in the same unit as its retries, so that tests do not wait seconds between each other's
 * writes. A run makes one client.
 */
function pacing(unit) {
    const group = (minTime) => new (light_default()).Group({ maxConcurrent: 1, minTime });
    return { write: group(unit), notifications: group(3 * unit) };
}
function createGitHubClient(options) {
    const unit = options.retryUnitMs ?? 1000;
    const log = options.log ?? (() => undefined);
    const waitOrGiveUp = (kind) => (retryAfter, request, _octokit, count) => {
        const retrying = count < RATE_LIMIT_RETRIES && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
        log(`GitHub ${kind} on ${request.method} ${request.url}: ` +
            (retrying ? `waiting ${retryAfter}s and trying again` : 'giving up'));
        return retrying;
    };
    return (0,github.getOctokit)(options.token, {
        baseUrl: options.apiUrl.replace(/\/+$/, ''),
        retry: { retries: RETRIES, retryAfterBaseValue: unit },
        throttle: {
            retryAfterBaseValue: unit,
            ...pacing(unit),
            onSecondaryRateLimit: waitOrGiveUp('secondary rate limit'),
            onRateLimit: waitOrGiveUp('rate limit'),
        },
        log: { debug: () => undefined, info: () => undefined, warn: log, error: log },
    }, dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
}
/** The HTTP status of a failed call; undefined when no answer came back. */
function failureStatus(error) {
    const failure = (typeof error === 'object' && error !== null ? error : {});
    return typeof failure.status === 'number' && failure.response ? failure.status : undefined;
}
/**
 * One call, its failure turned into a GitHubApiError whose one-line message says what we were
 * doing and never holds the token. Retries already happened inside the client.
 */
async function callGitHub(action, client, request) {
    try {
        return await request();
    }
    catch (error) {
        throw toApiError(action, error, client);
    }
}
function toApiError(action, error, context) {
    const failure = (typeof error === 'object' && error !== null ? error : {});
    const status = failureStatus(error);
    const detail = shortDetail(failure, context.token);
    // Octokit reports a transport failure as status 500 without a response.
    if (status === undefined) {
        return new GitHubApiError(`could not ${action}: GitHub API at ${context.apiUrl} not reachable (${detail})`);
    }
    if ((status === 403 || status === 429) && /rate limit/i.test(detail)) {
        return new GitHubApiError(`could not ${action}: GitHub API rate limit (HTTP ${status}: ${detail}); try again later`, status);
    }
    if (status === 403 || status === 404)
        return new CommentPermissionError(status, detail);
    return new GitHubApiError(`could not ${action}: HTTP ${status}: ${detail}`, status);
}
/** The API's own message (no documentation link), one line, capped, without the token. */
function shortDetail(failure, token) {
    const data = failure.response?.data;
    const message = typeof data === 'object' &&
        data !== null &&
        typeof data.message === 'string'
        ? data.message
        : typeof failure.message === 'string'
            ? failure.message
            : 'unknown error';
    const line = message.replace(/\s+/g, ' ').trim().slice(0, 200);
    return token ? line.split(token).join('***') : line;
}

;// CONCATENATED MODULE: ./src/github/identity.ts

async function tokenIdentity(client, context) {
    try {
        const { data } = await client.rest.users.getAuthenticated();
        return { kind: 'user', login: data.login };
    }
    catch (error) {
        const status = failureStatus(error);
        if (status === 401 || status === 403 || status === 404)
            return { kind: 'app-bot' };
        // Guessing here could update someone else's comment or post a duplicate: fail instead.
        throw toApiError('identify the token owner (GET /user)', error, context);
    }
}
function writtenBy(comment, identity) {
    if (identity.kind === 'app-bot')
        return comment.user?.type === 'Bot';
    return comment.user?.login?.toLowerCase() === identity.login.toLowerCase();
}

;// CONCATENATED MODULE: ./src/github/comment.ts
/**
 * The sticky PR comment: one comment per benchmark key, found again by a hidden marker and
 * updated in place on every run. Uses the REST issue-comments endpoints (GitHub.com and GHES).
 */





const MARKER_KEY_LENGTH = 120;
/**
 * The hidden marker that identifies our comment for one benchmark key, so matrix jobs each keep
 * their own. The readable part keeps only safe characters (no `--`, so no `-->`); a hash of the
 * full key keeps keys that sanitise or truncate alike apart.
 */
function commentMarker(keyText) {
    const readable = keyText
        .normalize('NFKC')
        .replace(/[^A-Za-z0-9._:/@+=-]+/g, '_')
        .replace(/-{2,}/g, '-')
        .replace(/_{2,}/g, '_')
        .replace(/^_+|_+$/g, '')
        .slice(0, MARKER_KEY_LENGTH);
    const digest = (0,external_node_crypto_.createHash)('sha256').update(keyText).digest('hex').slice(0, 12);
    return `<!-- llm-perf-gate:${readable}:${digest} -->`;
}
/** A create that may have landed is tried at most this often in all. */
const CREATE_ATTEMPTS = 3;
/**
 * Creates our comment once, then updates it in place. Ours is the first (oldest) comment that
 * starts with the marker and was written by the token's own identity (see tokenIdentity): a
 * comment that quotes the marker, or one by another account, is never overwritten, and should a
 * race ever create two, the oldest keeps being updated so the thread does not shift.
 */
async function upsertStickyComment(options) {
    const { owner, repo, issueNumber, marker } = options;
    const context = { token: options.token, apiUrl: options.apiUrl.replace(/\/+$/, '') };
    const client = createGitHubClient({
        ...context,
        ...(options.retryUnitMs !== undefined ? { retryUnitMs: options.retryUnitMs } : {}),
        ...(options.log ? { log: options.log } : {}),
    });
    const body = `${marker}\n${options.body}`;
    // Asked at most once per run, and only when a comment carries the marker.
    const identity = {};
    const find = () => findOurComment(client, context, options, identity);
    const ours = await find();
    if (ours) {
        const { data } = await callGitHub('update the PR comment', context, () => client.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body }));
        return { action: 'updated', url: data.html_url, id: data.id };
    }
    for (let attempt = 1;; attempt++) {
        try {
            // Never retried inside the client: a 5xx may hide a comment that was written.
            const { data } = await callGitHub('create the PR comment', context, () => client.rest.issues.createComment({
                owner,
                repo,
                issue_number: issueNumber,
                body,
                request: { retries: 0 },
            }));
            return { action: 'created', url: data.html_url, id: data.id };
        }
        catch (error) {
            const mayHaveLanded = error instanceof GitHubApiError && (error.status === undefined || error.status >= 500);
            if (!mayHaveLanded || attempt >= CREATE_ATTEMPTS)
                throw error;
            await (0,promises_.setTimeout)(attempt * attempt * (options.retryUnitMs ?? 1000));
            const landed = await find();
            if (landed)
                return { action: 'created', url: landed.html_url, id: landed.id };
        }
    }
}
async function findOurComment(client, context, options, identity) {
    const { owner, repo, issueNumber, marker } = options;
    const comments = await callGitHub('list the PR comments', context, () => client.paginate(client.rest.issues.listComments, {
        owner,
        repo,
        issue_number: issueNumber,
        per_page: 100,
    }));
    const marked = comments.filter((comment) => (comment.body ?? '').trimStart().startsWith(marker));
    // Most runs find none: then who the token is does not matter, and GET /user is not asked.
    if (marked.length === 0)
        return undefined;
    identity.known ??= await tokenIdentity(client, context);
    const known = identity.known;
    return marked.find((comment) => writtenBy(comment, known));
}

;// CONCATENATED MODULE: ./src/github/pull-request.ts

/**
 * Why a PR number that came with untrusted results (a fork's artifact) must not be commented on,
 * or undefined when the PR's head is the commit the results were measured on. Without this check
 * a fork could name any PR and have our report posted there.
 */
async function pullRequestMismatch(check) {
    const context = { token: check.token, apiUrl: check.apiUrl.replace(/\/+$/, '') };
    const client = createGitHubClient({
        ...context,
        ...(check.retryUnitMs !== undefined ? { retryUnitMs: check.retryUnitMs } : {}),
    });
    const { owner, repo, number } = check;
    try {
        const { data } = await callGitHub(`read pull request #${number}`, context, () => client.rest.pulls.get({ owner, repo, pull_number: number }));
        if (data.head.sha === check.expectedHeadSha)
            return undefined;
        return (`pr-number ${number}: that pull request's head is ${data.head.sha.slice(0, 12)}, but the ` +
            `results were measured on ${check.expectedHeadSha.slice(0, 12)} (a newer push, or a wrong number)`);
    }
    catch (error) {
        if (error instanceof GitHubApiError && error.status === 404)
            return `pr-number ${number}: no such pull request in ${owner}/${repo}`;
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/github/publish.ts




/**
 * Writes (or updates) the sticky PR comment when there is a pull request to write on and the
 * policy asks for it. Never throws: a comment that cannot be written is a warning, and the
 * summary, outputs and verdict stand on their own.
 */
async function publishComment(options) {
    const { env } = options;
    if (options.policy === 'never')
        return undefined;
    if (options.policy === 'on-regression' &&
        options.verdict !== 'regression' &&
        options.verdict !== 'inconclusive') {
        return undefined;
    }
    const issueNumber = options.prNumber ?? options.event.pullRequest?.number;
    if (issueNumber === undefined) {
        options.log('comment: not a pull request event and no pr-number; the job summary holds the report');
        return undefined;
    }
    const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo) {
        options.warn('comment not written: GITHUB_REPOSITORY is not set');
        return undefined;
    }
    if (!options.token) {
        options.warn('comment not written: no github-token (the default is ${{ github.token }})');
        return undefined;
    }
    const github = {
        token: options.token,
        apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
        ...(options.retryUnitMs !== undefined ? { retryUnitMs: options.retryUnitMs } : {}),
    };
    try {
        // A number from a fork's artifact is only as good as the artifact: check it names the PR
        // whose commit the triggering run measured.
        const measuredSha = options.event.workflowRunHeadSha;
        if (options.prNumber !== undefined && measuredSha) {
            const mismatch = await pullRequestMismatch({
                ...github,
                owner,
                repo,
                number: options.prNumber,
                expectedHeadSha: measuredSha,
            });
            if (mismatch) {
                options.warn(`comment not written: ${mismatch}`);
                return undefined;
            }
        }
        const result = await upsertStickyComment({
            ...github,
            owner,
            repo,
            issueNumber,
            marker: commentMarker(options.keyText),
            body: options.body,
            log: options.log,
        });
        options.log(`comment ${result.action}: ${result.url}`);
        return result.url;
    }
    catch (error) {
        const message = (0,secrets/* redactSecrets */.fp)((0,errors/* errorMessage */.gJ)(error), options.secrets);
        options.warn(error instanceof CommentPermissionError ? message : `comment not written: ${message}`);
        return undefined;
    }
}


/***/ })

};
