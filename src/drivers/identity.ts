// Which database a URL names, without opening it: so that two targets of one run never share a history.
import { resolve } from 'node:path';
import { schemeOf } from './url.js';

/**
 * A key equal for two URLs that name the same database (`postgres` and `postgresql`, default host and
 * port, the password ignored); undefined for an in-memory database, which is new for every target.
 * Names the server resolves differently (`localhost` and `127.0.0.1`) still compare as different.
 */
export function databaseKeyOf(url: string): string | undefined {
  const scheme = schemeOf(url);
  switch (scheme) {
    case 'pglite':
    case 'sqlite': {
      const target = url.slice(scheme.length + 1);
      if (['', 'memory', ':memory:'].includes(target)) return undefined;
      return `${scheme}:${resolve(target)}`;
    }
    case 'postgres':
    case 'postgresql':
      return serverKey('postgres', url, 5432);
    case 'mysql':
    case 'mariadb':
      return serverKey('mysql', url, 3306);
    default:
      return url;
  }
}

function serverKey(family: string, url: string, defaultPort: number): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const host = parsed.hostname.toLowerCase() || 'localhost';
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return `${family}://${host}:${parsed.port || defaultPort}/${database}`;
}
