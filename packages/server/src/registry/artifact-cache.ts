import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extractImageDataset, extractModelFolder } from '../formats/index.js';
import { AppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import type { ArtifactKind } from './artifact-store.js';

export interface ArtifactCacheOptions {
  dir: string;
  /** Bytes the cache may hold; entries this process handed out are never evicted (see ArtifactStore). */
  maxBytes: number;
  /** The stored bytes of a digest, from wherever the store keeps them. */
  read(sha256: string): Promise<Readable>;
  log: Logger;
}

interface Entry {
  bytes: number;
  usedAt: number;
  /** A path of it was returned: a runner may load it again at any time. */
  handedOut: boolean;
}

/**
 * The local copies of a remote store's blobs: `<dir>/<digest>` and, for a folder model or an image
 * dataset, its tree unpacked again in `<digest>.d`. Bytes are hashed as they are written and an entry takes its final
 * name only once verified; one download (and one unpacking) per digest however many callers wait;
 * least recently used entries are evicted past `maxBytes`, never one handed out by this process.
 */
export class ArtifactCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<string>>();
  private scanned: Promise<void> | undefined;
  /** Downloads per digest (what tests check "fetched once" with). */
  readonly downloads = new Map<string, number>();

  constructor(private readonly opts: ArtifactCacheOptions) {}

  async fetch(sha256: string, kind: ArtifactKind): Promise<string> {
    await this.scan();
    const file = await this.once(sha256, () => this.download(sha256));
    const found =
      kind === 'file' ? file : await this.once(`${sha256}.d`, () => this.unpack(sha256, file, kind));
    const entry = this.entries.get(sha256);
    if (entry) {
      entry.usedAt = Date.now();
      entry.handedOut = true;
    }
    return found;
  }

  async remove(sha256: string): Promise<void> {
    this.entries.delete(sha256);
    await rm(`${this.pathOf(sha256)}.d`, { recursive: true, force: true });
    await rm(this.pathOf(sha256), { force: true });
  }

  /** Bytes held now (entries of earlier runs included). */
  get heldBytes(): number {
    let sum = 0;
    for (const entry of this.entries.values()) sum += entry.bytes;
    return sum;
  }

  private pathOf(sha256: string): string {
    return path.join(this.opts.dir, sha256);
  }

  /** One promise per key: concurrent callers share it, a failure lets the next call retry. */
  private once(key: string, make: () => Promise<string>): Promise<string> {
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = make().finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** Entries left by an earlier run count against the bound (oldest first to go); partials are removed. */
  private scan(): Promise<void> {
    this.scanned ??= (async () => {
      await mkdir(this.opts.dir, { recursive: true });
      for (const name of await readdir(this.opts.dir)) {
        const full = path.join(this.opts.dir, name);
        if (name.startsWith('.')) {
          await rm(full, { recursive: true, force: true });
          continue;
        }
        if (!/^[0-9a-f]{64}$/.test(name)) continue;
        const info = await stat(full);
        const folder = await directoryBytes(`${full}.d`);
        this.entries.set(name, { bytes: info.size + folder, usedAt: info.mtimeMs, handedOut: false });
      }
    })();
    return this.scanned;
  }

  private async download(sha256: string): Promise<string> {
    const target = this.pathOf(sha256);
    if (this.entries.has(sha256) && (await exists(target))) return target;
    const partial = path.join(this.opts.dir, `.partial-${randomUUID()}`);
    const hash = createHash('sha256');
    let bytes = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    this.downloads.set(sha256, (this.downloads.get(sha256) ?? 0) + 1);
    try {
      await pipeline(await this.opts.read(sha256), hashing, createWriteStream(partial));
      const actual = hash.digest('hex');
      if (actual !== sha256) {
        throw new AppError(
          'artifact_unreadable',
          `artifact sha256/${sha256} failed verification: the fetched bytes hash to ${actual}`,
        );
      }
      await this.makeRoom(bytes);
      await rename(partial, target);
      this.entries.set(sha256, { bytes, usedAt: Date.now(), handedOut: false });
      return target;
    } finally {
      await rm(partial, { force: true });
    }
  }

  private async unpack(sha256: string, file: string, kind: ArtifactKind): Promise<string> {
    const target = `${file}.d`;
    if (await exists(target)) return target;
    const work = await mkdtemp(path.join(this.opts.dir, '.unpack-'));
    try {
      const root =
        kind === 'image-folder'
          ? await extractImageDataset(file, work)
          : (await extractModelFolder(file, work)).root;
      const bytes = await directoryBytes(root);
      await this.makeRoom(bytes);
      await rename(root, target);
      const entry = this.entries.get(sha256);
      if (entry) entry.bytes += bytes;
      return target;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** Evicts least recently used entries not handed out until `incoming` more bytes fit, if they can. */
  private async makeRoom(incoming: number): Promise<void> {
    let held = this.heldBytes;
    if (held + incoming <= this.opts.maxBytes) return;
    const evictable = [...this.entries]
      .filter(([sha256, e]) => !e.handedOut && !this.inflight.has(`${sha256}.d`))
      .sort(([, a], [, b]) => a.usedAt - b.usedAt);
    for (const [sha256, entry] of evictable) {
      if (held + incoming <= this.opts.maxBytes) break;
      await this.remove(sha256);
      held -= entry.bytes;
      this.opts.log.info({ sha256, bytes: entry.bytes }, 'artifact evicted from the local cache');
    }
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Bytes of the files under `dir` (0 when it does not exist). */
async function directoryBytes(dir: string): Promise<number> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let sum = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    sum += entry.isDirectory() ? await directoryBytes(full) : (await stat(full)).size;
  }
  return sum;
}
