import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ImageFrame, ImageItem } from './dataset-frame.js';
import type { DatasetLimits } from './dataset-limits.js';
import { datasetTooLarge, invalidDataset, shown } from './dataset-problems.js';

/** Image files by extension (any case); what they hold is checked by `inspectImages`. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.webp'];
/** How many lone wrapper folders (`tar czf x.tgz mydata/`) are looked through. */
const MAX_WRAPPER_DEPTH = 3;

/** Dot files (`.DS_Store`, macOS `._x` companions) are not data: they are passed over everywhere. */
function visible(entries: Dirent[]): Dirent[] {
  return entries.filter((e) => !e.name.startsWith('.'));
}

async function entriesOf(dir: string): Promise<Dirent[]> {
  const entries = visible(await readdir(dir, { withFileTypes: true }));
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The folder whose sub-folders are the classes: `dir` itself, or a lone folder wrapping them. A lone
 * folder with no folder inside is a class of its own (a one-class dataset), not a wrapper.
 */
export async function findClassRoot(dir: string): Promise<string> {
  let root = dir;
  for (let depth = 0; depth < MAX_WRAPPER_DEPTH; depth++) {
    const entries = await entriesOf(root);
    const only = entries.length === 1 ? entries[0] : undefined;
    if (!only?.isDirectory()) return root;
    const inside = await entriesOf(path.join(root, only.name));
    if (!inside.some((e) => e.isDirectory())) return root;
    root = path.join(root, only.name);
  }
  return root;
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/**
 * Lists an image-folder dataset: one sub-folder per class, images (.png, .jpg, .jpeg, .webp) directly
 * inside. Throws `invalid_dataset` naming the file for anything else: a file beside the class folders,
 * a folder or a non-image file inside a class, an empty class, no images at all.
 */
export async function listImageFolder(dir: string, limits: DatasetLimits = {}): Promise<ImageFrame> {
  const root = await findClassRoot(dir);
  const classes: string[] = [];
  const items: ImageItem[] = [];
  for (const entry of await entriesOf(root)) {
    const full = path.join(root, entry.name);
    if (!entry.isDirectory()) {
      throw invalidDataset(
        `${shown(relative(dir, full))} lies outside the class folders: every image goes in the folder named after its class.`,
        { file: relative(dir, full) },
      );
    }
    const images = await classImages(dir, full);
    if (images.length === 0) {
      throw invalidDataset(`The class folder ${shown(relative(dir, full))} holds no images.`, {
        file: relative(dir, full),
      });
    }
    classes.push(entry.name);
    for (const image of images) {
      if (limits.maxImages !== undefined && items.length >= limits.maxImages) {
        throw datasetTooLarge(`The dataset has more than ${limits.maxImages} images`, 'maxImages');
      }
      items.push({ className: entry.name, path: image });
    }
  }
  if (items.length === 0) {
    throw invalidDataset('The archive holds no class folders with images (expected <class>/<image>.png).');
  }
  return { kind: 'images', classes, items };
}

async function classImages(dir: string, classDir: string): Promise<string[]> {
  const images: string[] = [];
  for (const entry of await entriesOf(classDir)) {
    const full = path.join(classDir, entry.name);
    const file = relative(dir, full);
    if (entry.isDirectory()) {
      throw invalidDataset(
        `${shown(`${file}/`)} is a folder inside a class folder: images sit directly in their class folder.`,
        { file },
      );
    }
    if (!entry.isFile() || !IMAGE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
      throw invalidDataset(`${shown(file)} is not an image (${IMAGE_EXTENSIONS.join(', ')}).`, { file });
    }
    images.push(full);
  }
  return images;
}
