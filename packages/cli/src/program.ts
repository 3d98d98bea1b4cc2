import { MODELPORT_VERSION } from '@modelport/server';
import { Command } from 'commander';
import { type CliIo, processIo } from './cli-io.js';
import { registerAudit } from './commands/audit.js';
import { registerDatasets } from './commands/datasets.js';
import { registerDeployments } from './commands/deployments.js';
import { registerKeys } from './commands/keys.js';
import { registerModels } from './commands/models.js';
import { registerPredict } from './commands/predict.js';
import { registerProjects } from './commands/projects.js';
import { registerPull } from './commands/pull.js';
import { registerRollouts } from './commands/rollouts.js';
import { registerServe } from './commands/serve.js';
import { registerTrain } from './commands/train.js';
import { registerUsage } from './commands/usage.js';
import { addGlobalOptions } from './global-options.js';

/** The whole command tree; all output goes through `io`, and errors are thrown, never `process.exit`. */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('modelport')
    .description('Modelport: serve your own models as an authenticated, metered API')
    .version(MODELPORT_VERSION)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  registerServe(program);
  registerModels(program, io);
  registerDatasets(program, io);
  registerPull(program, io);
  registerKeys(program, io);
  registerProjects(program, io);
  registerAudit(program, io);
  registerDeployments(program, io);
  registerRollouts(program, io);
  registerPredict(program, io);
  registerUsage(program, io);
  registerTrain(program, io);
  addGlobalOptions(program);
  return program;
}
