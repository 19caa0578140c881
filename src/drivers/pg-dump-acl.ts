// Grants of `sqlmig dump`: an object's ACL (aclitem text) as the REVOKE and GRANT statements that rebuild it, owner-neutral.

const PRIVILEGES: Record<string, string> = {
  r: 'SELECT', w: 'UPDATE', a: 'INSERT', d: 'DELETE', D: 'TRUNCATE', x: 'REFERENCES', t: 'TRIGGER', m: 'MAINTAIN',
  X: 'EXECUTE', U: 'USAGE', C: 'CREATE', c: 'CONNECT', T: 'TEMPORARY',
};

interface AclItem { grantee: string; privileges: string[]; grantable: string[] }

/** `name=arw*d/grantor` -> its grantee (`PUBLIC` when empty, quoted as written) and privileges. */
export function parseAclItem(item: string): AclItem {
  let i = 0, grantee = '';
  if (item[0] === '"') {
    for (i = 1; i < item.length; i++) {
      if (item[i] === '"' && item[i + 1] === '"') i++;
      else if (item[i] === '"') break;
    }
    grantee = item.slice(0, ++i);
  } else {
    i = item.indexOf('=');
    grantee = item.slice(0, i);
  }
  const letters = item.slice(i + 1, item.lastIndexOf('/'));
  const privileges: string[] = [], grantable: string[] = [];
  for (let j = 0; j < letters.length; j++) {
    const name = PRIVILEGES[letters[j]];
    if (!name) continue;
    if (letters[j + 1] === '*') { grantable.push(name); j++; } else privileges.push(name);
  }
  return { grantee: grantee === '' ? 'PUBLIC' : grantee, privileges, grantable };
}

/**
 * The statements that give `ON kind name` the ACL `acl` (NULL: the default, nothing to write). The
 * default grants are revoked first, then each grantee gets its privileges in the ACL's own order, so
 * the rebuilt ACL reads as the original; the owner is written CURRENT_USER (who loads the dump owns the
 * object). With `column`, the grants of that column (`GRANT SELECT (c) ON TABLE t`), which start from none.
 */
export function aclStatements(kind: string, name: string, acl: readonly string[] | null, owner: string, column?: string): string[] {
  if (!acl) return [];
  const on = `ON ${kind} ${name}`;
  const list = (privileges: string[]) => privileges.map((p) => (column ? `${p} (${column})` : p)).join(', ');
  const out = column ? [] : [`REVOKE ALL ${on} FROM PUBLIC;`, `REVOKE ALL ${on} FROM CURRENT_USER;`];
  for (const item of acl.map(parseAclItem)) {
    const grantee = item.grantee === quoteRole(owner) ? 'CURRENT_USER' : item.grantee;
    if (item.privileges.length > 0) out.push(`GRANT ${list(item.privileges)} ${on} TO ${grantee};`);
    if (item.grantable.length > 0) out.push(`GRANT ${list(item.grantable)} ${on} TO ${grantee} WITH GRANT OPTION;`);
  }
  return out;
}

/** A role name as aclitem text writes it: quoted when it is not a plain lower-case name. */
function quoteRole(role: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(role) ? role : `"${role.replace(/"/g, '""')}"`;
}
