import { request } from '@playwright/test';
import { environmentsApi } from './environments';
import { guestToken } from './goldenPaths';

/**
 * Environments are real databases, users and vhosts on this machine's
 * servers: destroy whatever the tests left, so a run leaves nothing behind.
 */
export default async function globalTeardown() {
  const context = await request.newContext({
    baseURL: process.env.PAVED_E2E_URL ?? 'http://localhost:7007',
  });
  try {
    const api = environmentsApi(context, await guestToken(context));
    for (const env of await api.list()) {
      for (const run of await api.runs(env.id)) {
        if (['queued', 'running'].includes(run.status)) {
          await api.waitForRun(run.id);
        }
      }
      const current = await api.get(env.id);
      if (current.status === 'destroyed') continue;
      const run = await api.startRun(env.id, 'destroy');
      const done = await api.waitForRun(run.id);
      if (done.status !== 'succeeded') {
        throw new Error(
          `Could not destroy ${env.service} / ${env.name}: ${done.error}`,
        );
      }
    }
  } finally {
    await context.dispose();
  }
}
