/**
 * `nabla playground`'s server, without a browser: bound to 127.0.0.1, every response cross-origin
 * isolated, only the built page's files (no path out of its folder), Fashion-MNIST's four IDX
 * files only when their folder is there, and config.json saying which.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startPlaygroundServer } from '../../src/cli/playground.js';
import { NablaError } from '../../src/errors.js';
import { nabla } from '../cli/run-cli.js';

function get(url: string, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    // A raw path, not normalised by URL parsing, as a hostile client would send it.
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves the page folder on 127.0.0.1 with COOP/COEP, nothing outside it, Fashion-MNIST only when found', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-serve-'));
  const root = join(dir, 'page');
  const fashion = join(dir, 'fashion');
  mkdirSync(root);
  mkdirSync(fashion);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(root, 'main.js'), 'export {};');
  writeFileSync(join(dir, 'secret.txt'), 'not served');
  const { server, url } = await startPlaygroundServer({ port: 0, root, fashionDir: fashion });
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal((server.address() as { address: string }).address, '127.0.0.1');
    const index = await get(url, '/');
    assert.equal(index.status, 200);
    assert.equal(index.body, '<!doctype html><title>t</title>');
    assert.equal(index.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(index.headers['cross-origin-embedder-policy'], 'require-corp');
    assert.match(String(index.headers['content-type']), /^text\/html/);
    assert.match(String((await get(url, '/main.js')).headers['content-type']), /^text\/javascript/);
    for (const bad of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/missing.js']) assert.equal((await get(url, bad)).status, 404, bad);
    // No Fashion-MNIST files yet: config says so and the path is not served.
    assert.deepEqual(JSON.parse((await get(url, '/config.json')).body), { fashionMnist: false });
    assert.equal((await get(url, '/fashion-mnist/train-images-idx3-ubyte.gz')).status, 404);
  } finally {
    server.close();
  }
  for (const f of ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']) writeFileSync(join(fashion, f), f);
  writeFileSync(join(fashion, 'other.txt'), 'x');
  const second = await startPlaygroundServer({ port: 0, root, fashionDir: fashion });
  try {
    assert.deepEqual(JSON.parse((await get(second.url, '/config.json')).body), { fashionMnist: true });
    assert.equal((await get(second.url, '/fashion-mnist/t10k-labels-idx1-ubyte.gz')).body, 't10k-labels-idx1-ubyte.gz');
    assert.equal((await get(second.url, '/fashion-mnist/other.txt')).status, 404);
    // The port is taken now: a clear error naming it.
    const port = Number(new URL(second.url).port);
    await assert.rejects(startPlaygroundServer({ port, root }), (e: unknown) => e instanceof NablaError && /--port \d+: the port is in use/.test(e.message));
  } finally {
    second.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nabla playground --port out of range: one line, exit 2', () => {
  const r = nabla(['playground', '--port', '70000']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'nabla: --port 70000: expected a port number 0..65535 (0: a free one)\n');
});
