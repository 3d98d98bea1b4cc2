import type { InferenceSession } from 'onnxruntime-node';

/** What crosses between a session thread and the runner: ORT tensors as plain data. */
export interface PlainTensor {
  type: string;
  data: unknown;
  dims: number[];
}

export interface SessionThreadData {
  modelFile: string;
  options: InferenceSession.SessionOptions;
}

export interface RunMessage {
  id: number;
  feeds: Record<string, PlainTensor>;
  outputNames: string[];
}

export type ThreadReply =
  | {
      type: 'loaded';
      inputMetadata: readonly InferenceSession.ValueMetadata[];
      outputMetadata: readonly InferenceSession.ValueMetadata[];
    }
  | { type: 'load-failed'; message: string }
  | { type: 'ran'; id: number; outputs: Record<string, PlainTensor> }
  | { type: 'failed'; id: number; message: string }
  | { type: 'released' };
