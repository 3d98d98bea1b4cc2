import type { GbnfJsonSchema } from 'node-llama-cpp';

/**
 * Translates a client's JSON schema into the subset node-llama-cpp turns into a grammar. The grammar
 * builder silently ignores keywords it does not know (a `pattern` or `minimum` would simply not be
 * enforced), so anything it cannot enforce is reported instead, and the request is refused.
 */
export type SchemaTranslation = { ok: true; schema: GbnfJsonSchema } | { ok: false; unsupported: string[] };

type Node = Record<string, unknown>;

/** Keywords that only describe; dropping them changes nothing the output must satisfy. */
const annotations = new Set([
  'title',
  'description',
  '$schema',
  '$id',
  '$comment',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'strict',
]);
const keywordsByType: Record<string, ReadonlySet<string>> = {
  object: new Set(['properties', 'required', 'additionalProperties', 'minProperties', 'maxProperties']),
  array: new Set(['items', 'prefixItems', 'minItems', 'maxItems']),
  string: new Set(['minLength', 'maxLength', 'format']),
  number: new Set(),
  integer: new Set(),
  boolean: new Set(),
  null: new Set(),
};
const grammarFormats = new Set(['date-time', 'time', 'date']);
const anyJson: GbnfJsonSchema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array' },
  ],
};

export function translateJsonSchema(schema: unknown): SchemaTranslation {
  const unsupported: string[] = [];
  const translated = new Translator(unsupported).node(schema, '');
  return unsupported.length === 0
    ? { ok: true, schema: translated }
    : { ok: false, unsupported: [...new Set(unsupported)] };
}

class Translator {
  constructor(private readonly unsupported: string[]) {}

