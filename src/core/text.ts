// Text helpers: UTF-8 decoding with positions, newline normalisation, offsets to line and column.
import { Buffer, isUtf8 } from 'node:buffer';

/** Result of decoding a file's bytes: the text, or the 0-based byte offset of the first invalid sequence. */
export type Decoded = { ok: true; text: string } | { ok: false; byteOffset: number; line: number; column: number };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes UTF-8 strictly; on failure finds where the bad sequence sits (line and column of the characters before it). */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  // Node's native validator and decoder: several times faster than TextDecoder on many small files.
  if (isUtf8(bytes)) return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
  const byteOffset = firstInvalidUtf8(bytes);
  const before = strictUtf8.decode(bytes.subarray(0, byteOffset));
  const { line, column } = new LineIndex(normalizeNewlines(before)).position(before.length);
  return { ok: false, byteOffset, line, column };
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number, min: number;
    if (c < 0x80) { i++; continue; }
    else if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; }
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}

/** Strips a leading BOM and turns CRLF and lone CR into LF; line numbers are unchanged. */
export function normalizeNewlines(text: string): string {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

/** Maps UTF-16 offsets of one text to 1-based line and column (columns count code points). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The 0-based UTF-16 offset where 1-based `line` starts. */
  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }

  /** The text of 1-based `line`, without its newline. */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const next = this.starts[line];
    return this.text.slice(start, next === undefined ? this.text.length : next - 1);
  }

  /** Line and column of `offset`: a binary search, then the code points from the line's start. */
  position(offset: number): { line: number; column: number } {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: countCodePoints(this.text, this.starts[lo], offset) + 1 };
  }
}

/**
 * Line and column of offsets of one text asked in increasing order, each counted on from the one
 * before: a pass over a section costs one walk over its text. (`LineIndex.position` counts from the
 * line's start every time, which on a long line makes a pass quadratic.) An earlier offset starts
 * the walk again from the beginning.
 */
export class PositionCursor {
  private offset = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly text: string) {}

  position(offset: number): { line: number; column: number } {
    if (offset < this.offset) { this.offset = 0; this.line = 1; this.column = 1; }
    const { text } = this;
    const end = Math.min(offset, text.length);
    let { line, column } = this;
    for (let i = this.offset; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) { line++; column = 1; }
      // The second half of a surrogate pair is the same code point as the first.
      else if (!isLowSurrogate(c) || !isHighSurrogate(text.charCodeAt(i - 1))) column++;
    }
    this.offset = end; this.line = line; this.column = column;
    return { line, column };
  }
}

/**
 * UTF-16 offsets of UTF-8 byte offsets of one text (the PostgreSQL parser counts bytes), asked in
 * increasing order and each found from the one before, so that a pass over a text is linear. An
 * earlier byte starts again from the beginning; a byte inside a character maps past that character.
 */
export class Utf8Cursor {
  private byte = 0;
  private offset = 0;

  constructor(private readonly text: string) {}

  offsetOf(byte: number): number {
    if (byte < this.byte) { this.byte = 0; this.offset = 0; }
    const { text } = this;
    let i = this.offset, b = this.byte;
    while (b < byte && i < text.length) {
      const c = text.charCodeAt(i);
      if (c < 0x80) { b += 1; i += 1; }
      else if (c < 0x800) { b += 2; i += 1; }
      else if (isHighSurrogate(c) && isLowSurrogate(text.charCodeAt(i + 1))) { b += 4; i += 2; }
      else { b += 3; i += 1; }
    }
    this.offset = i; this.byte = b;
    return i;
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Number of code points in text[start, end). */
export function countCodePoints(text: string, start = 0, end = text.length): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff || i + 1 >= end) n++;
    else { n++; i++; }
  }
  return n;
}

/** UTF-16 offset of the `cp`-th code point (0-based) of text, clamped to the text's length. */
export function codePointToOffset(text: string, cp: number): number {
  let i = 0;
  while (cp > 0 && i < text.length) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    cp--;
  }
  return i;
}
