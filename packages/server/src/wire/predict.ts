/**
 * Task requests as they travel to a runner: a caller sends a photo, a WAV file, text or table rows,
 * not tensors. The runner serves them at `POST /v1/predict` with a JSON `PredictRequest` body;
 * media travel base64-encoded there.
 */
import type { PredictTask } from './task-names.js';

export type TaskName = PredictTask;

export type PredictRequest =
  | { task: 'image-classification'; image: string; topK?: number }
  | {
      task: 'automatic-speech-recognition';
      audio: string;
      language?: string;
      timestamps?: boolean;
    }
  | { task: 'text-classification'; texts: string[]; topK?: number }
  | { task: 'feature-extraction'; texts: string[]; pooling?: 'mean' | 'cls' | 'none'; normalize?: boolean }
  /** Numbers, or for a trained model also category strings and null for a missing value. */
  | { task: 'tabular'; rows: Record<string, number | string | null>[] };

export interface LabelScore {
  label: string;
  score: number;
}

export type PredictResponse =
  | { task: 'image-classification'; predictions: LabelScore[] }
  | {
      task: 'automatic-speech-recognition';
      text: string;
      durationS: number;
      language?: string;
      chunks?: { text: string; start: number; end: number | null }[];
    }
  | { task: 'text-classification'; predictions: LabelScore[][] }
  | { task: 'feature-extraction'; embeddings: number[][]; promptTokens: number }
  | { task: 'tabular'; predictions: Record<string, number | string>[] };
