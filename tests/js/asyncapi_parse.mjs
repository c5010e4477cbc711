// Parse AsyncAPI documents with the official parser; print its diagnostics as JSON.
// Usage: node asyncapi_parse.mjs FILE...   (relative $refs resolve against each file)
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Parser, fromFile } from "@asyncapi/parser";

const parser = new Parser();
const results = {};
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await fromFile(parser, resolve(file)).parse();
  results[file] = {
    parsed: document !== undefined,
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity, // 0 error, 1 warning, 2 info, 3 hint
      message: d.message,
      path: d.path,
    })),
    channels: document ? document.channels().all().map((c) => c.address()) : [],
    messages: document
      ? document.components().messages().all().map((m) => ({
          name: m.name(),
          payload: m.payload() ? m.payload().json() : null,
        }))
      : [],
  };
}
process.stdout.write(JSON.stringify(results));
void readFileSync;
