import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  extractImageDataset,
  inspectImages,
  listImageFolder,
  readDatasetFrame,
} from '../src/formats/index.js';
import { buildTar, mnistPng, mnistTar } from './support/dataset-files.js';
import { expectAppError } from './support/expect-app-error.js';
import { useTempDir } from './support/temp-dir.js';

const tempDir = useTempDir('dataset-image-readers');

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(await tempDir(), name);
  await writeFile(file, content);
  return file;
}

async function imageFolder(layout: Record<string, Buffer | string>): Promise<string> {
  const root = await tempDir();
  for (const [rel, content] of Object.entries(layout)) {
    const file = path.join(root, ...rel.split('/'));
    if (rel.endsWith('/')) {
      await mkdir(file, { recursive: true });
      continue;
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return root;
}

describe('listImageFolder', () => {
  it('lists class folders in order, inside a lone top folder, passing over dot files', async () => {
    const png = await mnistPng(3, 0);
    const root = await imageFolder({
      'mydata/dog/b.png': png,
      'mydata/dog/a.JPG': png,
      'mydata/cat/1.webp': png,
      'mydata/cat/.DS_Store': 'x',
      'mydata/._cat': 'x',
    });
    const frame = await listImageFolder(root);
    expect(frame.classes).toEqual(['cat', 'dog']);
    expect(frame.items.map((i) => [i.className, path.relative(root, i.path)])).toEqual([
      ['cat', path.join('mydata', 'cat', '1.webp')],
      ['dog', path.join('mydata', 'dog', 'a.JPG')],
      ['dog', path.join('mydata', 'dog', 'b.png')],
    ]);
  });

  it('takes a lone folder of images as one class', async () => {
    const frame = await listImageFolder(await imageFolder({ 'cat/1.png': await mnistPng(1, 0) }));
    expect(frame.classes).toEqual(['cat']);
    expect(frame.items).toHaveLength(1);
  });

  it('names the file at fault', async () => {
    const png = await mnistPng(0, 0);
    const cases: [Record<string, Buffer | string>, RegExp][] = [
      [{ 'd/cat/1.png': png, 'd/stray.png': png }, /^"d\/stray.png" lies outside the class folders/],
      [{ 'cat/1.png': png, 'dog/more/2.png': png }, /^"dog\/more\/" is a folder inside a class folder/],
      [{ 'cat/1.png': png, 'dog/notes.txt': 'x' }, /^"dog\/notes.txt" is not an image/],
      [{ 'cat/1.png': png, 'dog/': '' }, /^The class folder "dog" holds no images/],
      [{ '.hidden': 'x' }, /no class folders with images/],
    ];
    for (const [layout, message] of cases) {
      await expectAppError(listImageFolder(await imageFolder(layout)), 'invalid_dataset', message);
    }
  });

  it('stops at the image limit', async () => {
    const png = await mnistPng(0, 0);
    const root = await imageFolder({ 'a/1.png': png, 'a/2.png': png, 'b/1.png': png });
    await expectAppError(listImageFolder(root, { maxImages: 2 }), 'dataset_too_large', /maxImages/);
  });
});

describe('extractImageDataset and inspectImages', () => {
  it('unpacks a .tar.gz of mnist digits inside a top folder and reads every header', async () => {
    const tgz = await mnistTar({ perClass: (d) => d + 1, wrapper: 'mydata', gzip: true });
    const dest = await tempDir();
    const root = await extractImageDataset(await fileWith('digits.tgz', tgz), dest);
    expect(root).toBe(path.join(dest, 'mydata'));
    const frame = await readDatasetFrame('images', root);
    if (frame.kind !== 'images') throw new Error('expected images');
    expect(frame.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(frame.items).toHaveLength(55);
    expect(frame.items.filter((i) => i.className === '9')).toHaveLength(10);
    const sizes = await inspectImages(frame, { maxImagePixels: 28 * 28, root: dest });
    expect(sizes).toEqual({
      width: { min: 28, max: 28 },
      height: { min: 28, max: 28 },
      channels: [1],
      encodings: ['png'],
    });
    await expectAppError(
      inspectImages(frame, { maxImagePixels: 28 * 27, root: dest }),
      'dataset_too_large',
      /^"mydata\/0\/0.png" has 28×28 pixels, more than 756 \(limit: datasets.maxImagePixels\)/,
    );
  });

  it('names an image that does not decode, and one of another format', async () => {
    const png = await mnistPng(5, 0);
    const gif = await sharp(png).gif().toBuffer();
    const junk = await imageFolder({ 'a/ok.png': png, 'b/broken.png': png.subarray(0, 40) });
    const junkFrame = await listImageFolder(junk);
    await expectAppError(
      inspectImages(junkFrame, { maxImagePixels: 1e6, root: junk }),
      'invalid_dataset',
      /^"b\/broken.png" does not decode as an image/,
    );
    const other = await imageFolder({ 'a/ok.png': png, 'b/really-a-gif.png': gif });
    await expectAppError(
      inspectImages(await listImageFolder(other), { maxImagePixels: 1e6, root: other }),
      'invalid_dataset',
      /^"b\/really-a-gif.png" is gif, not PNG, JPEG or WebP/,
    );
  });

  it('refuses a corrupt archive, an empty one, and one that unpacks past the byte limit', async () => {
    const dest = await tempDir();
    await expectAppError(
      extractImageDataset(await fileWith('bad.tgz', gzipSync(Buffer.from('not a tar at all'))), dest),
      'invalid_dataset',
      /tar/i,
    );
    await expectAppError(
      extractImageDataset(await fileWith('dirs.tar', buildTar([{ path: 'a/', type: '5' }])), await tempDir()),
      'invalid_dataset',
      /holds no files/,
    );
    const zeros = buildTar([{ path: 'a/1.png', data: Buffer.alloc(1_000_000) }]);
    await expectAppError(
      extractImageDataset(await fileWith('zeros.tgz', gzipSync(zeros)), await tempDir(), {
        maxUnpackedBytes: 100_000,
      }),
      'dataset_too_large',
      /more than 100000 bytes \(limit: datasets.maxBytes\)/,
    );
    await expectAppError(
      extractImageDataset(
        await fileWith('up.tar', buildTar([{ path: '../up.png', data: 'x' }])),
        await tempDir(),
      ),
      'unsafe_artifact_path',
    );
  });
});
