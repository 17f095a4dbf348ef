// export_check.mjs - loads one Chrome export into Chrome DevTools' own trace
// engine (npm @paulirish/trace_engine) and checks it against the futurescope
// trace it came from: every lane is a thread, every poll and spin a slice on
// its task's lane, every wake flow bound at both ends.
//   node scripts/export_check.mjs ENGINE_DIR OUT.json TRACE.jsonl
// Prints "threads T/T slices S/S flows bound F/F" and exits 1 on a mismatch.
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';

const [engineDir, chromeFile, traceFile] = process.argv.slice(2);
const Trace = await import(url.pathToFileURL(
    path.join(engineDir, 'models/trace/trace.js')).href);
// The engine's handlers use DOMRect, which node lacks (as in its analyze-trace.mjs).
globalThis.DOMRect ??= class { constructor(x = 0, y = 0, w = 0, h = 0) { Object.assign(this, {x, y, width: w, height: h}); } };

// What the futurescope trace says: its polls and spins.
let polls = 0;
for (const line of fs.readFileSync(traceFile, 'utf8').split('\n'))
  if (/"type":"(poll|spin)"/.test(line)) polls++;

const events = JSON.parse(fs.readFileSync(chromeFile, 'utf8')).traceEvents;
// Lanes the export names and puts a slice or instant on: each must be a thread.
const lanes = new Set(events.filter(e => e.ph === 'X' || e.ph === 'I').map(e => `${e.pid}/${e.tid}`));
const named = new Set(events.filter(e => e.ph === 'M' && e.name === 'thread_name').map(e => `${e.pid}/${e.tid}`));
const wantThreads = [...lanes].filter(l => named.has(l)).length;
const flowsWritten = events.filter(e => e.ph === 's').length;
const model = Trace.TraceModel.Model.createWithAllHandlers();
await model.parse(events);
const parsed = model.parsedTrace().data;

// Lanes in tid order (the engine lists them in the order it first met them).
let threads = 0, slices = 0, inOrder = true;
for (const [, proc] of parsed.Renderer.processes) {
  let last = -1;
  for (const [tid, thread] of proc.threads) {
    threads++;
    inOrder &&= tid > last;
    last = tid;
    if (thread.name?.startsWith('task '))
      slices += thread.entries.filter(e => e.ph === 'X' && e.args?.task !== undefined).length;
  }
}
// Nothing before the trace's start: events at ts 0 would be.
const first = Math.min(...events.filter(e => e.ph !== 'M').map(e => e.ts));
const inBounds = first >= parsed.Meta.traceBounds.min;
const bound = parsed.Flows.flows.filter(f => f.length === 2).length;
console.log(`threads ${threads}/${wantThreads} slices ${slices}/${polls} flows bound ${bound}/${flowsWritten}` +
            ` (${flowsWritten - bound} unbound)${inOrder ? '' : ' LANES OUT OF ORDER'}` +
            `${inBounds ? '' : ' EVENTS BEFORE THE TRACE START'}`);
process.exit(threads === wantThreads && slices === polls && bound === flowsWritten &&
             inOrder && inBounds ? 0 : 1);
