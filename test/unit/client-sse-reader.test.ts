import { describe, expect, it } from 'vitest';
import { SseReader } from '../../src/client/sse-reader.js';
import { createRandom, type Random } from '../../src/random.js';
import { SseDataReader } from '../../bench/lib/byte-events.js';

/**
 * Property tests for the SSE readers: any framing the WHATWG rules allow, cut into chunks at any
 * byte, gives the same events. The byte reader in bench/ is the challenger the client bench
 * measures against; it must read the same events for that comparison to mean anything.
 */

type Reader = (onData: (data: string) => void) => { feed(chunk: Buffer): void };

const READERS: Array<[string, Reader]> = [
  ['sse-reader (eventsource-parser)', (onData) => new SseReader({ onData, onOversized: () => {} })],
  [
    'byte reader (bench challenger)',
    (onData) => {
      const reader = new SseDataReader((bytes, start, end) =>
        onData(bytes.toString('utf8', start, end)),
      );
      return { feed: (chunk) => void reader.feed(chunk) };
    },
  ],
];

const LINE_ENDS = ['\n', '\r\n', '\r'];
/** Multi-byte characters on purpose: a chunk boundary inside one must not corrupt it. */
const WORDS = [
  'Hello',
  ' wörld',
  '😀',
  '{"choices":[]}',
  '中文',
  'data: inside',
  ' ',
  '[DONE]',
  ':',
];

interface Stream {
  bytes: Buffer;
  events: string[];
}

/** A random event stream and the data of the events it must yield, built side by side. */
function randomStream(random: Random): Stream {
  const pick = <T>(items: readonly T[]) => items[random.int(items.length)]!;
  // One line end for the stream, or a different one on every line.
  const fixedEnd = random.next() < 0.5 ? pick(LINE_ENDS) : undefined;
  let last = '';
  // A CR then an LF from the next line end would be one CRLF: mixed ends never pair that way.
  const end = () => {
    const choices = last === '\r' ? LINE_ENDS.filter((item) => item[0] !== '\n') : LINE_ENDS;
    last = fixedEnd ?? pick(choices);
    return last;
  };
  let text = random.next() < 0.3 ? '\uFEFF' : '';
  const events: string[] = [];
  const count = 1 + random.int(6);
  for (let event = 0; event < count; event++) {
    const lines: string[] = [];
    for (let line = 0, dataLines = 1 + random.int(3); line < dataLines; line++) {
      const value = Array.from({ length: random.int(4) }, () => pick(WORDS)).join('');
      if (random.next() < 0.3) text += `: a comment${end()}`;
      if (random.next() < 0.2) text += `event: message${end()}id: ${event}${end()}`;
      // "data:value" and "data: value" are the same field; one leading space is dropped.
      const spaced = value.startsWith(' ') || random.next() < 0.5;
      text += spaced ? `data: ${value}${end()}` : `data:${value}${end()}`;
      if (random.next() < 0.1) text += `retry: 1000${end()}`;
      lines.push(value);
    }
    text += end();
    events.push(lines.join('\n'));
    // A block of only comments and other fields dispatches nothing.
    if (random.next() < 0.2) text += `: keep-alive${end()}${end()}`;
  }
  return { bytes: Buffer.from(text, 'utf8'), events };
}

function read(reader: Reader, chunks: Buffer[]): string[] {
  const events: string[] = [];
  const instance = reader((data) => events.push(data));
  // A copy per chunk: undici may reuse a chunk's memory once the handler returns.
  for (const chunk of chunks) instance.feed(Buffer.from(chunk));
  return events;
}

describe.each(READERS)('%s', (_name, reader) => {
  it('reads every framing: LF, CRLF, CR, BOM, comments, other fields, multi-line data', () => {
    const random = createRandom(1);
    for (let round = 0; round < 300; round++) {
      const stream = randomStream(random);
      expect(read(reader, [stream.bytes])).toEqual(stream.events);
    }
  });

  it('gives the same events whatever byte an event is split at', () => {
    const random = createRandom(2);
    for (let round = 0; round < 40; round++) {
      const { bytes, events } = randomStream(random);
      for (let at = 0; at <= bytes.length; at++) {
        expect(read(reader, [bytes.subarray(0, at), bytes.subarray(at)])).toEqual(events);
      }
    }
  });

  it('gives the same events fed one byte at a time or in random pieces', () => {
    const random = createRandom(3);
    for (let round = 0; round < 100; round++) {
      const { bytes, events } = randomStream(random);
      const single = Array.from(bytes, (byte) => Buffer.from([byte]));
      expect(read(reader, single)).toEqual(events);
      const pieces: Buffer[] = [];
      for (let at = 0; at < bytes.length;) {
        const size = 1 + random.int(8);
        pieces.push(bytes.subarray(at, at + size));
        at += size;
      }
      expect(read(reader, pieces)).toEqual(events);
    }
  });

  it('keeps an unterminated last event back (the stream was cut)', () => {
    expect(read(reader, [Buffer.from('data: a\n\ndata: b\n')])).toEqual(['a']);
  });

  it('reads a CR line end whose LF arrives in the next chunk as one line end', () => {
    const chunks = ['data: a\r', '\ndata: b\r', '\n\r', '\n'].map((text) => Buffer.from(text));
    expect(read(reader, chunks)).toEqual(['a\nb']);
  });
});

describe('sse-reader limits', () => {
  it('reports an event that grows past the limit once, and reads nothing after it', () => {
    let oversized = 0;
    const events: string[] = [];
    const reader = new SseReader({
      onData: (data) => events.push(data),
      onOversized: () => oversized++,
    });
    const piece = Buffer.from(`data: ${'x'.repeat(1024 * 1024)}`);
    for (let at = 0; at < 20; at++) reader.feed(piece);
    reader.feed(Buffer.from('\n\ndata: after\n\n'));
    expect(oversized).toBe(1);
    expect(events).toEqual([]);
  });
});
