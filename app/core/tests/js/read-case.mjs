// Reads a case exported by `homeward export` with the JavaScript Automerge implementation and
// prints a few fields as JSON. Used by app/core/tests/field/export_js.rs.
import { readFileSync } from "node:fs";
import * as Automerge from "@automerge/automerge";

const doc = Automerge.load(new Uint8Array(readFileSync(process.argv[2])));
console.log(JSON.stringify({
  kind: doc.kind,
  case_id: doc.case_id,
  name: doc.child.name,
  village: doc.child.address.village,
  returned_on: doc.rescue.returned_on,
  needs: Object.keys(doc.needs).length,
}));
