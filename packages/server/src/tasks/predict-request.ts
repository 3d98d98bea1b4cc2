import type { PredictBody } from '@modelport/contracts';
import { AppError } from '../platform/errors/index.js';
import type { PredictRequest, TaskName } from '../wire/index.js';

/** The caller's body, shaped for the model's task; the input field the task needs must be there. */
export function toPredictRequest(task: TaskName, body: PredictBody): PredictRequest {
  const need = <T>(value: T | undefined, field: string): T => {
    if (value === undefined) {
      throw new AppError('validation_failed', `A ${task} model takes \`${field}\`.`, { param: field });
    }
    return value;
  };
  const texts = body.text === undefined ? undefined : Array.isArray(body.text) ? body.text : [body.text];
  switch (task) {
    case 'image-classification':
      return {
        task,
        image: need(body.image ?? body.file, 'image'),
        ...(body.topK ? { topK: body.topK } : {}),
      };
    case 'automatic-speech-recognition':
      return {
        task,
        audio: need(body.audio ?? body.file, 'audio'),
        ...(body.language ? { language: body.language } : {}),
        ...(body.timestamps === undefined ? {} : { timestamps: body.timestamps }),
      };
    case 'text-classification':
      return { task, texts: need(texts, 'text'), ...(body.topK ? { topK: body.topK } : {}) };
    case 'feature-extraction':
      return {
        task,
        texts: need(texts, 'text'),
        ...(body.pooling ? { pooling: body.pooling } : {}),
        ...(body.normalize === undefined ? {} : { normalize: body.normalize }),
      };
    case 'tabular':
      return { task, rows: need(body.rows, 'rows') };
  }
}
