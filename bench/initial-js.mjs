// Prints the JavaScript a first page load fetches (count, raw and gzip bytes),
// measured in Debian's Chromium: first the sign-in page, then the home page
// after signing in as guest. Usage: node bench/initial-js.mjs http://localhost:7007
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const baseUrl = process.argv[2] ?? 'http://localhost:7007';

async function measure(page, action) {
  const scripts = [];
  const onResponse = async response => {
    if (response.request().resourceType() !== 'script') return;
    try {
      scripts.push(await response.body());
    } catch {
      // A response without a body (redirect) carries no JavaScript.
    }
  };
  page.on('response', onResponse);
  await action();
  await page.waitForLoadState('networkidle');
  page.off('response', onResponse);
  const raw = scripts.reduce((sum, body) => sum + body.length, 0);
  const gzip = scripts.reduce((sum, body) => sum + gzipSync(body).length, 0);
  return { files: scripts.length, raw, gzip };
}

const kib = bytes => `${(bytes / 1024).toFixed(0)} KiB`;

const settings = JSON.parse(
  fs.readFileSync(new URL('../scripts/chromium.json', import.meta.url), 'utf8'),
);
const browser = await chromium.launch({
  executablePath: process.env.PAVED_CHROMIUM ?? settings.executablePath,
  args: settings.args,
});
try {
  const page = await browser.newPage();
  const signIn = await measure(page, () => page.goto(baseUrl));
  const home = await measure(page, async () => {
    await page.getByRole('button', { name: 'Enter' }).click();
    await page.getByRole('heading', { name: 'Welcome to Paved' }).waitFor();
  });
  const total = {
    files: signIn.files + home.files,
    raw: signIn.raw + home.raw,
    gzip: signIn.gzip + home.gzip,
  };
  for (const [name, m] of [
    ['sign-in page', signIn],
    ['home page after sign-in', home],
    ['first visit in total', total],
  ]) {
    console.log(
      `initial JS, ${name}: ${m.files} files, ${kib(m.raw)} raw, ${kib(
        m.gzip,
      )} gzip`,
    );
  }
} finally {
  await browser.close();
}
