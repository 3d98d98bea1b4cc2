import type { Readable } from 'node:stream';

/**
 * A plain file (ONNX, GGUF, a table dataset, the tar itself), the validated model folder unpacked from
 * a tar upload, or the class folders unpacked from an image dataset's tar (or .tar.gz).
 */
export type ArtifactKind = 'file' | 'folder' | 'image-folder';

/**
 * Content-addressed blobs: the same bytes are stored once, whatever model or version points at them.
 * Callers keep only the URI `commit` returns (in `artifacts.uri`) and never derive a path from it, so
 * a remote (S3-compatible) store implements this interface without changing them. Every read is
 * async because a remote store reads over the network.
 *
 * What an implementation guarantees (the local store trivially: its blobs are already on this disk):
 * - Content addressing: a URI names one sha256 digest and always yields exactly those bytes; a
 *   commit of bytes already stored returns the same URI and stores nothing new.
 * - Verification: bytes that come from elsewhere are hashed as they are written into the local cache
 *   and compared with the digest before any path is returned; a mismatch throws an error naming both
 *   digests and leaves nothing in the cache.
 * - Atomic cache entries: an entry appears under its final name only once complete and verified
 *   (written under a temporary name, then renamed), so a crash never leaves a valid-looking half file.
 * - One download per digest: concurrent `fetchLocal` calls for the same URI share one download (and
 *   one unpacking for a folder); later calls are answered from the cache without the network.
 * - A bounded cache: at most a configured number of bytes on this machine, least recently used entries
 *   evicted first, never one whose path this process handed out (runners load from that path again
 *   when they restart), so only the working set of live deployments may exceed the bound.
 */
export interface ArtifactStore {
  /**
   * Stores a finished upload under its digest (the caller hashed it while receiving it). `folder` is
   * the validated tree extracted from a tar upload: the local store keeps it beside the tar; a remote
   * store uploads only the tar and unpacks it again on fetch (formats' `extractModelFolder` for a
   * `folder`, `extractImageDataset` for an `image-folder`). The store may move `file` and `folder`;
   * whatever it leaves behind, the caller removes.
   */
  commit(sha256: string, file: string, folder: string | undefined): Promise<{ uri: string }>;
  /**
   * The blob's bytes, for a download. Rejects when the blob is missing, before any byte is sent. A
   * remote store may stream straight from the bucket: the download's digest header lets clients verify.
   */
  open(uri: string): Promise<Readable>;
  /**
   * Makes the artifact present on this machine and returns its path (the unpacked folder for `folder`
   * and `image-folder`):
   * the stored path at once for the local store; for a remote store a verified entry of its local cache,
   * downloaded on first use.
   */
  fetchLocal(uri: string, kind: ArtifactKind): Promise<string>;
  /** Deletes the blob, its folder and any cached copy; removing what is already gone succeeds. */
  remove(uri: string): Promise<void>;
}
