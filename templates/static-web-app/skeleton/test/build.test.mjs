import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from '../build.mjs';
import { createServer } from '../serve.mjs';

const SERVICE_NAME = '${{ values.name }}';
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const run = promisify(execFile);

async function tempDir(t) {
  const dir = await mkdtemp(path.join(os.tmpdir(), `${SERVICE_NAME}-test-`));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('the build copies src/ and index.html names the service', async (t) => {
  const outDir = path.join(await tempDir(t), 'dist');
  // Run the build script the way `npm run build` does, into a temp directory.
  await run(process.execPath, [path.join(root, 'build.mjs'), outDir]);

  const indexFile = path.join(outDir, 'index.html');
  assert.ok(existsSync(indexFile), 'dist/index.html exists');
  const html = await readFile(indexFile, 'utf8');
  assert.ok(html.includes(`<title>${SERVICE_NAME}</title>`), 'the title is the service name');
  assert.ok(existsSync(path.join(outDir, 'styles.css')), 'styles.css is copied');
  assert.ok(existsSync(path.join(outDir, 'app.js')), 'app.js is copied');
});

test('the build fails when src/index.html is missing', async (t) => {
  const srcDir = await tempDir(t);
  const outDir = path.join(await tempDir(t), 'dist');
  await assert.rejects(build({ srcDir, outDir }), /index\.html is missing/);
  assert.ok(!existsSync(outDir), 'nothing is written');
});

test('serve.mjs serves the built site', async (t) => {
  const outDir = await build({ outDir: path.join(await tempDir(t), 'dist') });
  const server = createServer(outDir).listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const baseUrl = `http://127.0.0.1:${server.address().port}`;

  const page = await fetch(`${baseUrl}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /text\/html/);
  assert.ok((await page.text()).includes(SERVICE_NAME));

  const missing = await fetch(`${baseUrl}/no-such-file.html`);
  assert.equal(missing.status, 404);
  await missing.arrayBuffer();

  const escape = await fetch(`${baseUrl}/..%2fpackage.json`);
  assert.equal(escape.status, 404);
  await escape.arrayBuffer();
});
