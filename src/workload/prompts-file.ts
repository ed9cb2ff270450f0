import path from 'node:path';
import { parseJsonText, readTextFile } from '../json-file.js';
import { describe, isMapping, type Fail } from './mix-schema.js';

const RECORD_SHAPES =
  'a string, {"prompt": "..."}, {"messages": [...]} or {"conversations": [...]} (ShareGPT)';

/**
 * Reads the prompts of a `prompts_file`: JSONL (`.jsonl`/`.ndjson`, one record a line) or a JSON
 * array (`.json`, e.g. a ShareGPT dump). A record is a plain string, `{"prompt": ...}`,
 * `{"messages": [...]}` (the last user message) or a ShareGPT `{"conversations": [...]}` (the
 * first human turn). Records without a usable prompt (ShareGPT dumps hold conversations that
 * start with the model, or are empty) are skipped; records of an unknown shape are an error.
 */
export async function readPromptsFile(
  filePath: string,
  limit: number | undefined,
  fail: Fail,
): Promise<string[]> {
  const text = await readTextFile(filePath, 'the file', fail, 'file not found');
  const extension = path.extname(filePath).toLowerCase();
  const prompts =
    extension === '.json'
      ? promptsOfJsonArray(text, fail)
      : extension === '.jsonl' || extension === '.ndjson'
        ? promptsOfJsonLines(text, limit, fail)
        : fail(`unsupported file type "${extension}" (expected .jsonl, .ndjson or .json)`);
  if (prompts.length === 0) fail('holds no prompts');
  return limit === undefined ? prompts : prompts.slice(0, limit);
}

function promptsOfJsonLines(text: string, limit: number | undefined, fail: Fail): string[] {
  const prompts: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && (limit === undefined || prompts.length < limit); i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const record = parseJsonText(line, `line ${i + 1}`, fail);
    const prompt = promptOf(record, `line ${i + 1}`, fail);
    if (prompt !== undefined) prompts.push(prompt);
  }
  return prompts;
}

function promptsOfJsonArray(text: string, fail: Fail): string[] {
  const records = parseJsonText(text, 'the file', fail);
  if (!Array.isArray(records)) fail(`must hold a JSON array of records, got ${describe(records)}`);
  return records.flatMap((record, i) => promptOf(record, `item [${i}]`, fail) ?? []);
}

function promptOf(record: unknown, where: string, fail: Fail): string | undefined {
  if (typeof record === 'string') return usable(record);
  if (isMapping(record)) {
    if (typeof record.prompt === 'string') return usable(record.prompt);
    if (Array.isArray(record.messages)) return lastUserMessage(record.messages);
    if (Array.isArray(record.conversations)) return firstHumanTurn(record.conversations);
  }
  fail(`${where}: expected ${RECORD_SHAPES}, got ${describe(record)}`);
}

function lastUserMessage(messages: unknown[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (isMapping(message) && message.role === 'user') return usable(textContent(message.content));
  }
  return undefined;
}

/** OpenAI content is a string or a list of parts; only the text parts count. */
function textContent(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  return content
    .filter((part) => isMapping(part) && part.type === 'text' && typeof part.text === 'string')
    .map((part) => (part as { text: string }).text)
    .join('\n');
}

function firstHumanTurn(conversation: unknown[]): string | undefined {
  const turn = conversation.find(
    (entry) => isMapping(entry) && (entry.from === 'human' || entry.from === 'user'),
  );
  return isMapping(turn) && typeof turn.value === 'string' ? usable(turn.value) : undefined;
}

function usable(prompt: string | undefined): string | undefined {
  return prompt !== undefined && prompt.trim() !== '' ? prompt : undefined;
}
