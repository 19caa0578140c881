// Durations on the command line: `60s`, `500ms`, `2min`, `1h`; a bare number is seconds; 0 means none.
import { UsageError } from '../index.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

export function parseDuration(value: string | number, option: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)?\s*$/i.exec(String(value));
  if (!m) throw new UsageError(`--${option} takes a duration such as 10s, 500ms or 2min, not "${value}"`);
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
