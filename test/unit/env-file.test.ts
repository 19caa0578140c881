import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../src/core/env-file.js';

const env: Record<string, string> = { HOME: '/home/app', EMPTY: '' };
const parse = (text: string) => parseEnvFile(text, '.env', (name) => env[name]);
const values = (text: string) => Object.fromEntries(parse(text).value.map((e) => [e.key, e.value]));

describe('parseEnvFile', () => {
  it.each([
    ['A=1', '1'],
    ['A = spaced out  ', 'spaced out'],
    ['export A=exported', 'exported'],
    ['A=value # a comment', 'value'],
    ['A=no#comment', 'no#comment'],
    ['A=', ''],
    ["A='single $HOME \\n # kept'", 'single $HOME \\n # kept'],
    ['A="double\\nline \\"q\\" \\\\ \\$HOME"', 'double\nline "q" \\ $HOME'],
    ['A="# not a comment" # a comment', '# not a comment'],
    ['A=`back tick`', 'back tick'],
    ['A=${HOME}/data', '/home/app/data'],
    ['A=$HOME/data', '/home/app/data'],
    ['A="${HOME}"', '/home/app'],
    ['A=${MISSING}x', 'x'],
    ['A=${MISSING:-fallback}', 'fallback'],
    ['A=${EMPTY:-fallback}', 'fallback'],
    ['A=\\$HOME', '$HOME'],
    ['A=postgres://u:p%40ss@db:5432/app?sslmode=require', 'postgres://u:p%40ss@db:5432/app?sslmode=require'],
  ])('%s', (line, value) => {
    expect(parse(line).diagnostics).toEqual([]);
    expect(values(line).A).toBe(value);
  });

  it('reads comments, blank lines, CRLF, multi-line quoted values, and earlier lines for expansion', () => {
    const text = '# settings\r\n\r\nBASE=/srv\r\nDIR=${BASE}/migrations\r\nKEY="-----BEGIN-----\r\nabc\r\n-----END-----"\r\nAFTER=1\r\nDIR=${DIR}/v2\r\n';
    expect(values(text)).toEqual({ BASE: '/srv', DIR: '/srv/migrations/v2', KEY: '-----BEGIN-----\nabc\n-----END-----', AFTER: '1' });
    expect(parse(text).value.map((e) => `${e.key}:${e.line}`)).toEqual(['BASE:3', 'DIR:4', 'KEY:5', 'AFTER:8', 'DIR:9']);
  });

  it('reports every malformed line at its line, never with its text', () => {
    const text = 'OK=1\nsupersecretvalue\n1BAD=x\nA="open\nB=2\nC=\'x\' trailing\nD=${UNCLOSED\n';
    const { diagnostics } = parse(text);
    expect(diagnostics.map((d) => `${d.position!.line}:${d.position!.column} ${d.message}`)).toEqual([
      '2:1 not a KEY=VALUE line',
      '3:1 not a KEY=VALUE line',
      '4:3 a " quote that is never closed',
      '6:1 text after the closing quote',
      '7:3 a "${" without its "}"',
    ]);
    expect(JSON.stringify(diagnostics)).not.toMatch(/supersecret|open|trailing|UNCLOSED/);
  });
});
