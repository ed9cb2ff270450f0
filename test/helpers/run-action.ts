import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ACTION_ENTRY = resolve('dist/index.js');
export const CLI_ENTRY = resolve('dist/cli/index.js');

export interface ProcessResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ActionResult extends ProcessResult {
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

/** Parses $GITHUB_OUTPUT as @actions/core writes it: name<<delimiter … delimiter. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[index] ?? '');
    if (!match) continue;
    const [, name = '', delimiter] = match;
    const value: string[] = [];
    while (++index < lines.length && lines[index] !== delimiter) value.push(lines[index] ?? '');
    outputs[name] = value.join('\n');
  }
  return outputs;
}

export function runNode(
  entry: string,
  args: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    cwd?: string;
    timeoutMs?: number;
    /** Called once the process runs, e.g. to signal it. */
    onStart?: (child: ChildProcess) => void;
  } = {},
): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    options.onStart?.(child);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ exitCode: code ?? -1, stdout, stderr });
    });
  });
}

export function makeWorkspace(): string {
  return mkdtempSync(join(tmpdir(), 'llm-perf-gate-test-'));
}

/** Environment variables as GitHub sets them for an action step: INPUT_* and the files. */
export async function runAction(
  inputs: Record<string, string>,
  options: {
    workspace?: string;
    event?: { name: string; payload: unknown };
    env?: Record<string, string>;
    onStart?: (child: ChildProcess) => void;
  } = {},
): Promise<ActionResult> {
  const workspace = options.workspace ?? makeWorkspace();
  const outputPath = join(workspace, `output-${Date.now()}-${Math.random()}.txt`);
  const summaryPath = join(workspace, `summary-${Date.now()}-${Math.random()}.md`);
  writeFileSync(outputPath, '');
  writeFileSync(summaryPath, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_REPOSITORY: 'acme/inference',
    GITHUB_SHA: 'abc1234def5678abc1234def5678abc1234def56',
    GITHUB_REF: 'refs/pull/7/merge',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: workspace,
    ...options.env,
  };
  if (options.event) {
    const eventPath = join(workspace, 'event.json');
    writeFileSync(eventPath, JSON.stringify(options.event.payload));
    env.GITHUB_EVENT_PATH = eventPath;
    env.GITHUB_EVENT_NAME = options.event.name;
  }
  for (const [name, value] of Object.entries(inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  const result = await runNode(ACTION_ENTRY, [], {
    env,
    cwd: workspace,
    ...(options.onStart ? { onStart: options.onStart } : {}),
  });
  return {
    ...result,
    outputs: parseOutputFile(readFileSync(outputPath, 'utf8')),
    summary: existsSync(summaryPath) ? readFileSync(summaryPath, 'utf8') : '',
    workspace,
  };
}

export function pullRequestEvent(number: number) {
  return {
    name: 'pull_request',
    payload: {
      number,
      pull_request: { number, head: { sha: 'abc1234def5678abc1234def5678abc1234def56' } },
      repository: { default_branch: 'main' },
    },
  };
}
