/** What a request reached: the deployment the caller named and the model version behind it. */
export interface MeterTarget {
  deployment: string;
  model: string;
  version: number;
  /** Which API: `oip.infer`, `openai.chat`, `openai.completions`, `openai.embeddings`, `predict`, `openai.transcriptions`. */
  endpoint: string;
}
