// The forward-moving cursors give what a count from the start gives, in any order of questions.
import { describe, expect, it } from 'vitest';
import { LineIndex, PositionCursor, Utf8Cursor } from '../../src/core/text.js';

const TEXT = 'a\nté😀st\n\n€ x😀😀\nlast';

/** Every offset that does not split a surrogate pair, and the UTF-8 bytes before it. */
function boundaries(text: string): { offset: number; byte: number }[] {
  const out = [{ offset: 0, byte: 0 }];
  let offset = 0, byte = 0;
  for (const ch of text) {
    offset += ch.length;
    byte += Buffer.byteLength(ch);
    out.push({ offset, byte });
  }
  return out;
}

const ORDERS: Record<string, (n: number) => number[]> = {
  increasing: (n) => Array.from({ length: n }, (_, i) => i),
  'increasing, each asked twice': (n) => Array.from({ length: n * 2 }, (_, i) => i >> 1),
  decreasing: (n) => Array.from({ length: n }, (_, i) => n - 1 - i),
  'back and forth': (n) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i : n - i)).filter((i) => i < n),
};

describe('Utf8Cursor', () => {
  for (const [order, indexes] of Object.entries(ORDERS)) {
    it(`maps UTF-8 bytes to UTF-16 offsets, asked ${order}`, () => {
      const points = boundaries(TEXT);
      const cursor = new Utf8Cursor(TEXT);
      for (const i of indexes(points.length)) expect(cursor.offsetOf(points[i].byte), `byte ${points[i].byte}`).toBe(points[i].offset);
    });
  }

  it('maps a byte inside a character past that character, and bytes beyond the end to the end', () => {
    const cursor = new Utf8Cursor('a😀b');
    expect([cursor.offsetOf(2), cursor.offsetOf(5), cursor.offsetOf(6), cursor.offsetOf(99)]).toEqual([3, 3, 4, 4]);
  });
});

describe('PositionCursor', () => {
  for (const [order, indexes] of Object.entries(ORDERS)) {
    it(`gives LineIndex's line and column (code points), asked ${order}`, () => {
      const points = boundaries(TEXT);
      const lines = new LineIndex(TEXT);
      const cursor = new PositionCursor(TEXT);
      for (const i of indexes(points.length)) {
        expect(cursor.position(points[i].offset), `offset ${points[i].offset}`).toEqual(lines.position(points[i].offset));
      }
    });
  }
});
