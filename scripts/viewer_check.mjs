// viewer_check.mjs - loads a Chrome trace JSON into speedscope (a real trace
// viewer, run from its npm package) in headless Chromium, prints what it made
// of it, and fails on any warning or error it logs (speedscope warns about
// slices that do not nest) or if it shows no futurescope lane.
//   node viewer_check.mjs SPEEDSCOPE_INDEX_HTML TRACE.json [SCREENSHOT.png]
// Run by scripts/viewer_check.sh, which installs what it needs.
import puppeteer from 'puppeteer-core';
import path from 'node:path';
const [,, html, trace, shot] = process.argv;
const browser = await puppeteer.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true, args: ['--no-sandbox', '--allow-file-access-from-files', '--disable-gpu']});
const page = await browser.newPage();
await page.setViewport({width: 1600, height: 900});
const problems = [];
page.on('console', m => { const t = m.text(); if (/GL Driver|WebGL|swiftshader/i.test(t)) return; if (m.type() === 'warning' || m.type() === 'error') problems.push(`${m.type()}: ${t}`); else console.log(`console: ${t}`); });
page.on('pageerror', e => problems.push(`pageerror: ${e.message}`));
await page.goto(`file://${path.resolve(html)}`, {waitUntil: 'domcontentloaded'});
const input = await page.waitForSelector('input[type=file]', {timeout: 15000});
await input.uploadFile(path.resolve(trace));
await new Promise(r => setTimeout(r, 4000));
const text = await page.evaluate(() => document.body.innerText);
console.log('page text:', text.replace(/\s+/g, ' ').slice(0, 400));
if (shot) await page.screenshot({path: shot});
await browser.close();
for (const p of problems) console.log(p);
const m = text.match(/\((\d+)\/(\d+)\)/);
console.log(`speedscope: ${m ? m[2] : 0} lanes with slices; ${problems.length} warnings or errors`);
const ok = !problems.length && m && Number(m[2]) > 1 && /\(pid 1\), worker 0 \(tid 1\)/.test(text);
process.exit(ok ? 0 : 1);
