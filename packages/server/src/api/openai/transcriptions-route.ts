import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { principalOf } from '../../auth/index.js';
import { routingOf } from '../../deploy/index.js';
import { AppError, parseOrThrow } from '../../platform/errors/index.js';
import { abortOnClose } from '../../platform/http/index.js';
import { meterTarget, type PredictService, readMultipart } from '../../tasks/index.js';
import { renderTranscript } from './transcription-formats.js';

const formSchema = z.object({
  model: z.string().min(1),
  language: z.string().min(2).max(16).optional(),
  response_format: z.enum(['json', 'text', 'verbose_json', 'srt', 'vtt']).default('json'),
  prompt: z.string().optional(),
  temperature: z.coerce.number().min(0).max(1).optional(),
});

/** `POST /v1/audio/transcriptions` in OpenAI's shape, served by a speech-recognition deployment. */
export const transcriptionRoutes: FastifyPluginAsync<{
  predict: PredictService;
  maxBodyBytes: number;
}> = async (app, opts) => {
  await app.register(multipart, { limits: { files: 1, fields: 20, fileSize: opts.maxBodyBytes } });
  const config = { auth: { scopes: ['infer'] as const } };
  // The form names the model: before the upload is read, only what needs no model is refused.
  const preParsing = async (req: FastifyRequest) => {
    await req.usage?.precheck();
  };
  app.post('/v1/audio/transcriptions', { config, preParsing }, async (req, reply) => {
    if (!req.isMultipart())
      throw new AppError('unsupported_media_type', 'Send multipart/form-data with a `file`.');
    const { file, fields } = await readMultipart(req);
    const form = parseOrThrow(formSchema, fields, 'form');
    if (!file) throw new AppError('validation_failed', 'The form has no `file`.', { param: 'file' });
    const signal = abortOnClose(reply);
    const target = await opts.predict.target(principalOf(req), form.model, routingOf(req, reply), signal);
    await req.usage?.reach(meterTarget(target, 'openai.transcriptions'));
    const result = await opts.predict.predict(
      target,
      {
        task: 'automatic-speech-recognition',
        audio: file.toString('base64'),
        ...(form.language ? { language: form.language } : {}),
        timestamps: ['verbose_json', 'srt', 'vtt'].includes(form.response_format),
      },
      signal,
      req.usage,
    );
    if (result.task !== 'automatic-speech-recognition')
      throw new AppError('task_not_supported', 'Not a transcript.');
    const rendered = renderTranscript(result, form.response_format);
    return reply.type(rendered.type).send(rendered.body);
  });
};
