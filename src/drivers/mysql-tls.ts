// TLS for MySQL and MariaDB connections as the mysql client means it: ssl-mode, ssl-ca, ssl-cert, ssl-key in the URL.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { SslOptions } from 'mysql2';
import { UsageError } from '../errors.js';

export const MYSQL_SSL_MODES = ['DISABLED', 'PREFERRED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY'] as const;
export type MysqlSslMode = (typeof MYSQL_SSL_MODES)[number];

/** The URL parameters read here; any other parameter is refused (see mysqlTarget). */
export const MYSQL_TLS_PARAMS = ['ssl-mode', 'ssl-ca', 'ssl-cert', 'ssl-key'] as const;

export interface MysqlTls {
  mode: MysqlSslMode;
  /** What mysql2 gets; undefined: no TLS. */
  ssl?: SslOptions;
  /** PREFERRED: a server without TLS is connected to in the clear, as the mysql client does. */
  plainIfUnsupported: boolean;
}

/**
 * Reads the TLS parameters of a MySQL URL, and the certificate files they name, so that a wrong mode
 * or a missing file is a usage error before any connection. Without `ssl-mode`: PREFERRED, as the
 * mysql client (and as sqlmig's PostgreSQL URLs default to libpq's `prefer`), unless a CA is given
 * (then VERIFY_CA). REQUIRED encrypts without checking the certificate; with `ssl-ca` it
 * checks the chain, as the mysql client does. VERIFY_IDENTITY also checks the host name against it.
 * https://dev.mysql.com/doc/refman/8.4/en/connection-options.html#option_general_ssl-mode
 */
export function mysqlTlsOf(params: URLSearchParams, host: string, display: string): MysqlTls {
  const given = params.get('ssl-mode');
  const ca = readPem(params.get('ssl-ca'), 'ssl-ca', display);
  const cert = readPem(params.get('ssl-cert'), 'ssl-cert', display);
  const key = readPem(params.get('ssl-key'), 'ssl-key', display);
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError(`the URL ${display} gives ${cert === undefined ? 'ssl-key without ssl-cert' : 'ssl-cert without ssl-key'}`, {
      hint: 'a client certificate needs both: ?ssl-cert=PATH&ssl-key=PATH',
    });
  }
  const mode = given === null ? (ca === undefined ? 'PREFERRED' : 'VERIFY_CA') : modeOf(given, display);
  if (mode === 'DISABLED') {
    if (ca !== undefined || cert !== undefined) {
      throw new UsageError(`the URL ${display} gives certificates with ssl-mode=DISABLED`, { hint: 'remove them, or choose another ssl-mode' });
    }
    return { mode, plainIfUnsupported: false };
  }
  if (mode.startsWith('VERIFY') && ca === undefined) {
    throw new UsageError(`ssl-mode=${mode} needs the certificate authority to check the server against`, {
      hint: 'add ?ssl-ca=PATH to the URL (a PEM file)',
    });
  }
  // mysql2 checks the name only for a host name: with an address it would check "localhost".
  if (mode === 'VERIFY_IDENTITY' && isIP(host) !== 0) {
    throw new UsageError(`ssl-mode=VERIFY_IDENTITY checks the server's certificate against the host name, and ${display} gives an address`, {
      hint: 'use the host name the certificate holds, or ssl-mode=VERIFY_CA (the chain only)',
    });
  }
  const client = { ...(cert !== undefined && { cert, key }) };
  const ssl: SslOptions = ca === undefined
    ? { ...client, rejectUnauthorized: false }
    // The chain against the CA; the host name only for VERIFY_IDENTITY.
    : { ...client, ca, rejectUnauthorized: true, verifyIdentity: mode === 'VERIFY_IDENTITY' };
  return { mode, ssl, plainIfUnsupported: mode === 'PREFERRED' };
}

function modeOf(value: string, display: string): MysqlSslMode {
  const mode = value.toUpperCase().replace(/-/g, '_');
  if ((MYSQL_SSL_MODES as readonly string[]).includes(mode)) return mode as MysqlSslMode;
  throw new UsageError(`the URL ${display} has ssl-mode=${value}, which is not a mode`, { hint: `choose one of ${MYSQL_SSL_MODES.join(', ')}` });
}

function readPem(path: string | null, param: string, display: string): string | undefined {
  if (path === null) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${param} ${path} (from ${display}): ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      hint: 'give the path of a PEM file the process can read',
    });
  }
}
