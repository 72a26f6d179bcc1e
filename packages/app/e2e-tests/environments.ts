import { APIRequestContext, expect } from '@playwright/test';

/** Calls the environments API as the signed-in guest. */
export function environmentsApi(request: APIRequestContext, token: string) {
  const headers = { Authorization: `Bearer ${token}` };
  const base = '/api/environments';
  return {
    async list(query = '') {
      const res = await request.get(`${base}/environments${query}`, {
        headers,
      });
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json()).items as any[];
    },
    async get(id: string) {
      const res = await request.get(`${base}/environments/${id}`, { headers });
      expect(res.status(), await res.text()).toBe(200);
      return res.json();
    },
    async runs(id: string) {
      const res = await request.get(`${base}/environments/${id}/runs`, {
        headers,
      });
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json()).items as any[];
    },
    async create(data: object) {
      return request.post(`${base}/environments`, { headers, data });
    },
    async secrets(id: string) {
      const res = await request.get(`${base}/environments/${id}/secrets`, {
        headers,
      });
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json()).outputs as Record<string, string>;
    },
    async startRun(id: string, kind: string) {
      const res = await request.post(`${base}/environments/${id}/runs`, {
        headers,
        data: { kind },
      });
      expect(res.status(), await res.text()).toBe(202);
      return res.json();
    },
    /** Waits for a run to end and returns it. */
    async waitForRun(runId: string) {
      const started = Date.now();
      for (;;) {
        const run = await (
          await request.get(`${base}/runs/${runId}`, { headers })
        ).json();
        if (!['queued', 'running'].includes(run.status)) return run;
        expect(Date.now() - started, `run ${runId}`).toBeLessThan(120_000);
        await new Promise(r => setTimeout(r, 250));
      }
    },
    /** Waits until an environment matches. */
    async waitFor(id: string, until: (env: any) => boolean, what: string) {
      const started = Date.now();
      for (;;) {
        const env = await this.get(id);
        if (until(env)) return env;
        expect(Date.now() - started, what).toBeLessThan(90_000);
        await new Promise(r => setTimeout(r, 500));
      }
    },
  };
}
