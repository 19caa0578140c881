// TLS for PostgreSQL connections as libpq means it: sslmode, sslrootcert, sslcert, sslkey from the URL or the PGSSL* variables.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { UsageError } from '../errors.js';

export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** What node-postgres gets: no TLS, or these TLS options. */
export type TlsSetting = false | ConnectionOptions;

/** How to connect: the URL without the TLS parameters, and the TLS setting to try (then the fallback, if its condition holds). */
export interface TlsPlan {
  connectionString: string;
  /** undefined when neither the URL nor the environment says: node-postgres's own default (no TLS unless `?ssl=true`). */
  mode?: SslMode;
  ssl?: TlsSetting;
  /** `prefer` and `allow` try a second way when the first is refused, as libpq does. */
  fallback?: { ssl: TlsSetting; when(error: unknown): boolean };
}

/** Query parameters that node-postgres would read with other meanings (pg 8 treats `sslmode=require` as verify-full). */
const TLS_PARAMS = new Set(['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat']);

/**
 * Reads the TLS settings of a URL and the environment (the URL wins, as in libpq) and reads the
 * certificate files, so that a missing file is a usage error before any connection.
 * https://www.postgresql.org/docs/current/libpq-ssl.html
 */
export function tlsPlanOf(url: string, env: NodeJS.ProcessEnv = process.env, home = homedir()): TlsPlan {
  const { base, params, rest } = splitQuery(url);
  const setting = (param: string, variable: string) => {
    const fromUrl = params.get(param);
    if (fromUrl !== undefined) return { value: fromUrl, source: 'the database URL' };
    const fromEnv = env[variable];
    return fromEnv ? { value: fromEnv, source: variable } : undefined;
  };
  const modeSetting = setting('sslmode', 'PGSSLMODE');
  const rootSetting = setting('sslrootcert', 'PGSSLROOTCERT');
  const certSetting = setting('sslcert', 'PGSSLCERT');
  const keySetting = setting('sslkey', 'PGSSLKEY');
  // Nothing libpq would read: leave the URL to node-postgres untouched (`?ssl=true` keeps working).
  if (!modeSetting && !rootSetting && !certSetting && !keySetting) return { connectionString: url };
  const connectionString = rest.length > 0 ? `${base}?${rest.join('&')}` : base;

  const mode = modeOf(modeSetting, rootSetting?.value === 'system');
  if (mode === 'disable') return { connectionString, mode, ssl: false };
  const postgresDir = join(home, '.postgresql');
  const root = rootSetting?.value === 'system' ? 'system' : readPem(rootSetting, join(postgresDir, 'root.crt'), 'sslrootcert');
  const cert = readPem(certSetting, join(postgresDir, 'postgresql.crt'), 'sslcert');
  const key = cert === undefined ? undefined : readPem(keySetting, join(postgresDir, 'postgresql.key'), 'sslkey');
  const client: ConnectionOptions = { ...(cert !== undefined && { cert }), ...(key !== undefined && { key }) };

  const noVerify: ConnectionOptions = { ...client, rejectUnauthorized: false };
  // The chain against the given CA, whatever name the certificate holds.
  const chainOnly = (ca: string): ConnectionOptions => ({ ...client, ca, checkServerIdentity: () => undefined });
  // libpq checks the chain whenever a root certificate is there, even for allow, prefer and require.
  const encrypt = root === undefined || root === 'system' ? noVerify : chainOnly(root);
  switch (mode) {
    case 'allow':
      return { connectionString, mode, ssl: false, fallback: { ssl: encrypt, when: refusedByServer } };
    case 'prefer':
      return { connectionString, mode, ssl: encrypt, fallback: { ssl: false, when: serverWithoutTls } };
    case 'require':
      return { connectionString, mode, ssl: encrypt };
    case 'verify-ca':
      if (root === undefined || root === 'system') {
        throw new UsageError(`sslmode=verify-ca needs the certificate of the CA that signed the server's: sslrootcert=FILE, PGSSLROOTCERT or ${join(postgresDir, 'root.crt')}`, {
          hint: 'with a certificate from a public CA, use sslmode=verify-full, which also checks the host name',
        });
      }
      return { connectionString, mode, ssl: chainOnly(root) };
    case 'verify-full':
      // Without a root certificate, the CAs Node.js trusts (libpq's sslrootcert=system).
      return { connectionString, mode, ssl: root === undefined || root === 'system' ? client : { ...client, ca: root } };
  }
}

