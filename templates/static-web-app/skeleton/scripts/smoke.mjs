// Smoke check of the built site, run by the pipeline's deploy jobs after
// `npm run build`: serves dist/ as serve.mjs does and fetches its pages.
// `npm run smoke` fails unless every page answers 200.
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from '../serve.mjs';

const SERVICE_NAME = '${{ values.name }}';
const dist = path.join(path.dirname(path.dirname(fileURLToPath(import.meta.url))), 'dist');

const server = createServer(dist).listen(0, '127.0.0.1');
await once(server, 'listening');
const baseUrl = `http://127.0.0.1:${server.address().port}`;
try {
  const problems = [];
  for (const page of ['/', '/styles.css', '/app.js']) {
    const res = await fetch(baseUrl + page);
    const body = await res.text();
    if (res.status !== 200) problems.push(`${page} answered ${res.status}`);
    else if (page === '/' && !body.includes(`<title>${SERVICE_NAME}</title>`)) {
      problems.push(`${page} does not have the title ${SERVICE_NAME}`);
    }
  }
  if (problems.length) {
    console.error(`Smoke check failed (run npm run build first): ${problems.join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log('Smoke check passed: dist/ serves index.html, styles.css and app.js');
  }
} finally {
  server.close();
}
