/**
 * What a request reached: the deployment the caller named (its key × model limits apply) and the
 * model version behind it. When a fallback answers, `RequestMeter.servedBy` names that one in the row.
 */
export interface MeterTarget {
  deployment: string;
  model: string;
  version: number;
  /** Which API: `oip.infer`, `openai.chat`, `openai.completions`, `openai.embeddings`, `predict`, `openai.transcriptions`. */
  endpoint: string;
}
