import { createReadStream } from 'node:fs';
import { pipeline as pipe, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { AppError } from '../platform/errors/index.js';
import type { Logger } from '../platform/index.js';
import { ArtifactCache } from './artifact-cache.js';
import type { ArtifactKeyring } from './artifact-keyring.js';
import type { ArtifactStore } from './artifact-store.js';
import { artifactUri, digestOf } from './artifact-uri.js';
import { openStream, sealStream } from './sealed-blob.js';

const SCHEME = 's3';
/** Multipart parts: S3's minimum is 5 MiB; two in flight bound the memory an upload holds. */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;
/** Multipart uploads left behind (a crash mid-upload) older than this are aborted at start. */
const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

export interface S3ArtifactStoreOptions {
  bucket: string;
  /** Key prefix, e.g. `modelport/` (empty: the bucket's root). */
  prefix: string;
  endpoint?: string | undefined;
  region: string;
  forcePathStyle: boolean;
  /** Explicit credentials; absent, the SDK's usual chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string } | undefined;
  cacheDir: string;
  cacheMaxBytes: number;
  /** Seals new blobs and opens sealed ones (encryption at rest); absent: blobs are stored plain. */
  keyring?: ArtifactKeyring | undefined;
  log: Logger;
}

export interface S3ArtifactStore extends ArtifactStore {
  readonly cache: ArtifactCache;
  /** Aborts multipart uploads under the prefix that a crash left behind; how many. */
  abortStaleUploads(): Promise<number>;
}

/**
 * Blobs in an S3-compatible bucket under `<prefix>sha256/<ab>/<digest>` (a folder model as its tar
 * only), uploaded in parts streamed from the received file, and read by runners from a verified,
 * bounded local cache (`ArtifactCache`). When the bucket cannot be reached, writes answer 503
 * `artifact_store_unavailable`; what the cache holds keeps serving.
 */
export function createS3ArtifactStore(opts: S3ArtifactStoreOptions): S3ArtifactStore {
  const client = new S3Client({
    region: opts.region,
    forcePathStyle: opts.forcePathStyle,
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    maxAttempts: 3,
  });
  const keyOf = (sha256: string) => `${opts.prefix}sha256/${sha256.slice(0, 2)}/${sha256}`;
  const Bucket = opts.bucket;

  /** The blob's plaintext (opened when sealed). */
  async function read(sha256: string): Promise<Readable> {
    const object = await unavailableOnFault(() =>
      client.send(new GetObjectCommand({ Bucket, Key: keyOf(sha256) })),
    );
    return pipe(object.Body as Readable, openStream(opts.keyring), () => {});
  }

  const cache = new ArtifactCache({ dir: opts.cacheDir, maxBytes: opts.cacheMaxBytes, read, log: opts.log });

  async function stored(sha256: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(sha256) }));
      return true;
    } catch (err) {
      if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404) return false;
      throw unavailable(err);
    }
  }

  const body = (file: string): Readable =>
    opts.keyring
      ? pipe(createReadStream(file), sealStream(opts.keyring.current), () => {})
      : createReadStream(file);

  return {
    cache,
    async commit(sha256, file) {
      if (!(await stored(sha256))) {
        // A failed upload aborts its multipart upload (no parts left in the bucket).
        const upload = new Upload({
          client,
          params: { Bucket, Key: keyOf(sha256), Body: body(file) },
          partSize: PART_BYTES,
          queueSize: PARTS_IN_FLIGHT,
          leavePartsOnError: false,
        });
        await unavailableOnFault(() => upload.done());
      }
      return { uri: artifactUri(SCHEME, sha256) };
    },
    async open(uri) {
      return read(digestOf(uri, SCHEME));
    },
    async fetchLocal(uri, kind) {
      return cache.fetch(digestOf(uri, SCHEME), kind);
    },
    async remove(uri) {
      const sha256 = digestOf(uri, SCHEME);
      await unavailableOnFault(() => client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(sha256) })));
      await cache.remove(sha256);
    },
    async abortStaleUploads() {
      let aborted = 0;
      try {
        const listed = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: opts.prefix }));
        for (const upload of listed.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId) continue;
          if (Date.now() - (upload.Initiated?.getTime() ?? Date.now()) < STALE_UPLOAD_MS) continue;
          await client.send(
            new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }),
          );
          aborted++;
        }
      } catch (err) {
        // Some S3-compatible servers do not list multipart uploads; their own expiry rules apply.
        opts.log.warn({ err: String(err) }, 'could not list multipart uploads left behind');
      }
      return aborted;
    },
  };
}

/** A 404 of a blob is a missing artifact; any other fault of the bucket is 503 for the caller. */
async function unavailableOnFault<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw unavailable(err);
  }
}

function unavailable(err: unknown): Error {
  if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 404) {
    return new AppError('artifact_unreadable', `artifact not found in the bucket: ${err.message}`, {
      cause: err,
    });
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError('artifact_store_unavailable', `The artifact store cannot be reached: ${reason}`, {
    retryAfterS: 5,
    cause: err,
  });
}
