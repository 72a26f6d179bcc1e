import { after, before, describe, test } from 'node:test';
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, MAX_NAME_LENGTH } from './app';

describe('HTTP API', () => {
  let server: Server;
  let baseUrl: string;

  before(async () => {
    // Port 0: the operating system picks a free port.
    server = createApp().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    server.close();
    await once(server, 'close');
  });

  test('GET /healthz returns ok', async () => {
    const res = await fetch(`${baseUrl}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('GET /hello greets the given name', async () => {
    const res = await fetch(`${baseUrl}/hello?name=${encodeURIComponent('Ada Lovelace')}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { message: 'Hello, Ada Lovelace' });
  });

  test('GET /hello without a name greets the world', async () => {
    const res = await fetch(`${baseUrl}/hello`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { message: 'Hello, world' });
  });

  test('GET /hello accepts a name of the maximum length', async () => {
    const name = 'a'.repeat(MAX_NAME_LENGTH);
    const res = await fetch(`${baseUrl}/hello?name=${name}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { message: `Hello, ${name}` });
  });

  test('GET /hello rejects a name that is too long with a 400', async () => {
    const res = await fetch(`${baseUrl}/hello?name=${'a'.repeat(MAX_NAME_LENGTH + 1)}`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error?: unknown };
    assert.equal(typeof body.error, 'string');
  });

  test('GET /hello rejects a repeated name with a 400', async () => {
    const res = await fetch(`${baseUrl}/hello?name=a&name=b`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error?: unknown };
    assert.equal(typeof body.error, 'string');
  });

  test('an unknown path is a JSON 404', async () => {
    const res = await fetch(`${baseUrl}/no-such-path`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error?: unknown };
    assert.equal(typeof body.error, 'string');
  });
});
