import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-values.js';

/** `modelport projects …`: the organization's projects (needs an `org_admin` key). */
export function registerProjects(program: Command, io: CliIo): void {
  const projects = program.command('projects').description("create and list the organization's projects");
  projects.command('create <name>').description('create a project').action(action(io, createProject));
  projects.command('list').description('list projects').action(action(io, listProjects));
}

async function createProject(ctx: CommandContext, name: string): Promise<void> {
  const project = await ctx.client().projects.create(name);
  ctx.print(project, () => `created project ${project.id} (${project.name})`);
}

async function listProjects(ctx: CommandContext): Promise<void> {
  const projects = await ctx.client().projects.list();
  ctx.print(projects, () =>
    formatTable(
      ['ID', 'NAME', 'CREATED'],
      projects.map((p) => [p.id, p.name, formatTime(p.createdAt)]),
    ),
  );
}
