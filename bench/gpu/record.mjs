// Records what the pages fetch from a real `cimtwin serve` (GET /api/* answers) into www/, so that a
// static replay server (serve.py) can serve the built pages on a machine without Node.
// usage: node .gpu/tools/record.mjs http://127.0.0.1:PORT .gpu/c/www page1 page2 …
import { chromium } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const [base, outDir, ...pages] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'] });
const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
const saved = new Set();
page.on('response', async (res) => {
  const u = new URL(res.url());
  if (!u.pathname.startsWith('/api/') || !res.ok() || res.request().method() !== 'GET' || u.pathname.endsWith('/events')) return;
  try {
    const body = await res.body();
    const file = join(outDir, u.pathname.slice(1) + '.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, body);
    if (!saved.has(u.pathname)) console.log(res.status(), u.pathname, body.length);
    saved.add(u.pathname);
  } catch (e) { console.log('skip', u.pathname, String(e)); }
});
for (const p of pages) {
  await page.goto(`${base}/${p}`);
  await page.waitForFunction(() => window.__cimtwin?.ready === true || !!window.__cimtwin?.error, null, { timeout: 240_000 });
  console.log(p, 'ready', await page.evaluate(() => window.__cimtwin.error ?? 'ok'));
  await page.waitForTimeout(3000);
}
await browser.close();
