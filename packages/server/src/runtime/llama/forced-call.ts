import { newId } from '../../platform/index.js';
import type { ToolCall } from '../../wire/index.js';

/** `{ "name": "get_weather"` and what follows: the start of a forced reply, in the grammar's key order. */
const head = /^\s*\{\s*(?:"name"\s*:\s*"([^"\\]*)("?)\s*(,\s*"arguments"\s*:\s*)?)?/;

/**
 * The tool call of a forced reply (`{"name", "arguments"}`, the grammar's shape), from `names`, the
 * tools the grammar allows. A reply cut short (`max_tokens`) is still a call, as OpenAI returns it
 * with `finish_reason: "length"`: the tool whose name starts with what was written (the first
 * allowed one if no name was written yet) and the arguments written so far, unparseable as they are.
 */
export function forcedToolCall(
  text: string,
  names: readonly string[],
): { call: ToolCall; complete: boolean } | undefined {
  const complete = parseComplete(text);
  if (complete) return { call: complete, complete: true };
  const match = head.exec(text);
  const written = match?.[1] ?? '';
  const name = match?.[2] ? written : names.find((n) => n.startsWith(written));
  if (name === undefined) return undefined;
  const args = match?.[3] ? compactJson(text.slice(match[0].length)) : '';
  return { call: toolCall(name, args), complete: false };
}

export function toolCall(name: string, args: string): ToolCall {
  return { id: newId('call'), name, arguments: args };
}

function parseComplete(text: string): ToolCall | undefined {
  try {
    const parsed = JSON.parse(text) as { name?: unknown; arguments?: unknown };
    if (typeof parsed.name !== 'string') return undefined;
    return toolCall(parsed.name, JSON.stringify(parsed.arguments ?? {}));
  } catch {
    return undefined;
  }
}

/**
 * JSON text without the whitespace between tokens (strings kept as written), so cut arguments
 * read as the start of what the complete call would have had (`JSON.stringify`'s compact form).
 */
function compactJson(text: string): string {
  let out = '';
  let inString = false;
  let escaped = false;
  for (const ch of text) {
    if (inString) {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (!/\s/.test(ch)) out += ch;
  }
  return out;
}
