// The CouchDB peer of the 2G benchmark (scripts/bench-2g): a PouchDB device, as a CouchDB user
// would write one (an in-memory PouchDB, `db.sync(remote)` one-shot, PouchDB's defaults), driven
// by the benchmark through standard input, one JSON command a line, one JSON answer a line:
//
//   {"cmd":"load","url":U,"file":F}   put the documents of F (JSON lines) on the server at U
//                                     (directly, not through the link): the caseload
//   {"cmd":"update","url":U,"file":F} replace those documents on the server (another device's
//                                     edit), keeping each one's _rev
//   {"cmd":"local","file":F}          replace those documents on this device (its own edit)
//   {"cmd":"sync","url":U}            one sync of this device with U (through the link): push
//                                     and pull, as db.sync does; answers the time and the
//                                     documents read and written each way
//   {"cmd":"count"}                   documents on this device
'use strict';
const fs = require('fs');
const http = require('http');
const readline = require('readline');
const { fetch } = require('pouchdb-fetch');
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'));

const device = new PouchDB('device', { adapter: 'memory' });

// Keep-alive, up to six connections, as a browser or a phone's web view would (node-fetch alone
// opens a connection per request); a new agent each sync, since a phone's connections do not
// outlive the signal between two syncs.
function remote(url) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  const db = new PouchDB(url, { adapter: 'http', fetch: (u, o) => fetch(u, { ...o, agent }) });
  return { db, agent };
}

function docsOf(file) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

async function replace(db, docs) {
  const ids = docs.map((d) => d._id);
  const have = await db.allDocs({ keys: ids });
  const revs = new Map(have.rows.filter((r) => r.value).map((r) => [r.id, r.value.rev]));
  const out = docs.map((d) => (revs.has(d._id) ? { ...d, _rev: revs.get(d._id) } : d));
  const res = await db.bulkDocs(out);
  const bad = res.filter((r) => r.error);
  if (bad.length) throw new Error(`bulkDocs: ${JSON.stringify(bad[0])}`);
  return res.length;
}

async function run(cmd) {
  switch (cmd.cmd) {
    case 'load':
    case 'update': {
      const { db, agent } = remote(cmd.url);
      const docs = docsOf(cmd.file);
      let n = 0;
      for (let i = 0; i < docs.length; i += 100) n += await replace(db, docs.slice(i, i + 100));
      agent.destroy();
      return { written: n };
    }
    case 'local':
      return { written: await replace(device, docsOf(cmd.file)) };
    case 'sync': {
      const { db, agent } = remote(cmd.url);
      const t = process.hrtime.bigint();
      const r = await device.sync(db);
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      agent.destroy();
      return {
        ms,
        pulled: r.pull ? r.pull.docs_written : 0,
        pushed: r.push ? r.push.docs_written : 0,
      };
    }
    case 'count':
      return { docs: (await device.info()).doc_count };
    default:
      throw new Error(`unknown command ${cmd.cmd}`);
  }
}

const rl = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
rl.on('line', (line) => {
  if (!line.trim()) return;
  queue = queue.then(async () => {
    try {
      const out = await run(JSON.parse(line));
      process.stdout.write(JSON.stringify({ ok: true, ...out }) + '\n');
    } catch (e) {
      process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.stack || e) }) + '\n');
    }
  });
});
rl.on('close', () => queue.then(() => process.exit(0)));