function modeOf(setting: { value: string; source: string } | undefined, systemRoot: boolean): SslMode {
  // libpq: sslrootcert=system makes verify-full the default and forbids weaker modes.
  if (!setting) return systemRoot ? 'verify-full' : 'prefer';
  // node-postgres's own spelling of "encrypt, do not verify".
  const value = setting.value === 'no-verify' ? 'require' : setting.value;
  if (!(SSL_MODES as readonly string[]).includes(value)) {
    throw new UsageError(`unknown sslmode "${setting.value}" (from ${setting.source})`, {
      hint: `sslmode is one of ${SSL_MODES.join(', ')}, as in psql`,
    });
  }
  if (systemRoot && value !== 'verify-full') {
    throw new UsageError(`sslrootcert=system needs sslmode=verify-full, not ${value}`, {
      hint: 'the system CAs vouch for whoever holds a certificate for the name: only the host name check makes them safe',
    });
  }
  return value as SslMode;
}

/** A named file must exist; libpq's default file (~/.postgresql/…) is used only when it does. */
function readPem(setting: { value: string; source: string } | undefined, fallback: string, param: string): string | undefined {
  const path = setting?.value ?? (existsSync(fallback) ? fallback : undefined);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${param} ${path} (from ${setting?.source ?? 'the default location'}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: `${param} names a PEM file readable by this user`,
    });
  }
}

/** The URL before its query, the libpq TLS parameters (decoded), and the other parameters as written. */
function splitQuery(url: string): { base: string; params: Map<string, string>; rest: string[] } {
  // The query starts after the authority; a password may hold "?" only percent-encoded, but look past the last "@" anyway.
  const at = url.lastIndexOf('@');
  const q = url.indexOf('?', at === -1 ? 0 : at);
  const params = new Map<string, string>();
  if (q === -1) return { base: url, params, rest: [] };
  const rest: string[] = [];
  for (const pair of url.slice(q + 1).split('&')) {
    const [name, value] = [...new URLSearchParams(pair)][0] ?? [pair, ''];
    if (TLS_PARAMS.has(name)) {
      if (name !== 'ssl' && name !== 'uselibpqcompat') params.set(name, value);
    } else if (pair !== '') {
      rest.push(pair);
    }
  }
  return { base: url.slice(0, q), params, rest };
}

/** node-postgres's error when the server answers the TLS request with "no" (ssl = off). */
export function serverWithoutTls(error: unknown): boolean {
  return error instanceof Error && /does not support SSL/i.test(error.message);
}

/** The server turned a connection away while authenticating (pg_hba.conf, e.g. a hostssl-only rule). */
function refusedByServer(error: unknown): boolean {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('28');
}

/** Node's codes for a certificate that does not verify. */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE', 'INVALID_CA', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
]);

const CHOICES = 'sslmode=require encrypts without verifying the certificate; sslmode=verify-ca or verify-full with sslrootcert=FILE (the CA\'s certificate) verify it';

/** A hint for a TLS failure, naming the sslmode choices; undefined when the error is not about TLS. */
export function tlsHintOf(error: unknown, host: string): string | undefined {
  const e = error as Error & { code?: string };
  if (UNTRUSTED.has(e.code ?? '')) return `the server's certificate is not trusted here (self-signed, or from an unknown CA): ${CHOICES}`;
  if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the certificate does not name host ${host}: connect by a name it holds, or use sslmode=verify-ca, which checks the CA but not the name (sslmode=require encrypts without verifying)`;
  }
  if (serverWithoutTls(error)) return 'the server has TLS turned off (ssl = off): use sslmode=prefer or disable, or turn ssl on in postgresql.conf';
  if (e.code === '28000' && /no encryption/i.test(e.message ?? '')) {
    return `the server accepts this connection only over TLS (a hostssl line in pg_hba.conf): ${CHOICES}`;
  }
  return undefined;
}
