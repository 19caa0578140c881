// For --isolation: which object a failing deploy missed, and which migration creates it.
import type { MigrationGraph } from '../core/graph.js';

/** SQLSTATEs of "this object does not exist": undefined table, column, function, object (type), schema. */
const UNDEFINED = new Set(['42P01', '42703', '42883', '42704', '3F000']);

/** `relation "app.users" does not exist` -> `app.users`; `function app.f(integer) does not exist` -> `app.f`. */
export function missingObjectOf(sqlstate: string | undefined, message: string): string | undefined {
  if (!sqlstate || !UNDEFINED.has(sqlstate)) return undefined;
  const quoted = /"([^"]+)" does not exist/.exec(message);
  if (quoted) return quoted[1];
  const fn = /function ([\w."]+)\(/.exec(message);
  return fn ? fn[1].replace(/"/g, '') : undefined;
}

/**
 * The first migration (outside `exclude`) whose deploy section creates or adds an object of that
 * name; a text search for CREATE/ADD … NAME, enough to point the user at the right file.
 */
export function creatorOf(project: MigrationGraph, object: string, exclude: ReadonlySet<string>): string | undefined {
  const last = object.split('.').at(-1)!;
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const name = object.includes('.') ? `(?:${escaped(object)}|"?${escaped(object.split('.').slice(0, -1).join('.'))}"?\\."?${escaped(last)}"?)` : `(?:[\\w"]+\\.)?"?${escaped(last)}"?`;
  const pattern = new RegExp(`\\b(?:CREATE|ADD)\\b[^;]*?\\s${name}(?![\\w$])`, 'i');
  return project.order.find((m) => !exclude.has(m.name) && pattern.test(m.deploy.sql))?.name;
}
