import type { ChatModelFunctions, GbnfJsonSchema, Llama, LlamaGrammar } from 'node-llama-cpp';
import { AppError } from '../../platform/errors/index.js';
import type { ToolChoice, ToolSpec } from '../../wire/index.js';
import { grammarForSchema, grammarSchemaOf } from './schema-grammar.js';

/**
 * How a chat request uses its tools: not at all; `auto` through node-llama-cpp's function calling
 * (the model may call, the calls are returned, never run here); or `forced`, where a grammar makes
 * the whole answer one `{"name", "arguments"}` object for the chosen tool(s).
 */
export type ToolMode =
  | { kind: 'none' }
  | { kind: 'auto'; functions: ChatModelFunctions }
  | { kind: 'forced'; grammar: LlamaGrammar; instructions: string; names: string[] };

const noArguments: GbnfJsonSchema = { type: 'object', properties: {} };

export async function toolModeFor(
  llama: Llama,
  tools: readonly ToolSpec[] | undefined,
  choice: ToolChoice | undefined,
): Promise<ToolMode> {
  if (!tools || tools.length === 0 || choice === 'none') {
    if (typeof choice === 'object' || choice === 'required')
      throw new AppError(
        'validation_failed',
        `tool_choice ${JSON.stringify(choice)} asks for a tool call, but the request has no tools.`,
        {
          param: 'tool_choice',
        },
      );
    return { kind: 'none' };
  }
  const schemas = tools.map((tool, i) =>
    tool.parameters === undefined ? noArguments : grammarSchemaOf(tool.parameters, `tools[${i}].parameters`),
  );
  if (choice === undefined || choice === 'auto')
    return { kind: 'auto', functions: functionsOf(tools, schemas) };
  const chosen = typeof choice === 'object' ? tools.findIndex((t) => t.name === choice.name) : -1;
  if (typeof choice === 'object' && chosen < 0)
    throw new AppError('validation_failed', `tool_choice names "${choice.name}", which is not in tools.`, {
      param: 'tool_choice',
    });
  const indexes = chosen >= 0 ? [chosen] : tools.map((_, i) => i);
  const calls = indexes.map(
    (i): GbnfJsonSchema => ({
      type: 'object',
      properties: { name: { const: tools[i]?.name ?? '' }, arguments: schemas[i] ?? noArguments },
    }),
  );
  const grammar = await grammarForSchema(
    llama,
    calls.length === 1 ? (calls[0] ?? noArguments) : { oneOf: calls },
    'tools',
  );
  return {
    kind: 'forced',
    grammar,
    instructions: instructionsFor(indexes.map((i) => tools[i]).filter(isTool)),
    names: indexes.map((i) => tools[i]?.name ?? ''),
  };
}

function functionsOf(tools: readonly ToolSpec[], schemas: GbnfJsonSchema[]): ChatModelFunctions {
  const functions: Record<string, ChatModelFunctions[string]> = {};
  tools.forEach((tool, i) => {
    functions[tool.name] = {
      ...(tool.description === undefined ? {} : { description: tool.description }),
      params: schemas[i] ?? noArguments,
    };
  });
  return functions;
}

/** Tells the model what the grammar will hold it to, so the arguments it writes make sense. */
function instructionsFor(tools: ToolSpec[]): string {
  const lines = tools.map((tool) => {
    const about = tool.description ? `: ${tool.description}` : '';
    return `- ${tool.name}${about}\n  arguments (JSON schema): ${JSON.stringify(tool.parameters ?? {})}`;
  });
  return [
    'Answer with one tool call, as a JSON object {"name": <tool name>, "arguments": <arguments object>}.',
    'Tools:',
    ...lines,
  ].join('\n');
}

function isTool(tool: ToolSpec | undefined): tool is ToolSpec {
  return tool !== undefined;
}
