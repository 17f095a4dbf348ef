// export_check.mjs - loads Chrome exports into Chrome DevTools' own trace
// engine (npm @paulirish/trace_engine) and checks each against the
// futurescope trace it came from: every lane a thread (in tid order), every
// poll and spin a slice on its task's lane, every instant kept,
// nothing before the trace's start, and every wake flow bound at both ends
// (to the slice it leaves from and to the poll it leads to, at two times).
//   node scripts/export_check.mjs ENGINE_DIR LABEL OUT.json TRACE.jsonl [LABEL OUT.json TRACE.jsonl ...]
// Prints one line per export, "LABEL threads T/T slices S/S instants I/I
// flows bound F/F (...)", and exits 1 if any export fails a check.
import fs from 'node:fs';
import path from 'node:path';
import url from 'node:url';

const [engineDir, ...files] = process.argv.slice(2);
if (!engineDir || files.length === 0 || files.length % 3 !== 0) {
  console.error('usage: node export_check.mjs ENGINE_DIR LABEL OUT.json TRACE.jsonl ...');
  process.exit(2);
}
const Trace = await import(url.pathToFileURL(
    path.join(engineDir, 'models/trace/trace.js')).href);
// The engine's handlers use DOMRect, which node lacks (as in its analyze-trace.mjs).
globalThis.DOMRect ??= class { constructor(x = 0, y = 0, w = 0, h = 0) { Object.assign(this, {x, y, width: w, height: h}); } };

async function check(label, chromeFile, traceFile) {
  // What the futurescope trace says: its polls and spins.
  let polls = 0;
  for (const line of fs.readFileSync(traceFile, 'utf8').split('\n'))
    if (/"type":"(poll|spin)"/.test(line)) polls++;

  const doc = JSON.parse(fs.readFileSync(chromeFile, 'utf8'));
  const events = doc.traceEvents;
  // Lanes the export names and puts a slice or instant on: each must be a thread.
  const lanes = new Set(events.filter(e => e.ph === 'X' || e.ph === 'I').map(e => `${e.pid}/${e.tid}`));
  const named = new Set(events.filter(e => e.ph === 'M' && e.name === 'thread_name').map(e => `${e.pid}/${e.tid}`));
  const wantThreads = [...lanes].filter(l => named.has(l)).length;
  const wantInstants = events.filter(e => e.ph === 'I').length;
  const flowsWritten = events.filter(e => e.ph === 's').length;
  const model = Trace.TraceModel.Model.createWithAllHandlers();
  await model.parse(events);
  const parsed = model.parsedTrace().data;

  // Lanes in tid order (the engine lists them in the order it first met them).
  let threads = 0, slices = 0, instants = 0, inOrder = true;
  for (const [, proc] of parsed.Renderer.processes) {
    let last = -1;
    for (const [tid, thread] of proc.threads) {
      threads++;
      inOrder &&= tid > last;
      last = tid;
      instants += thread.entries.filter(e => e.ph === 'I').length;
      if (thread.name?.startsWith('task '))
        slices += thread.entries.filter(e => e.ph === 'X' && e.args?.result !== undefined).length;
    }
  }
  // Nothing before the trace's start: events at ts 0 would be.
  // (a loop, not Math.min(...): a big export has more events than the stack holds arguments)
  let first = Infinity;
  for (const e of events)
    if (e.ph !== 'M' && e.ts < first)
      first = e.ts;
  const inBounds = first >= parsed.Meta.traceBounds.min;
  // A flow is bound when the engine put two events in it: an X slice it
  // leaves from (a poll, or a device's wake slice) and, later, the poll it
  // leads to. The engine files a flow's events by ts: two at one ts are one.
  const isPoll = e => e.ph === 'X' && e.args?.result !== undefined;
  const bound = parsed.Flows.flows.map(f => [...f].sort((a, b) => a.ts - b.ts))
    .filter(f => f.length === 2 && f[0].ph === 'X' && isPoll(f[1]) && f[0].ts < f[1].ts).length;
  const said = doc.otherData.flows;   // what the exporter says it wrote
  const without = doc.otherData.wakes_without_flow;
  console.log(`${label} threads ${threads}/${wantThreads} slices ${slices}/${polls}` +
              ` instants ${instants}/${wantInstants} flows bound ${bound}/${flowsWritten}` +
              ` (${flowsWritten - bound} unbound, ${without} wakes without a flow)` +
              `${inOrder ? '' : ' LANES OUT OF ORDER'}${inBounds ? '' : ' EVENTS BEFORE THE TRACE START'}` +
              `${said === flowsWritten ? '' : ` otherData.flows ${said}`}`);
  return threads === wantThreads && slices === polls && instants === wantInstants &&
         bound === flowsWritten && said === flowsWritten && inOrder && inBounds;
}

let ok = true;
for (let i = 0; i < files.length; i += 3)
  ok = (await check(files[i], files[i + 1], files[i + 2])) && ok;
process.exit(ok ? 0 : 1);
