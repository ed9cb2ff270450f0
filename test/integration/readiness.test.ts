import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareEndpoint } from '../../src/client/readiness.js';
import type { InputName } from '../../src/config/inputs.js';
import { parseMeasureConfig } from '../../src/config/parse.js';
import { EndpointError, InputError } from '../../src/errors.js';
import { run } from '../../src/run.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function simulator(options: Parameters<typeof startSimulator>[0]): Promise<Simulator> {
  const started = await startSimulator({ decodeStepMs: 1, ...options });
  open.push(started);
  return started;
}

function configOf(values: Partial<Record<InputName, string>>) {
  const workspace = mkdtempSync(join(tmpdir(), 'readiness-'));
  return parseMeasureConfig(
    (name) =>
      ({
        mode: 'report',
        requests: '6',
        'warmup-requests': '0',
        concurrency: '2',
        'results-path': join(workspace, 'results.json'),
        ...values,
      })[name],
  );
}

function collectingLog() {
  const lines: string[] = [];
  return {
    lines,
    log: (line: string) => lines.push(line),
    warn: (line: string) => lines.push(line),
  };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

const FAST = { progressEveryMs: 300, pollEveryMs: 100 };

describe('wait-for-endpoint', () => {
  it('waits while /health answers 503, with progress lines, then measures', async () => {
    // Polled every 100 ms with a progress line every 300 ms: two lines before it is ready.
    const loading = await simulator({ readyAfterMs: 800 });
    const { lines, log } = collectingLog();
    const ready = await prepareEndpoint(
      configOf({ endpoint: loading.url, model: 'sim-llama-8b', 'wait-for-endpoint': '30s' }),
      { log },
      FAST,
    );
    expect(lines.some((line) => /GET \/health answered 503/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/^endpoint ready after \d+ s$/);
    expect(ready.servedModels).toEqual(['sim-llama-8b']);
    // Ready means ready: a completion sent now is served.
    const probe = await fetch(`${loading.url.replace(/\/v1$/, '')}/health`);
    expect(probe.status).toBe(200);
  });

  it('without a wait, a loading server gets a hint to set wait-for-endpoint', async () => {
    const loading = await simulator({ readyAfterMs: 600_000 });
    const { lines, log } = collectingLog();
    // The simulator lists its model while loading (as SGLang does); only /health says 503.
    await prepareEndpoint(configOf({ endpoint: loading.url, model: 'sim-llama-8b' }), { log });
    expect(lines).toEqual([]);
    await prepareEndpoint(configOf({ endpoint: 'http://127.0.0.1:9/v1', model: 'm' }), { log });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^GET \/models: .*ECONNREFUSED.*: if the server is still starting, set wait-for-endpoint$/,
    );
  });

  it('a whole run with wait-for-endpoint measures without errors', async () => {
    // Polled every second (the default): ready at the second poll.
    const loading = await simulator({ readyAfterMs: 500 });
    const { lines, log, warn } = collectingLog();
    const outcome = await run(
      configOf({
        endpoint: loading.url,
        model: 'sim-llama-8b',
        'wait-for-endpoint': '1m',
        // Short answers; the built-in default mix is measured in the model check below.
        'prompt-mix': resolve('test/fixtures/mixes/fast.yaml'),
      }),
      { cwd: process.cwd(), env: {}, event: {}, log, warn },
    );
    expect(lines.join('\n')).toContain('endpoint ready after');
    expect(outcome.results.summary.failed).toBe(0);
    expect(outcome.results.summary.requests).toBe(6);
    // Recorded in every mode now, report included.
    expect(outcome.results.endpoint.models).toEqual(['sim-llama-8b']);
  });

  it('stops at the deadline with one line naming the last answer and the input', async () => {
    const never = await simulator({ readyAfterMs: 600_000 });
    const error = await failureOf(
      prepareEndpoint(
        configOf({ endpoint: never.url, model: 'sim-llama-8b', 'wait-for-endpoint': '1s' }),
        collectingLog(),
        FAST,
      ),
    );
    expect(error).toBeInstanceOf(EndpointError);
    expect(error.message).toMatch(
      /^endpoint http:\/\/127\.0\.0\.1:\d+\/v1 was not ready within 1 s \(wait-for-endpoint\); last: GET \/health answered 503$/,
    );
  });

  it('names a connection error when nothing listens', async () => {
    const error = await failureOf(
      prepareEndpoint(
        configOf({ endpoint: 'http://127.0.0.1:9/v1', model: 'm', 'wait-for-endpoint': '1s' }),
        collectingLog(),
        FAST,
      ),
    );
    expect(error).toBeInstanceOf(EndpointError);
    expect(error.message).toMatch(/last: GET \/health: .*ECONNREFUSED/);
    expect(error.message).not.toContain('\n');
  });

  it('a probe that hangs gives up at the deadline', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () => {
        silent.closeAllConnections();
        return new Promise((resolve) => silent.close(() => resolve()));
      },
    });
    const endpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`;
    const error = await failureOf(
      prepareEndpoint(
        configOf({ endpoint, model: 'm', 'wait-for-endpoint': '1s' }),
        collectingLog(),
        FAST,
      ),
    );
    expect(error).toBeInstanceOf(EndpointError);
    expect(error.message).toMatch(
      /within 1 s \(wait-for-endpoint\); last: GET \/health: no answer in time$/,
    );
  });

  it('a cancelled run stops waiting at once', async () => {
    const never = await simulator({ readyAfterMs: 600_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    // The wait is 10 minutes: only the abort can end it within the test's timeout.
    const ready = await prepareEndpoint(
      configOf({ endpoint: never.url, model: 'sim-llama-8b', 'wait-for-endpoint': '10m' }),
      { ...collectingLog(), signal: controller.signal },
      FAST,
    );
    expect(ready.config.model).toBe('sim-llama-8b');
    expect(ready.servedModels).toBeUndefined();
  });

  it('falls back to GET /models where there is no /health route', async () => {
    let modelsAnswers = 0;
    const server: Server = createServer((req, res) => {
      if (req.url === '/v1/models' && ++modelsAnswers > 2) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: 'llama3.2:latest' }] }));
        return;
      }
      res.writeHead(req.url === '/v1/models' ? 503 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const { lines, log } = collectingLog();
    const ready = await prepareEndpoint(
      configOf({ endpoint, model: 'llama3.2', 'wait-for-endpoint': '30s' }),
      { log },
      FAST,
    );
    expect(modelsAnswers).toBe(3);
    expect(ready.servedModels).toEqual(['llama3.2:latest']);
    // Ollama's implicit tag: llama3.2 is llama3.2:latest.
    expect(ready.config.model).toBe('llama3.2');
    expect(lines.at(-1)).toMatch(/^endpoint ready after/);
  });
});

describe('model check', () => {
  it('a server that serves another model stops the run with one line naming it and its answer', async () => {
    const other = await simulator({ model: 'Qwen/Qwen2.5-0.5B-Instruct' });
    const { log, warn } = collectingLog();
    const error = await failureOf(
      run(configOf({ endpoint: other.url, model: 'sim-llama-8b' }), {
        cwd: process.cwd(),
        env: {},
        event: {},
        log,
        warn,
      }),
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('model');
    expect(error.message).toBe(
      `model sim-llama-8b is not listed by ${other.url} (it serves 1 model: Qwen/Qwen2.5-0.5B-Instruct) ` +
        'and a request for it was answered 404: {"error":{"message":"The model `sim-llama-8b` does not exist.",' +
        '"type":"NotFoundError","param":null,"code":null}}; set model to one of the served ids',
    );
    // The model list and the one request that asked for the model; nothing was measured.
    expect(other.stats().log.map((entry) => entry.path)).toEqual([
      '/v1/models',
      '/v1/chat/completions',
    ]);
  });

  it('a proxy that answers a model it does not list is measured, with a note', async () => {
    const proxy = await simulator({ model: 'gpt-4o-2024-08-06', anyModel: true });
    const { lines, log, warn } = collectingLog();
    const outcome = await run(configOf({ endpoint: proxy.url, model: 'gpt-4o' }), {
      cwd: process.cwd(),
      env: {},
      event: {},
      log,
      warn,
    });
    expect(lines).toContain(
      `model gpt-4o is not listed by ${proxy.url} (it serves 1 model: gpt-4o-2024-08-06), but it answered a request for it: measuring on`,
    );
    expect(outcome.results.key.model).toBe('gpt-4o');
    expect(outcome.results.summary.requests).toBe(6);
    expect(outcome.results.summary.failed).toBe(0);
  });

  it('no model given and one served: that one is used, and the log says so', async () => {
    const sole = await simulator({ model: 'sim-sole-model' });
    const { lines, log, warn } = collectingLog();
    const outcome = await run(configOf({ endpoint: sole.url }), {
      cwd: process.cwd(),
      env: {},
      event: {},
      log,
      warn,
    });
    expect(lines).toContain(`model: not set; ${sole.url} serves only sim-sole-model, using it`);
    expect(outcome.results.key.model).toBe('sim-sole-model');
    expect(outcome.results.summary.failed).toBe(0);
  });

  it("llama.cpp's single model answers any name: a note, not a stop", async () => {
    const llamaCpp: Server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // tools/server: one entry, owned_by llamacpp, no router status.
      res.end(
        req.url === '/v1/models'
          ? JSON.stringify({
              object: 'list',
              data: [
                {
                  id: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
                  object: 'model',
                  owned_by: 'llamacpp',
                  meta: {},
                },
              ],
            })
          : '{"status":"ok"}',
      );
    });
    await new Promise<void>((resolve) => llamaCpp.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise((resolve) => llamaCpp.close(() => resolve())) });
    const endpoint = `http://127.0.0.1:${(llamaCpp.address() as AddressInfo).port}/v1`;
    const { lines, log } = collectingLog();
    const ready = await prepareEndpoint(configOf({ endpoint, model: 'qwen-small' }), { log });
    expect(ready.config.model).toBe('qwen-small');
    expect(lines.join('\n')).toContain('this server answers any model name with it: measuring on');
  });

  it('no model given and nothing listed is one line naming the input', async () => {
    const error = await failureOf(
      prepareEndpoint(configOf({ endpoint: 'http://127.0.0.1:9/v1' }), collectingLog()),
    );
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(
      /^model is not set and http:\/\/127\.0\.0\.1:9\/v1 lists no models \(GET \/models: .*ECONNREFUSED.*\); set model$/,
    );
  });
});

describe('the simulator as a loading server', () => {
  it('answers /health without a key, 503 while loading, and refuses completions until ready', async () => {
    const loading = await simulator({ apiKey: 'sk-health-key', readyAfterMs: 600_000 });
    const origin = loading.url.replace(/\/v1$/, '');
    expect((await fetch(`${origin}/health`)).status).toBe(503);
    const auth = { authorization: 'Bearer sk-health-key' };
    expect((await fetch(`${loading.url}/models`, { headers: auth })).status).toBe(200);
    const completion = await fetch(`${loading.url}/chat/completions`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 }),
    });
    expect(completion.status).toBe(503);
    const ready = await simulator({ apiKey: 'sk-health-key' });
    expect((await fetch(`${ready.url.replace(/\/v1$/, '')}/health`)).status).toBe(200);
  });
});
