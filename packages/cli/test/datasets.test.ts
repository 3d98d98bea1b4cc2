import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carsRows, mnistPng, toCsv } from '../../server/test/support/dataset-files.js';
import { startTestServer, type TestServer } from '../../server/test/support/test-server.js';
import { nameFrom } from '../src/commands/datasets-push.js';
import { cliFor } from './support/run.js';

let server: TestServer;
let cli: ReturnType<typeof cliFor>;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  cli = cliFor(server.url, server.adminKey);
  dir = await mkdtemp(path.join(os.tmpdir(), 'modelport-cli-datasets-'));
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A folder of mnist digits, `per` images in each of the classes 0–`classes - 1`. */
async function digitsFolder(name: string, classes: number, per: number): Promise<string> {
  const root = path.join(dir, name);
  for (let digit = 0; digit < classes; digit++) {
    await mkdir(path.join(root, String(digit)), { recursive: true });
    for (let i = 0; i < per; i++)
      await writeFile(path.join(root, String(digit), `${i}.png`), await mnistPng(digit, i));
  }
  return root;
}

const idOf = (stdout: string) => /pushed dataset (ds_\S+)/.exec(stdout)?.[1] ?? '';

describe('modelport datasets', () => {
  it('pushes a CSV, named after the file, and shows its schema as tables', async () => {
    const file = path.join(dir, 'Cars.csv');
    await writeFile(file, toCsv(carsRows()));
    const pushed = await cli(['datasets', 'push', file]);
    expect(pushed.stderr).toBe('');
    expect(pushed.stdout).toMatch(
      /^pushed dataset ds_\S+ cars \(csv, 406 rows × 9 columns, [\d.]+ KB, sha256 [0-9a-f]{12}\)\n$/,
    );
    expect(pushed.code).toBe(0);

    const show = await cli(['datasets', 'show', idOf(pushed.stdout)]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(
      /^dataset ds_\S+\n\s+name:\s+cars\n\s+format:\s+csv\n\s+content:\s+406 rows × 9 columns\n/,
    );
    expect(show.stdout).toMatch(/^COLUMN\s+TYPE\s+MISSING\s+MIN\s+MAX\s+MEAN\s+DISTINCT\s+TOP VALUES$/m);
    expect(show.stdout).toMatch(/^Miles_per_Gallon\s+number\s+8\s+9\s+46\.6\s+23\.5\d*\s+-\s+-$/m);
    expect(show.stdout).toMatch(/^Horsepower\s+number\s+6\s+/m);
    expect(show.stdout).toMatch(
      /^Origin\s+string\s+0\s+-\s+-\s+-\s+3\s+USA \(254\), Japan \(79\), Europe \(73\)$/m,
    );
    expect(show.stdout).toContain('first 10 rows:');
    expect(show.stdout).toMatch(
      /^chevrolet chevelle malibu\s+18\s+8\s+307\s+130\s+3504\s+12\s+1970-01-01\s+USA$/m,
    );

    const json = await cli(['--json', 'datasets', 'show', idOf(pushed.stdout)]);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'cars', schema: { kind: 'table', rows: 406 } });
  });

  it('tars a folder on the fly, stores the same folder once, lists and removes datasets', async () => {
    const folder = await digitsFolder('digits', 3, 4);
    const first = await cli(['datasets', 'push', folder, '--name', 'digits']);
    expect(first.stderr).toBe(`packing ${folder} as a tar\n`);
    expect(first.stdout).toMatch(/^pushed dataset ds_\S+ digits \(images, 12 images in 3 classes, /);
    const again = await cli(['--json', 'datasets', 'push', folder]);
    expect(JSON.parse(again.stdout)).toMatchObject({ name: 'digits', format: 'images' });
    const firstSha = /sha256 ([0-9a-f]{12})/.exec(first.stdout)?.[1];
    expect(JSON.parse(again.stdout).sha256.slice(0, 12)).toBe(firstSha);

    const show = await cli(['datasets', 'show', idOf(first.stdout)]);
    expect(show.stdout).toMatch(/^\s+width:\s+28$/m);
    expect(show.stdout).toMatch(/^\s+channels:\s+1$/m);
    expect(show.stdout).toMatch(/^CLASS\s+IMAGES\n0\s+4\n1\s+4\n2\s+4$/m);

    const list = await cli(['datasets', 'list']);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+FORMAT\s+CONTENT\s+SIZE\s+SHA256\s+CREATED$/m);
    expect(list.stdout).toMatch(/^ds_\S+\s+digits\s+images\s+12 images in 3 classes\s+/m);

    const removed = await cli(['datasets', 'rm', idOf(first.stdout), '--yes']);
    expect(removed.stdout).toBe(`deleted dataset ${idOf(first.stdout)}\n`);
    const gone = await cli(['datasets', 'show', idOf(first.stdout)]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: dataset_not_found: /);
  });

  it('reports a bad file with the row at fault, and a path that is not there', async () => {
    const file = path.join(dir, 'ragged.csv');
    await writeFile(file, 'a,b\n1,2\n3,4,5\n');
    const bad = await cli(['datasets', 'push', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^error: invalid_dataset: CSV row 2 \(line 3\) has 3 fields; the header has 2\./,
    );
    const missing = await cli(['datasets', 'push', path.join(dir, 'nope.csv')]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/no such file or folder/) });
  });

  it('makes a valid name from a path, or asks for --name', () => {
    expect(nameFrom('/data/My Cars.v2.csv')).toBe('my-cars.v2');
    expect(nameFrom('digits.tar.gz')).toBe('digits');
    expect(nameFrom('./Images/')).toBe('images');
    expect(() => nameFrom('__.csv')).toThrow(/--name/);
  });
});
