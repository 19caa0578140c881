// A generated project shaped like years of history: a long chain, side branches that merge back, a few
// `transaction: off` files, and the objects real projects hold (tables, columns, indexes, functions
// with long bodies, views, triggers, row-level security, enums, comments).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORK } from './lib.mjs';

const pad = (i) => String(i).padStart(4, '0');

/** A plpgsql body of about `lines` lines. */
function body(i, lines) {
  const out = ['DECLARE', '  result text := \'\';', '  n integer := 0;', 'BEGIN'];
  for (let k = 0; out.length < lines - 3; k++) {
    out.push(`  -- step ${k} of f${i}`, `  IF p_id % ${k + 2} = 0 THEN`, `    n := n + ${k};`, `    result := result || 'part ${k} ';`, '  END IF;');
  }
  out.push('  RETURN result || n::text;', 'END;');
  return out.join('\n');
}

/** What file `i` creates, given the table its lineage created last; returns deploy, revert, and a table if it creates one. */
function content(i, table) {
  switch (i % 10) {
    case 0: case 5: {
      const t = `app.t${i}`;
      const ref = table ? `,\n  parent_id bigint REFERENCES ${table} (id)` : '';
      return {
        table: t,
        deploy: `CREATE TABLE ${t} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now(),\n  amount numeric(12, 2) DEFAULT 0,\n  note text${ref}\n);\nCOMMENT ON TABLE ${t} IS 'table ${i}';`,
        revert: `DROP TABLE ${t};`,
      };
    }
    case 1: return { deploy: `ALTER TABLE ${table} ADD COLUMN extra_${i} text;`, revert: `ALTER TABLE ${table} DROP COLUMN extra_${i};` };
    case 2: return {
      deploy: `CREATE FUNCTION app.f${i}(p_id bigint) RETURNS text\n  LANGUAGE plpgsql STABLE\nAS $$\n${body(i, 40)}\n$$;`,
      revert: `DROP FUNCTION app.f${i}(bigint);`,
    };
    case 3: return {
      deploy: `CREATE VIEW app.v${i} AS\n  SELECT id, name, amount\n    FROM ${table}\n   WHERE amount > ${i};`,
      revert: `DROP VIEW app.v${i};`,
    };
    case 4: return { deploy: `CREATE INDEX t_name_${i} ON ${table} (name);`, revert: `DROP INDEX app.t_name_${i};` };
    case 6: return {
      deploy: `CREATE FUNCTION app.touch_${i}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.note := coalesce(NEW.note, 'touched ${i}');\n  RETURN NEW;\nEND;\n$$;\n`
        + `CREATE TRIGGER touch_${i} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION app.touch_${i}();`,
      revert: `DROP TRIGGER touch_${i} ON ${table};\nDROP FUNCTION app.touch_${i}();`,
    };
    case 7: return {
      deploy: `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;\nCREATE POLICY own_${i} ON ${table} USING (amount >= 0);`,
      revert: `DROP POLICY own_${i} ON ${table};\nALTER TABLE ${table} DISABLE ROW LEVEL SECURITY;`,
    };
    case 8: return { deploy: `CREATE TYPE app.state_${i} AS ENUM ('new', 'open', 'closed');`, revert: `DROP TYPE app.state_${i};` };
    default: return {
      deploy: `ALTER TABLE ${table} ALTER COLUMN note SET DEFAULT 'n${i}';\nCOMMENT ON COLUMN ${table}.note IS 'note ${i}';`,
      revert: `COMMENT ON COLUMN ${table}.note IS NULL;\nALTER TABLE ${table} ALTER COLUMN note DROP DEFAULT;`,
    };
  }
}

/**
 * `count` files: `chain/NNNN_*` each requiring the chain file before it; every 30 files a branch of
 * 8 files (`branch<k>/…`) leaves the chain and a chain file 10 later merges it back (it requires the
 * branch's last file too). Every 50th file builds an index concurrently in a `transaction: off` file.
 */
export function generateDag(name, count) {
  const dir = join(WORK, name);
  rmSync(dir, { recursive: true, force: true });
  const write = (file, requires, text) => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, `${file}.sql`), `${requires.length ? `-- requires: ${requires.join(', ')}\n` : ''}${text}`);
  };
  mkdirSync(dir, { recursive: true });
  write('0000_schema', [], 'CREATE SCHEMA app;\n-- revert:\nDROP SCHEMA app;\n');
  let chain = { name: '0000_schema', table: undefined };
  const branches = [];
  for (let i = 1; i < count; i++) {
    const open = branches.find((b) => b.left > 0);
    const onBranch = open && i % 2 === 1;
    const at = onBranch ? open.tip : chain;
    const requires = [at.name];
    const merging = !onBranch && branches.find((b) => b.left === 0 && !b.merged && i >= b.mergeAt);
    if (merging) { requires.push(merging.tip.name); merging.merged = true; }
    let file;
    if (i % 50 === 0 && at.table) {
      file = { name: `${onBranch ? open.folder : 'chain'}/${pad(i)}_concurrent_index`, table: at.table };
      write(file.name, requires, `-- transaction: off\nCREATE INDEX CONCURRENTLY t_created_${i} ON ${at.table} (created_at);\n-- revert:\nDROP INDEX CONCURRENTLY app.t_created_${i};\n`);
    } else {
      const c = content(at.table ? i : 0, at.table);
      file = { name: `${onBranch ? open.folder : 'chain'}/${pad(i)}_${c.table ? 'table' : 'change'}`, table: c.table ?? at.table };
      write(file.name, requires, `${c.deploy}\n\n-- revert:\n${c.revert}\n`);
    }
    if (onBranch) { open.tip = file; open.left--; } else chain = file;
    if (!onBranch && i % 30 === 0) branches.push({ folder: `branch${branches.length}`, tip: chain, left: 8, mergeAt: i + 20, merged: false });
  }
  return dir;
}
