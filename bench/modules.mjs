// GET /api/environments/options and a create request's validation with N
// manifests loaded (see bench/modules.sh).
//   node bench/modules.mjs URL N
import { guestToken, percentile } from './lib.mjs';
const [base, countArg] = process.argv.slice(2);
const count = Number(countArg);
const token = await guestToken(base);
const headers = {
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
};
async function measure(label, request, expect, runs = 200) {
  const times = [];
  for (let i = 0; i < runs + 10; i++) {
    const started = performance.now();
    const res = await request();
    const body = await res.json();
    if (i >= 10) times.push(performance.now() - started);
    expect(res, body);
  }
  console.log(
    `${label}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(
      times,
      95,
    ).toFixed(1)} ms (${runs} requests after 10 warm-up)`,
  );
}
const names = Array.from(
  { length: count },
  (_, i) => `pg${String(i + 1).padStart(String(count).length, '0')}`,
);
await measure(
  `GET options with ${count} manifests`,
  () => fetch(`${base}/api/environments/options`, { headers }),
  (res, body) => {
    if (!res.ok || body.resources.length < count) {
      throw new Error(
        `options: ${res.status} ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
  },
);
// Every manifest's building block asked for, one field wrong at the end:
// the whole request is checked, and nothing runs.
await measure(
  `validation of a create request naming all ${count} building blocks`,
  () =>
    fetch(`${base}/api/environments/environments`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        service: 'component:default/payments-api-service',
        name: 'bench',
        resources: names,
        ttlHours: 0,
      }),
    }),
  (res, body) => {
    if (res.status !== 400 || !/ttlHours 0/.test(body.error.message)) {
      throw new Error(
        `validation: ${res.status} ${JSON.stringify(body).slice(0, 300)}`,
      );
    }
  },
);
