import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NablaError } from '../errors.js';
import { FASHION_MNIST_DIR } from '../data/idx-node.js';

/** Headers that make the page cross-origin isolated, so the wasm kernels may share memory across threads. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.gz': 'application/gzip',
  '.css': 'text/css; charset=utf-8',
};

/** The built page: dist/playground beside src/ (under tsx) or beside dist/src (the package). */
export function playgroundFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../dist/playground', '../../../dist/playground']) {
    const dir = resolve(here, up);
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  throw new NablaError('FILE', `cannot find the built playground (dist/playground/index.html) above ${here}: run 'npm run build' first`);
}

export interface PlaygroundOptions {
  port: number;
  /** The built page's folder (default: the package's). */
  root?: string;
  /** Fashion-MNIST's IDX folder, served under /fashion-mnist/ when it exists. */
  fashionDir?: string;
}

/**
 * A static server bound to 127.0.0.1 for the playground's files only (and Fashion-MNIST's four
 * IDX files when the folder is there), every response with the cross-origin isolation headers.
 */
export function startPlaygroundServer(options: PlaygroundOptions): Promise<{ server: Server; url: string }> {
  const root = options.root ?? playgroundFolder();
  const fashionDir = options.fashionDir ?? FASHION_MNIST_DIR;
  const fashion = ['train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].every((f) => existsSync(join(fashionDir, f)));
  const server = createServer((req, res) => {
    const send = (status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ...ISOLATION_HEADERS });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'only GET and HEAD\n');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return send(400, 'bad path\n');
    }
    if (path === '/config.json') return send(200, JSON.stringify({ fashionMnist: fashion }) + '\n', TYPES['.json']);
    let file: string;
    if (path.startsWith('/fashion-mnist/')) {
      const name = path.slice('/fashion-mnist/'.length);
      if (!fashion || !/^(train|t10k)-(images-idx3|labels-idx1)-ubyte\.gz$/.test(name)) return send(404, 'not found\n');
      file = join(fashionDir, name);
    } else {
      file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
      if (file !== root && !file.startsWith(root + sep)) return send(404, 'not found\n');
    }
    try {
      if (!statSync(file).isFile()) return send(404, 'not found\n');
      send(200, readFileSync(file), TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      send(404, 'not found\n');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new NablaError('ARGUMENT', `--port ${options.port}: the port is in use; give another, or leave --port out for a free one`)
          : new NablaError('ARGUMENT', `--port ${options.port}: cannot listen on 127.0.0.1 (${e.code ?? e.message}); give another port, or leave --port out for a free one`),
      ),
    );
    server.listen(options.port, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolvePromise({ server, url: `http://127.0.0.1:${port}/` });
    });
  });
}

/** `nabla playground`: serves the page on 127.0.0.1 and prints its URL; runs until interrupted. */
export async function playgroundCommand(opts: { port?: number }): Promise<void> {
  const port = opts.port ?? 0;
  if (port > 65535) throw new NablaError('ARGUMENT', `--port ${port}: expected a port number 0..65535 (0: a free one)`);
  const { url } = await startPlaygroundServer({ port });
  process.stdout.write(`Nabla playground: ${url}\n(serving only the page's files on 127.0.0.1, cross-origin isolated for threads; Ctrl-C to stop)\n`);
}
