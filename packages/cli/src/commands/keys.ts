import type { ApiKey, Scope } from '@modelport/contracts';
import { generateKey } from '@modelport/server';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-values.js';
import { collect, collectScope, parseGraceSeconds } from '../option-parsers.js';
import { parseExpiry } from '../parse-expiry.js';

interface CreateKeyOptions {
  name?: string;
  scope?: Scope[];
  model?: string[];
  expires?: string;
}

/** `modelport keys …`: API keys (an admin key is needed for all but `generate`). */
export function registerKeys(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('create, list and revoke API keys');
  keys
    .command('create')
    .description('create an API key; the secret is printed once')
    .option('--name <name>', 'label to recognise the key by')
    .option(
      '--scope <scope>',
      'infer, manage, metrics, admin or org_admin (repeatable; default infer)',
      collectScope,
    )
    .option('--model <name>', 'only allow this model (repeatable; default all models)', collect)
    .option('--expires <when>', 'a duration (30d, 12h, 90m, 2w) or an ISO date', (v: string) =>
      parseExpiry(v),
    )
    .action(action(io, createKey));
  keys.command('list').description('list API keys').action(action(io, listKeys));
  keys.command('revoke <id>').description('revoke an API key by id').action(action(io, revokeKey));
  keys
    .command('rotate <id>')
    .description('give a key a new secret (printed once); the old one works for the grace period')
    .option(
      '--grace <duration>',
      'how long the old secret still works: seconds, or 90m, 12h, 7d (default 1d)',
      parseGraceSeconds,
    )
    .action(action(io, rotateKey));
  keys
    .command('generate')
    .description('print a fresh well-formed key offline (e.g. for MODELPORT_ADMIN_KEY)')
    .action(action(io, async (ctx) => printGeneratedKey(ctx)));
}

async function createKey(ctx: CommandContext, opts: CreateKeyOptions): Promise<void> {
  const created = await ctx.client().keys.create({
    ...(opts.name === undefined ? {} : { name: opts.name }),
    ...(opts.scope === undefined ? {} : { scopes: opts.scope }),
    models: opts.model ?? null,
    expiresAt: opts.expires ?? null,
  });
  ctx.print(created, () => {
    ctx.note(`created key ${created.id} (${created.name}), scopes ${created.scopes.join(', ')}`);
    ctx.note('store the key now: it is not shown again');
    return created.key;
  });
}

async function listKeys(ctx: CommandContext): Promise<void> {
  const keys = await ctx.client().keys.list();
  ctx.print(keys, () => {
    const rows = keys.map((k) => [
      k.id,
      k.name,
      k.prefix,
      k.scopes.join(','),
      k.models === null ? '*' : k.models.join(','),
      keyStatus(k),
      formatTime(k.expiresAt),
      formatTime(k.lastUsedAt),
    ]);
    return formatTable(['ID', 'NAME', 'PREFIX', 'SCOPES', 'MODELS', 'STATUS', 'EXPIRES', 'LAST USED'], rows);
  });
}

function keyStatus(key: ApiKey, now = Date.now()): string {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

async function revokeKey(ctx: CommandContext, id: string): Promise<void> {
  const key = await ctx.client().keys.revoke(id);
  ctx.print(key, () => `revoked key ${key.id} (${key.name})`);
}

async function rotateKey(ctx: CommandContext, id: string, opts: { grace?: number }): Promise<void> {
  const rotated = await ctx
    .client()
    .keys.rotate(id, opts.grace === undefined ? {} : { gracePeriodSeconds: opts.grace });
  ctx.print(rotated, () => {
    ctx.note(
      `rotated key ${rotated.id} (${rotated.name}); the old secret works until ${formatTime(rotated.previousValidUntil)}`,
    );
    ctx.note('store the key now: it is not shown again');
    return rotated.key;
  });
}

function printGeneratedKey(ctx: CommandContext): void {
  const key = generateKey();
  ctx.print({ key }, () => key);
}
