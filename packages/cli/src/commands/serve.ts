import { ConfigError, loadConfig, type RunningServer, startServer } from '@modelport/server';
import type { Command } from 'commander';

interface ServeOptions {
  host?: string;
  port?: string;
  dataDir?: string;
}

/** `modelport serve`: the same start-up as `npm start`, with flags above env and config file. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the Modelport server (config: modelport.yaml, MODELPORT_* env, flags)')
    .option('--host <host>', 'address to listen on (MODELPORT_HOST)')
    .option('--port <port>', 'port to listen on (MODELPORT_PORT)')
    .option('--data-dir <dir>', 'folder for the database and artifacts (MODELPORT_DATA_DIR)')
    .action(async (opts: ServeOptions) => {
      let server: RunningServer;
      try {
        const config = loadConfig({ overrides: { host: opts.host, port: opts.port, dataDir: opts.dataDir } });
        server = await startServer(config);
      } catch (err) {
        if (err instanceof ConfigError) {
          process.stderr.write(`${err.message}\n`);
          process.exit(2);
        }
        throw err;
      }
      printBanner(server);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // A renewed certificate: new connections get it, nothing restarts.
      process.on('SIGHUP', () => {
        server.reloadTls().catch((err: unknown) => {
          process.stderr.write(`TLS reload failed, keeping the current certificate: ${String(err)}\n`);
        });
      });
    });
}

function printBanner(server: RunningServer): void {
  const lines = [`Modelport is listening on ${server.url}  (API docs: ${server.url}/docs)`];
  if (server.bootstrap.createdAdminKey) {
    lines.push(
      '',
      'First start: an admin API key was created. It is shown only this once; keep it safe:',
      '',
      `    ${server.bootstrap.createdAdminKey}`,
      '',
      `    export MODELPORT_API_KEY=${server.bootstrap.createdAdminKey}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
