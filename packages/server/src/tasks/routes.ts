import multipart from '@fastify/multipart';
import { type PredictBody, predictBodySchema } from '@modelport/contracts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../auth/index.js';
import { routingOf } from '../deploy/index.js';
import { parseOrThrow } from '../platform/errors/index.js';
import { abortOnClose } from '../platform/http/index.js';
import type { PredictRequest } from '../wire/index.js';
import { toPredictRequest } from './predict-request.js';
import { meterTarget, type PredictService } from './predict-service.js';

export interface PredictRouteOptions {
  predict: PredictService;
  maxBodyBytes: number;
}

/** The multipart file of a predict or transcription request, plus its text fields. */
export async function readMultipart(
  request: FastifyRequest,
): Promise<{ file?: Buffer; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') file = await part.toBuffer();
    else if (typeof part.value === 'string') fields[part.fieldname] = part.value;
  }
  return file ? { file, fields } : { fields };
}

/** Multipart fields (strings) as the JSON body they stand for. */
function bodyFromForm(file: Buffer | undefined, fields: Record<string, string>, task: string): PredictBody {
  const base64 = file?.toString('base64');
  const raw: Record<string, unknown> = {
    // Fields not converted below go through as sent, so the strict schema refuses unknown ones by name.
    ...fields,
    ...(base64 && task === 'automatic-speech-recognition' ? { audio: base64 } : {}),
    ...(base64 && task === 'image-classification' ? { image: base64 } : {}),
    ...(fields.text !== undefined ? { text: fields.text } : {}),
    ...(fields.rows !== undefined ? { rows: JSON.parse(fields.rows) } : {}),
    ...(fields.topK !== undefined ? { topK: Number(fields.topK) } : {}),
    ...(fields.language !== undefined ? { language: fields.language } : {}),
    ...(fields.timestamps !== undefined ? { timestamps: fields.timestamps === 'true' } : {}),
  };
  return parseOrThrow(predictBodySchema, raw, 'form');
}

/** `POST /api/v1/predict/{model}`: JSON with base64 media, or multipart with a `file` field. */
export const predictRoutes: FastifyPluginAsync<PredictRouteOptions> = async (app, opts) => {
  await app.register(multipart, { limits: { files: 1, fields: 20, fileSize: opts.maxBodyBytes } });
  app.post<{ Params: { model: string } }>(
    '/api/v1/predict/:model',
    {
      bodyLimit: opts.maxBodyBytes,
      config: { auth: { scopes: ['infer'] } },
      // Refusals that need no body are answered before it is read: unknown deployment, every
      // queue full, the key × model limits, budgets and ledger room.
      preParsing: async (req: FastifyRequest<{ Params: { model: string } }>) => {
        const name = await opts.predict.admit(principalOf(req), req.params.model);
        await req.usage?.precheck(name);
      },
      schema: {
        tags: ['predict'],
        summary: 'Classify an image, transcribe audio, classify or embed text, predict rows',
      },
    },
    async (req: FastifyRequest<{ Params: { model: string } }>, reply: FastifyReply) => {
      const p = principalOf(req);
      const signal = abortOnClose(reply);
      const target = await opts.predict.target(p, req.params.model, routingOf(req, reply), signal);
      let body: PredictBody;
      if (req.isMultipart()) {
        const { file, fields } = await readMultipart(req);
        body = bodyFromForm(file, fields, target.task);
      } else {
        body = parseOrThrow(predictBodySchema, req.body, 'request body');
      }
      const request: PredictRequest = toPredictRequest(target.task, body);
      await req.usage?.reach(meterTarget(target, 'predict'));
      return opts.predict.predict(target, request, signal, req.usage);
    },
  );
};
