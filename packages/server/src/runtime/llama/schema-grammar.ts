import type { GbnfJsonSchema, Llama, LlamaGrammar } from 'node-llama-cpp';
import { AppError } from '../../platform/errors/index.js';
import type { ResponseFormat } from '../../wire/index.js';
import { translateJsonSchema } from './json-schema-translate.js';

/** A client schema in the grammar's subset, or a 400 naming what the grammar cannot enforce. */
export function grammarSchemaOf(schema: unknown, param: string): GbnfJsonSchema {
  const translated = translateJsonSchema(schema);
  if (translated.ok) return translated.schema;
  const shown = translated.unsupported.slice(0, 8).join('; ');
  const more = translated.unsupported.length > 8 ? ` and ${translated.unsupported.length - 8} more` : '';
  throw new AppError(
    'validation_failed',
    `The JSON schema in '${param}' uses what constrained generation cannot enforce: ${shown}${more}.`,
    { param, details: { unsupported: translated.unsupported } },
  );
}

export async function grammarForSchema(llama: Llama, schema: GbnfJsonSchema, param: string) {
  try {
    return await llama.createGrammarForJsonSchema<GbnfJsonSchema>(schema);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new AppError('validation_failed', `The JSON schema in '${param}' gives no grammar: ${reason}`, {
      param,
      cause: err,
    });
  }
}

/** The grammar a `response_format` asks for; none for plain text. */
export async function responseGrammar(
  llama: Llama,
  format: ResponseFormat | undefined,
): Promise<LlamaGrammar | undefined> {
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json_object') return llama.getGrammarFor('json');
  return grammarForSchema(llama, grammarSchemaOf(format.schema, 'response_format'), 'response_format');
}
