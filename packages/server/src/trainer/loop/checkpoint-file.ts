import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../platform/errors/index.js';
import type { StopReason, TrainingEpoch } from '../../wire/training/index.js';
import type { EarlyStoppingState } from './early-stopping.js';

export const CHECKPOINT_FILE = 'checkpoint.bin';
const MAGIC = 0x4b43504d; // "MPCK", little-endian

export interface StoredTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Everything a run needs to go on from the end of `epoch` as if it had never stopped. */
export interface Checkpoint {
  /** Of the specification and the prepared data: a checkpoint resumes only its own job. */
  readonly fingerprint: string;
  readonly epoch: number;
  readonly randomState: number;
  readonly elapsedMs: number;
  readonly history: readonly TrainingEpoch[];
  readonly early: EarlyStoppingState;
  readonly finished: StopReason | null;
  readonly weights: readonly StoredTensor[];
  readonly optimizer: readonly StoredTensor[];
  /** The best epoch's weights, kept when early stopping restores them. */
  readonly bestWeights: readonly StoredTensor[] | null;
}

type Group = 'weights' | 'optimizer' | 'bestWeights';
interface Header extends Omit<Checkpoint, Group> {
  readonly version: 1;
  readonly tensors: readonly {
    group: Group;
    name: string;
    shape: readonly number[];
    offset: number;
    length: number;
  }[];
}

/**
 * One file: magic, header length, JSON header, then every tensor as float32, 4-byte aligned. Written
 * to a temporary name, flushed to disk, then renamed over the previous one: a crash leaves either
 * the old checkpoint or the new one, never half of one.
 */
export async function writeCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const { weights, optimizer, bestWeights, ...rest } = checkpoint;
  const groups: [Group, readonly StoredTensor[]][] = [
    ['weights', weights],
    ['optimizer', optimizer],
    ['bestWeights', bestWeights ?? []],
  ];
  const flat = groups.flatMap(([group, list]) => list.map((tensor) => ({ group, tensor })));
  let offset = 0;
  const tensors = flat.map(({ group, tensor }) => {
    const entry = { group, name: tensor.name, shape: tensor.shape, offset, length: tensor.values.length };
    offset += tensor.values.length;
    return entry;
  });
  const header: Header = { version: 1, ...rest, tensors };
  const json = Buffer.from(JSON.stringify({ ...header, hasBestWeights: bestWeights !== null }), 'utf8');
  const dataStart = align4(8 + json.length);
  const file = Buffer.alloc(dataStart + offset * 4);
  file.writeUInt32LE(MAGIC, 0);
  file.writeUInt32LE(json.length, 4);
  json.copy(file, 8);
  const data = new Float32Array(file.buffer, file.byteOffset + dataStart, offset);
  for (const [i, { tensor }] of flat.entries()) data.set(tensor.values, tensors[i]?.offset);
  await mkdir(dir, { recursive: true });
  const target = path.join(dir, CHECKPOINT_FILE);
  const temporary = `${target}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(file);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, target);
}

export async function readCheckpoint(dir: string): Promise<Checkpoint> {
  const file = path.join(dir, CHECKPOINT_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw invalid(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== MAGIC)
    throw invalid(`${file} is not a training checkpoint`);
  const jsonLength = bytes.readUInt32LE(4);
  let header: Header & { hasBestWeights: boolean };
  try {
    header = JSON.parse(bytes.subarray(8, 8 + jsonLength).toString('utf8'));
  } catch {
    throw invalid(`${file} has a damaged header`);
  }
  if (header.version !== 1)
    throw invalid(`${file} has version ${String(header.version)}, this trainer reads 1`);
  const dataStart = align4(8 + jsonLength);
  const floats = (bytes.length - dataStart) / 4;
  const aligned = new Float32Array(floats);
  new Uint8Array(aligned.buffer).set(bytes.subarray(dataStart));
  const group = (g: Group): StoredTensor[] =>
    header.tensors
      .filter((t) => t.group === g)
      .map((t) => {
        if (t.offset + t.length > floats) throw invalid(`${file} is truncated`);
        return { name: t.name, shape: t.shape, values: aligned.slice(t.offset, t.offset + t.length) };
      });
  const { tensors: _tensors, version: _version, hasBestWeights, ...rest } = header;
  return {
    ...rest,
    weights: group('weights'),
    optimizer: group('optimizer'),
    bestWeights: hasBestWeights ? group('bestWeights') : null,
  };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function invalid(message: string): AppError {
  return new AppError('invalid_checkpoint', `The checkpoint cannot be resumed: ${message}`, {
    param: 'resumeFrom',
  });
}
