import { type PredictBody, type PredictResult, predictResponseSchema } from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

export class Predict {
  constructor(private readonly transport: Transport) {}

  /**
   * Runs the model's task pipeline on the server: `image`/`audio` as base64, `text`, or `rows`,
   * whichever the model's task takes (see `predictFile` for a file from disk).
   */
  run(model: string, body: PredictBody): Promise<PredictResult> {
    return this.transport.json(
      { method: 'POST', path: paths.predict(model), json: body },
      predictResponseSchema,
    );
  }

  /** An image or audio file as the input; the server decodes it. */
  file(
    model: string,
    bytes: Uint8Array,
    options: Omit<PredictBody, 'file' | 'image' | 'audio' | 'text' | 'rows'> = {},
  ) {
    return this.run(model, { ...options, file: Buffer.from(bytes).toString('base64') });
  }
}
