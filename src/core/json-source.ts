// JSON read with the place of every value, so that a mistake in a hand-written file is reported at its line and column.

/** A JSON value and where it starts in the text (a UTF-16 offset). */
export type JsonNode =
  | { kind: 'object'; offset: number; entries: JsonEntry[] }
  | { kind: 'array'; offset: number; items: JsonNode[] }
  | { kind: 'string'; offset: number; value: string }
  | { kind: 'number'; offset: number; value: number }
  | { kind: 'boolean'; offset: number; value: boolean }
  | { kind: 'null'; offset: number };

export interface JsonEntry {
  key: string;
  keyOffset: number;
  value: JsonNode;
}

/** Where the text stops being JSON, and why. */
export interface JsonSyntaxError {
  message: string;
  offset: number;
}

/** Parses JSON as JSON.parse does (RFC 8259, a leading BOM allowed), keeping offsets. */
export function parseJsonSource(text: string): { value: JsonNode } | { error: JsonSyntaxError } {
  try {
    const reader = new Reader(text);
    reader.skipSpace();
    const value = reader.value();
    reader.skipSpace();
    if (reader.at < text.length) reader.fail('unexpected text after the JSON value');
    return { value };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

class SyntaxFailure extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORDS = { true: true, false: false, null: null } as const;

class Reader {
  at: number;

  constructor(private readonly text: string) {
    this.at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  fail(message: string, offset = this.at): never {
    throw new SyntaxFailure(message, offset);
  }

  skipSpace(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) this.at++;
  }

  value(): JsonNode {
    const offset = this.at;
    const c = this.text[offset];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { kind: 'string', offset, value: this.string() };
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = offset;
      const m = NUMBER.exec(this.text);
      if (!m) this.fail('a number must have digits after "-"');
      this.at += m[0].length;
      return { kind: 'number', offset, value: Number(m[0]) };
    }
    for (const [word, value] of Object.entries(WORDS)) {
      if (this.text.startsWith(word, offset)) {
        this.at += word.length;
        return value === null ? { kind: 'null', offset } : { kind: 'boolean', offset, value };
      }
    }
    if (c === undefined) this.fail('the JSON ends where a value should be');
    if (c === "'") this.fail('strings take double quotes in JSON');
    return this.fail(`unexpected "${c}" where a value should be`);
  }

  private object(): JsonNode {
    const offset = this.at++;
    const entries: JsonEntry[] = [];
    this.skipSpace();
    if (this.text[this.at] === '}') { this.at++; return { kind: 'object', offset, entries }; }
    for (;;) {
      this.skipSpace();
      const keyOffset = this.at;
      if (this.text[this.at] !== '"') {
        this.fail(this.text[this.at] === '}' ? 'a comma before "}" (JSON allows no trailing comma)' : 'a key in double quotes expected');
      }
      const key = this.string();
      this.skipSpace();
      if (this.text[this.at] !== ':') this.fail(`":" expected after the key "${key}"`);
      this.at++;
      this.skipSpace();
      entries.push({ key, keyOffset, value: this.value() });
      this.skipSpace();
      const next = this.text[this.at++];
      if (next === '}') return { kind: 'object', offset, entries };
      if (next !== ',') this.fail('"," or "}" expected', this.at - 1);
    }
  }

  private array(): JsonNode {
    const offset = this.at++;
    const items: JsonNode[] = [];
    this.skipSpace();
    if (this.text[this.at] === ']') { this.at++; return { kind: 'array', offset, items }; }
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === ']') this.fail('a comma before "]" (JSON allows no trailing comma)');
      items.push(this.value());
      this.skipSpace();
      const next = this.text[this.at++];
      if (next === ']') return { kind: 'array', offset, items };
      if (next !== ',') this.fail('"," or "]" expected', this.at - 1);
    }
  }

  /** A string literal from the opening quote; JSON.parse decodes the escapes of the slice found. */
  private string(): string {
    const start = this.at;
    let i = start + 1;
    for (; i < this.text.length && this.text[i] !== '"'; i++) {
      if (this.text[i] === '\\') i++;
      else if (this.text.charCodeAt(i) < 0x20) this.fail('a control character (a line break?) inside a string', i);
    }
    if (i >= this.text.length) this.fail('a string that never ends', start);
    this.at = i + 1;
    try {
      return JSON.parse(this.text.slice(start, i + 1)) as string;
    } catch {
      return this.fail('an invalid escape in a string', start);
    }
  }
}
