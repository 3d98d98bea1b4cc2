import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translateJsonSchema } from '../../src/runtime/llama/index.js';

function unsupported(schema: unknown): string[] {
  const result = translateJsonSchema(schema);
  return result.ok ? [] : result.unsupported;
}

describe('JSON schema → grammar schema', () => {
  it('keeps what the grammar enforces and drops annotations', () => {
    const result = translateJsonSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Pet',
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 10, description: 'the name' },
        born: { type: 'string', format: 'date' },
        tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
        kind: { enum: ['cat', 'dog'] },
      },
      required: ['name'],
      additionalProperties: false,
    });
    expect(result).toEqual({
      ok: true,
      schema: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 10, description: 'the name' },
          born: { type: 'string', format: 'date' },
          tags: { type: 'array', items: { type: 'string' }, maxItems: 3 },
          kind: { enum: ['cat', 'dog'] },
        },
      },
    });
  });

  it('turns anyOf and multi-type nodes into a choice of alternatives', () => {
    expect(translateJsonSchema({ anyOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }] })).toEqual({
      ok: true,
      schema: { oneOf: [{ type: 'string', maxLength: 3 }, { type: 'null' }] },
    });
    expect(translateJsonSchema({ type: ['array', 'null'], items: { type: 'integer' } })).toEqual({
      ok: true,
      schema: { oneOf: [{ type: 'array', items: { type: 'integer' } }, { type: 'null' }] },
    });
  });

  it('resolves local references through $defs or definitions', () => {
    const result = translateJsonSchema({
      type: 'object',
      properties: { a: { $ref: '#/definitions/Leaf' } },
      definitions: { Leaf: { type: 'boolean' } },
    });
    expect(result).toEqual({
      ok: true,
      schema: {
        type: 'object',
        properties: { a: { $ref: '#/$defs/Leaf' } },
        $defs: { Leaf: { type: 'boolean' } },
      },
    });
  });

  it('gives any JSON value for an empty schema (not null, as the grammar builder would)', () => {
    const result = translateJsonSchema({});
    expect(result.ok && 'oneOf' in result.schema).toBe(true);
  });

  it('accepts the schemas zod writes', () => {
    const schema = z.toJSONSchema(
      z.object({
        n: z.int(),
        s: z.string().optional(),
        e: z.enum(['a', 'b']),
        l: z.array(z.number()).nullable(),
      }),
    );
    expect(unsupported(schema)).toEqual([]);
  });

  it('names every feature it cannot enforce, with where it is', () => {
    expect(
      unsupported({
        type: 'object',
        properties: {
          code: { type: 'string', pattern: '^[A-Z]+$' },
          n: { type: 'number', minimum: 0, multipleOf: 2 },
          mail: { type: 'string', format: 'email' },
          both: { allOf: [{ type: 'string' }] },
          ext: { $ref: 'https://example.com/schema' },
          list: { type: 'array', uniqueItems: true },
          obj: { type: 'object', patternProperties: { '^x': {} } },
        },
        required: ['missing'],
      }),
    ).toEqual([
      'pattern at /properties/code',
      'minimum at /properties/n',
      'multipleOf at /properties/n',
      'format "email" at /properties/mail',
      'allOf at /properties/both',
      '$ref "https://example.com/schema" (only #/$defs/<name> and #/definitions/<name>) at /properties/ext',
      'uniqueItems at /properties/list',
      'patternProperties at /properties/obj',
      'required property "missing" that has no schema in "properties" at /',
    ]);
  });
});
