// Database URLs: scheme detection and password redaction (a password is never printed, even from a malformed URL).

/** `postgres://u:secret@h/db` -> `postgres://u:***@h/db`; works on malformed URLs too. */
export function redactUrl(url: string): string {
  // Everything between "scheme://user:" and the LAST "@" before the host is the password: passwords may hold "@", "/", "#", "?".
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(.*)@(?=[^@]*$)/i.exec(url);
  let redacted = url;
  if (m) {
    const userinfo = m[2];
    const colon = userinfo.indexOf(':');
    const user = colon === -1 ? userinfo : userinfo.slice(0, colon);
    redacted = `${m[1]}${colon === -1 ? user : `${user}:***`}@${url.slice(m[0].length)}`;
  } else {
    // No "@": a password could still hide in a malformed authority or the query string.
    redacted = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#]*:)[^/?#]*(?=[/?#]|$)/i, (all, head: string) =>
      /^\d+$/.test(all.slice(head.length)) ? all : `${head}***`);
  }
  return redacted.replace(/([?&](?:password|pass|pwd|sslpassword)=)[^&#]*/gi, '$1***');
}

/** The scheme of a URL, lower-cased, without the colon (`postgres`, `pglite`). */
export function schemeOf(url: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return m ? m[1].toLowerCase() : undefined;
}

/** Removes every occurrence of the secret from a text (error messages from libraries may echo it). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join('***');
  return out;
}

/** The password of a URL, raw and percent-decoded, to scrub from anything printed. */
export function passwordsOf(url: string): string[] {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(.*)@(?=[^@]*$)/i.exec(url);
  const found: string[] = [];
  if (m && m[1].includes(':')) found.push(m[1].slice(m[1].indexOf(':') + 1));
  for (const q of url.matchAll(/[?&](?:password|pass|pwd|sslpassword)=([^&#]*)/gi)) found.push(q[1]);
  const decoded = found.map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  return [...new Set([...found, ...decoded])].filter((p) => p.length > 0);
}
