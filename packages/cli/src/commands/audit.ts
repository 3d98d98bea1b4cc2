import { type AuditAction, auditActions } from '@modelport/contracts';
import { type Command, Option } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-values.js';
import { parsePageSize } from '../option-parsers.js';

interface AuditListOptions {
  action?: AuditAction;
  project?: string;
  limit?: number;
  before?: string;
}

/** `modelport audit list`: who did what, newest first (needs an `admin` key). */
export function registerAudit(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('read the audit log of management actions');
  audit
    .command('list')
    .description('list entries, newest first')
    .addOption(new Option('--action <action>', 'only this action').choices(auditActions))
    .option('--project <id>', 'another project of the organization (org_admin)')
    .option('--limit <n>', 'entries per page (1 to 200, default 50)', parsePageSize)
    .option('--before <cursor>', 'continue after a previous page')
    .action(action(io, listAudit));
}

async function listAudit(ctx: CommandContext, opts: AuditListOptions): Promise<void> {
  const page = await ctx.client().audit.list({
    ...(opts.action === undefined ? {} : { action: opts.action }),
    ...(opts.project === undefined ? {} : { project: opts.project }),
    ...(opts.limit === undefined ? {} : { limit: opts.limit }),
    ...(opts.before === undefined ? {} : { before: opts.before }),
  });
  ctx.print(page, () => {
    if (page.nextCursor) ctx.note(`more: modelport audit list --before ${page.nextCursor}`);
    const rows = page.data.map((e) => [
      formatTime(e.createdAt),
      e.action,
      e.target,
      e.key ?? '-',
      e.requestId ?? '-',
    ]);
    return formatTable(['TIME', 'ACTION', 'TARGET', 'KEY', 'REQUEST'], rows);
  });
}
