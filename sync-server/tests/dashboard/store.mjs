// Where a browser test's server keeps its data: a new SQLite file, or, when
// HOMEWARD_TEST_POSTGRES names a PostgreSQL database (scripts/test's second run), a new schema
// of its own there (the same switch as the Rust tests' `store::testing`).
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";

/** The value of `--db` for a new, empty store; `prefix` names its temporary folder. */
export function newStore(prefix) {
  const base = process.env.HOMEWARD_TEST_POSTGRES;
  if (!base) return join(mkdtempSync(join(tmpdir(), prefix)), "server.db");
  const schema = `t_${randomBytes(8).toString("hex")}`;
  execFileSync("psql", ["-q", "-d", base, "-c", `CREATE SCHEMA ${schema}`]);
  return `${base}${base.includes("?") ? "&" : "?"}options=-csearch_path%3D${schema}`;
}
