// For --isolation: which migration creates the object a failing deploy missed (the driver names the object).
import type { MigrationGraph } from '../core/graph.js';

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