  node(value: unknown, at: string): GbnfJsonSchema {
    if (value === true) return anyJson;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(`schema that is not an object (${JSON.stringify(value)})`, at);
      return anyJson;
    }
    const node = value as Node;
    const defs = this.defs(node, at);
    const translated = this.body(node, at);
    return defs === undefined ? translated : ({ ...translated, $defs: defs } as GbnfJsonSchema);
  }

  private body(node: Node, at: string): GbnfJsonSchema {
    if ('$ref' in node) return this.ref(node, at);
    if ('const' in node) return this.literals(node, 'const', [node.const], at);
    if ('enum' in node)
      return this.literals(node, 'enum', Array.isArray(node.enum) ? (node.enum as unknown[]) : [], at);
    if ('oneOf' in node || 'anyOf' in node) return this.alternatives(node, at);
    const types = typesOf(node);
    if (types.length === 0) {
      this.checkKeywords(node, new Set(), at);
      return anyJson;
    }
    if (types.length === 1) return this.typed(node, types[0] ?? 'null', at);
    // One alternative per type, so each keeps only the keywords that apply to it.
    return { oneOf: types.map((type) => this.typed(node, type, at)) };
  }

  private typed(node: Node, type: string, at: string): GbnfJsonSchema {
    const allowed = keywordsByType[type];
    if (!allowed) {
      this.fail(`type "${type}"`, at);
      return anyJson;
    }
    this.checkKeywords(node, allowed, at, typesOf(node).length > 1);
    const description = typeof node.description === 'string' ? { description: node.description } : {};
    if (type === 'object') return { ...this.object(node, at), ...description };
    if (type === 'array') return { ...this.array(node, at), ...description };
    if (type === 'string') return { ...this.string(node, at), ...description };
    return { type: type as 'number' | 'integer' | 'boolean' | 'null', ...description };
  }

  private object(node: Node, at: string): GbnfJsonSchema {
    const properties: Record<string, GbnfJsonSchema> = {};
    for (const [name, sub] of Object.entries(asNode(node.properties)))
      properties[name] = this.node(sub, `${at}/properties/${name}`);
    // The grammar writes every listed property, which satisfies any `required`; a required name
    // without a schema, though, would never be written.
    for (const name of Array.isArray(node.required) ? node.required : [])
      if (typeof name !== 'string' || !(name in properties))
        this.fail(`required property "${String(name)}" that has no schema in "properties"`, at);
    const extra = node.additionalProperties;
    return {
      type: 'object',
      properties,
      ...(extra === undefined || extra === false
        ? {}
        : { additionalProperties: extra === true ? true : this.node(extra, `${at}/additionalProperties`) }),
      ...numberField(node, 'minProperties'),
      ...numberField(node, 'maxProperties'),
    };
  }

  private array(node: Node, at: string): GbnfJsonSchema {
    const prefix = Array.isArray(node.prefixItems)
      ? node.prefixItems.map((sub, i) => this.node(sub, `${at}/prefixItems/${i}`))
      : undefined;
    const items = node.items;
    const closed = items === false;
    return {
      type: 'array',
      ...(items === undefined || typeof items === 'boolean'
        ? {}
        : { items: this.node(items, `${at}/items`) }),
      ...(prefix ? { prefixItems: prefix } : {}),
      ...numberField(node, 'minItems'),
      ...(closed ? { maxItems: prefix?.length ?? 0 } : numberField(node, 'maxItems')),
    };
  }

  private string(node: Node, at: string): GbnfJsonSchema {
    const format = node.format;
    if (format === undefined)
      return { type: 'string', ...numberField(node, 'minLength'), ...numberField(node, 'maxLength') };
    if (typeof format !== 'string' || !grammarFormats.has(format)) {
      this.fail(`format "${String(format)}"`, at);
      return { type: 'string' };
    }
    if ('minLength' in node || 'maxLength' in node) this.fail('format together with minLength/maxLength', at);
    return { type: 'string', format: format as 'date-time' | 'time' | 'date' };
  }

  private alternatives(node: Node, at: string): GbnfJsonSchema {
    const keyword = 'oneOf' in node ? 'oneOf' : 'anyOf';
    this.checkKeywords(node, new Set([keyword]), at);
    const list = node[keyword];
    if (!Array.isArray(list) || list.length === 0) {
      this.fail(`${keyword} that is not a non-empty list`, at);
      return anyJson;
    }
    // Output matching one alternative satisfies anyOf, so both become a choice of alternatives.
    return { oneOf: list.map((sub, i) => this.node(sub, `${at}/${keyword}/${i}`)) };
  }

  private literals(node: Node, keyword: 'const' | 'enum', values: unknown[], at: string): GbnfJsonSchema {
    this.checkKeywords(node, new Set([keyword, 'type']), at);
    const primitive = values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
    if (!primitive || values.length === 0) this.fail(`${keyword} with object, array or no values`, at);
    const literals = values as (string | number | boolean | null)[];
    return keyword === 'const' ? { const: literals[0] ?? null } : { enum: literals };
  }

  private ref(node: Node, at: string): GbnfJsonSchema {
    this.checkKeywords(node, new Set(['$ref']), at);
    const ref = String(node.$ref);
    const match = /^#\/(?:\$defs|definitions)\/([^/]+)$/.exec(ref);
    if (!match) {
      this.fail(`$ref "${ref}" (only #/$defs/<name> and #/definitions/<name>)`, at);
      return anyJson;
    }
    return { $ref: `#/$defs/${match[1]}` } as GbnfJsonSchema;
  }

  private defs(node: Node, at: string): Record<string, GbnfJsonSchema> | undefined {
    const source = node.$defs ?? node.definitions;
    if (source === undefined) return undefined;
    const defs: Record<string, GbnfJsonSchema> = {};
    for (const [name, sub] of Object.entries(asNode(source)))
      defs[name] = this.node(sub, `${at}/$defs/${name}`);
    return defs;
  }

  private checkKeywords(node: Node, allowed: ReadonlySet<string>, at: string, anyType = false): void {
    for (const key of Object.keys(node)) {
      if (annotations.has(key) || allowed.has(key) || key.startsWith('x-')) continue;
      if (isSafeIntegerBound(key, node[key])) continue;
      if (key === 'type' || key === '$defs' || key === 'definitions') continue;
      // With several types, a keyword of another type applies to that alternative instead.
      if (anyType && Object.values(keywordsByType).some((set) => set.has(key))) continue;
      this.fail(key, at);
    }
  }

  private fail(feature: string, at: string): void {
    this.unsupported.push(`${feature} at ${at || '/'}`);
  }
}

/**
 * zod and others bound every integer by ±(2^53 - 1); that excludes only numbers no JSON parser
 * would read exactly anyway, so it is taken as no bound rather than refused.
 */
function isSafeIntegerBound(key: string, value: unknown): boolean {
  if (key === 'minimum') return typeof value === 'number' && value <= Number.MIN_SAFE_INTEGER;
  if (key === 'maximum') return typeof value === 'number' && value >= Number.MAX_SAFE_INTEGER;
  return false;
}

function typesOf(node: Node): string[] {
  if (typeof node.type === 'string') return [node.type];
  if (Array.isArray(node.type)) return node.type.map(String);
  // Without `type`, the keywords present say what is meant.
  for (const [type, keywords] of Object.entries(keywordsByType))
    if ([...keywords].some((k) => k in node)) return [type];
  return [];
}

function asNode(value: unknown): Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : {};
}

function numberField<K extends string>(node: Node, key: K): { [P in K]?: number } {
  const value = node[key];
  return typeof value === 'number' ? ({ [key]: value } as { [P in K]?: number }) : {};
}
