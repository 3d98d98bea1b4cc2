import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** A file of a fake repository: its bytes, and whether the Hub keeps it in LFS (with a sha256). */
export interface FakeFile {
  bytes: Buffer;
  lfs: boolean;
}

export interface FakeRepo {
  files: Record<string, FakeFile>;
  pipelineTag?: string;
  /** Files are refused (401 `GatedRepo`) without `Authorization: Bearer <token>`. */
  gatedToken?: string;
  /** The model info lists file names only (as some mirrors do): sizes and sha256s come from downloads. */
  namesOnly?: boolean;
}

export interface SeenRequest {
  method: string;
  path: string;
  range: string | undefined;
  authorized: boolean;
}

/** How the next full download of a file ends early: `hang` keeps the socket open, `drop` cuts it. */
export interface Cut {
  afterBytes: number;
  how: 'hang' | 'drop';
}

export interface FakeHub {
  url: string;
  repos: Map<string, FakeRepo>;
  requests: SeenRequest[];
  /** The commit every repository is at. */
  commit: string;
  /** The next download of `repoPath` without a range (or from byte 0) stops after some bytes. */
  cutNext(repo: string, repoPath: string, cut: Cut): void;
  /** Serves `repoPath` with one byte changed, while the model info keeps the true sha256. */
  corrupt(repo: string, repoPath: string): void;
  /** Bytes sent per download of a file (the one-byte probes of `bytes=0-0` left out). */
  sent(repo: string, repoPath: string): { range: string | undefined; bytes: number }[];
  close(): Promise<void>;
}

export const FAKE_COMMIT = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

export function lfsFile(bytes: Buffer): FakeFile {
  return { bytes, lfs: true };
}

export function gitFile(text: string | Buffer): FakeFile {
  return { bytes: Buffer.isBuffer(text) ? text : Buffer.from(text), lfs: false };
}

/** Every file under `dir` as a repository: `.onnx` files in LFS, the rest in git. */
export function repoFromFolder(dir: string): Record<string, FakeFile> {
  const files: Record<string, FakeFile> = {};
  const walk = (at: string, prefix: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      const rel = prefix === '' ? name : `${prefix}/${name}`;
      if (statSync(full).isDirectory()) walk(full, rel);
      else files[rel] = { bytes: readFileSync(full), lfs: name.endsWith('.onnx') };
    }
  };
  walk(dir, '');
  return files;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const gitSha = (bytes: Buffer) =>
  createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');

/**
 * A local HTTP server that answers as the Hugging Face Hub does for what a pull uses: model info with
 * `sha` and `siblings` (`?blobs=true`), `resolve/{rev}/{path}` (LFS files redirect to a CDN-like path
 * of the same server with `X-Linked-Etag`/`X-Linked-Size`/`X-Repo-Commit`), byte ranges (206), 404s
 * with `X-Error-Code`, and 401 for a gated repository without its token.
 */
