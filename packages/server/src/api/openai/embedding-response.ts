import type { EmbedResponse } from '../../wire/index.js';

/** `encoding_format: base64`: the vector's float32 values, little-endian, as OpenAI's clients decode them. */
export function float32Base64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => {
    bytes.writeFloatLE(value, i * 4);
  });
  return bytes.toString('base64');
}

/** `CreateEmbeddingResponse`. */
export function renderEmbeddings(model: string, result: EmbedResponse, format: 'float' | 'base64') {
  return {
    object: 'list',
    data: result.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: format === 'base64' ? float32Base64(vector) : vector,
    })),
    model,
    usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
  };
}
