import type { JsHistogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  decodeHistogram,
  encodeHistogram,
  histogramBuckets,
  recordMs,
  summarizeHistogram,
} from '../../src/metrics/histogram.js';
import { createRandom } from '../../src/random.js';

describe('HDR histograms', () => {
  it('lists the same buckets as the library’s own recorded-values iterator', () => {
    const histogram = createHistogram();
    const random = createRandom(5);
    for (let i = 0; i < 5000; i++) recordMs(histogram, random.logNormal(200, 0.5));
    const reference: Array<{ valueMs: number; count: number }> = [];
    const iterator = (histogram as unknown as JsHistogram).recordedValuesIterator;
    iterator.reset();
    while (iterator.hasNext()) {
      const step = iterator.next();
      reference.push({ valueMs: step.valueIteratedTo / 1000, count: step.countAtValueIteratedTo });
    }
    expect(histogramBuckets(histogram)).toEqual(reference);
  });

  it('round-trips through the encoding without changing a percentile', () => {
    const histogram = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(histogram, i * 0.5);
    const { maxMs, ...before } = summarizeHistogram(histogram);
    const { maxMs: decodedMaxMs, ...after } = summarizeHistogram(
      decodeHistogram(encodeHistogram(histogram)),
    );
    expect(after).toEqual(before);
    // A decoded max is only known to its bucket's edge: within the 3 significant digits.
    expect(Math.abs(decodedMaxMs - maxMs) / maxMs).toBeLessThan(0.001);
  });
});