export async function startFakeHub(repos: Record<string, FakeRepo>): Promise<FakeHub> {
  const state = {
    repos: new Map(Object.entries(repos)),
    requests: [] as SeenRequest[],
    cuts: new Map<string, Cut>(),
    corrupted: new Set<string>(),
    sent: [] as { key: string; range: string | undefined; bytes: number }[],
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub.test');
    const auth = req.headers.authorization;
    state.requests.push({
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      range: req.headers.range,
      authorized: auth !== undefined,
    });
    try {
      route(state, req, res, url);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    repos: state.repos,
    requests: state.requests,
    commit: FAKE_COMMIT,
    cutNext: (repo, repoPath, cut) => state.cuts.set(`${repo}/${repoPath}`, cut),
    corrupt: (repo, repoPath) => state.corrupted.add(`${repo}/${repoPath}`),
    sent: (repo, repoPath) =>
      state.sent
        .filter((s) => s.key === `${repo}/${repoPath}` && s.range !== 'bytes=0-0')
        .map(({ range, bytes }) => ({ range, bytes })),
    close: () => closeServer(server),
  };
}

type HubState = {
  repos: Map<string, FakeRepo>;
  cuts: Map<string, Cut>;
  corrupted: Set<string>;
  sent: { key: string; range: string | undefined; bytes: number }[];
};

function route(state: HubState, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const parts = url.pathname.split('/').slice(1).map(decodeURIComponent);
  if (parts[0] === 'api' && parts[1] === 'models') {
    modelInfo(state, res, parts.slice(2));
    return;
  }
  if (parts[0] === 'cdn') {
    serveBytes(state, req, res, parts.slice(1));
    return;
  }
  if (parts[2] === 'resolve') {
    resolve(state, req, res, parts);
    return;
  }
  notFound(res, 'RepoNotFound', 'Repository not found');
}

function modelInfo(state: HubState, res: ServerResponse, parts: string[]): void {
  const [org, name, word, revision] = parts;
  const repoId = `${org}/${name}`;
  const repo = state.repos.get(repoId);
  if (!repo) {
    notFound(res, 'RepoNotFound', 'Repository not found');
    return;
  }
  if (word === 'revision' && revision !== 'main' && revision !== FAKE_COMMIT) {
    notFound(res, 'RevisionNotFound', `Invalid rev id: ${revision}`);
    return;
  }
  const siblings = Object.entries(repo.files).map(([rfilename, f]) =>
    repo.namesOnly
      ? { rfilename }
      : {
          rfilename,
          size: f.bytes.length,
          ...(f.lfs ? { lfs: { sha256: sha256(f.bytes), size: f.bytes.length, pointerSize: 134 } } : {}),
        },
  );
  json(res, 200, {
    _id: 'fake',
    id: repoId,
    sha: FAKE_COMMIT,
    pipeline_tag: repo.pipelineTag ?? null,
    gated: repo.gatedToken ? 'manual' : false,
    siblings,
  });
}

function resolve(state: HubState, req: IncomingMessage, res: ServerResponse, parts: string[]): void {
  const [org, name, , revision, ...rest] = parts;
  const repoId = `${org}/${name}`;
  const repoPath = rest.join('/');
  const repo = state.repos.get(repoId);
  if (!repo) {
    notFound(res, 'RepoNotFound', 'Repository not found');
    return;
  }
  if (repo.gatedToken && req.headers.authorization !== `Bearer ${repo.gatedToken}`) {
    res.writeHead(401, { 'content-type': 'application/json', 'x-error-code': 'GatedRepo' });
    res.end(JSON.stringify({ error: `Access to model ${repoId} is restricted.` }));
    return;
  }
  if (revision !== 'main' && revision !== FAKE_COMMIT) {
    notFound(res, 'RevisionNotFound', 'Invalid rev id');
    return;
  }
  const file = repo.files[repoPath];
  if (!file) {
    notFound(res, 'EntryNotFound', `${repoPath} does not exist on "${revision}"`);
    return;
  }
  const headers = { 'x-repo-commit': FAKE_COMMIT };
  if (!file.lfs) {
    sendRange(state, req, res, `${repoId}/${repoPath}`, file.bytes, {
      ...headers,
      etag: `"${gitSha(file.bytes)}"`,
    });
    return;
  }
  res.writeHead(302, {
    ...headers,
    location: `/cdn/${repoId}/${rest.map(encodeURIComponent).join('/')}`,
    'x-linked-etag': `"${sha256(file.bytes)}"`,
    'x-linked-size': String(file.bytes.length),
    etag: `"${gitSha(file.bytes)}"`,
  });
  res.end();
}

function serveBytes(state: HubState, req: IncomingMessage, res: ServerResponse, parts: string[]): void {
  const [org, name, ...rest] = parts;
  const key = `${org}/${name}/${rest.join('/')}`;
  const file = state.repos.get(`${org}/${name}`)?.files[rest.join('/')];
  if (!file) {
    notFound(res, 'EntryNotFound', 'no such object');
    return;
  }
  let bytes = file.bytes;
  if (state.corrupted.has(key)) {
    bytes = Buffer.from(bytes);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0xff;
  }
  sendRange(state, req, res, key, bytes, { etag: `"${sha256(file.bytes)}"` });
}

/** 200, or 206 for `Range: bytes=a-[b]`; a cut set for the file ends the body early. */
function sendRange(
  state: HubState,
  req: IncomingMessage,
  res: ServerResponse,
  key: string,
  bytes: Buffer,
  headers: Record<string, string>,
): void {
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const end = range?.[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
  if (range && start >= bytes.length) {
    res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
    return;
  }
  const body = bytes.subarray(start, end + 1);
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'accept-ranges': 'bytes',
    'content-type': 'application/octet-stream',
    'content-length': String(body.length),
    ...(range ? { 'content-range': `bytes ${start}-${end}/${bytes.length}` } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const cut = start === 0 && end === bytes.length - 1 ? state.cuts.get(key) : undefined;
  if (!cut) {
    state.sent.push({ key, range: req.headers.range, bytes: body.length });
    res.end(body);
    return;
  }
  state.cuts.delete(key);
  state.sent.push({ key, range: req.headers.range, bytes: cut.afterBytes });
  res.write(body.subarray(0, cut.afterBytes), () => {
    if (cut.how === 'drop') res.socket?.destroy();
  });
}

function notFound(res: ServerResponse, code: string, message: string): void {
  res.writeHead(404, { 'content-type': 'application/json', 'x-error-code': code });
  res.end(JSON.stringify({ error: message }));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
