import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, ConflictError, Modelport, ModelportError, NotFoundError } from '../src/index.js';
import { caught } from './support/caught.js';
import { type SdkHarness, startHarness, uniqueName } from './support/server.js';

let h: SdkHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.server.close();
});

describe('models', () => {
  it('creates, lists, gets and deletes a model', async () => {
    const name = uniqueName('crud');
    const created = await h.admin.models.create({ name, task: 'tabular', description: 'iris' });
    expect(created).toMatchObject({
      name,
      task: 'tabular',
      description: 'iris',
      latestVersion: null,
      aliases: {},
    });

    expect((await h.admin.models.list()).map((m) => m.name)).toContain(name);
    expect(await h.admin.models.get(name)).toEqual(created);

    await h.admin.models.delete(name);
    expect((await h.admin.models.list()).map((m) => m.name)).not.toContain(name);
  });

  it('applies the server defaults for task and description', async () => {
    const model = await h.admin.models.create({ name: uniqueName('defaults') });
    expect(model).toMatchObject({ task: 'tensor', description: '' });
  });

  it('throws NotFoundError with the catalog code and the request id', async () => {
    const err = await caught(h.admin.models.get('does-not-exist'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toBeInstanceOf(ModelportError);
    const e = err as NotFoundError;
    expect(e.status).toBe(404);
    expect(e.code).toBe('model_not_found');
    expect(e.requestId).toMatch(/\S+/);
    expect(e.message).toContain('does-not-exist');
    expect(e.name).toBe('NotFoundError');
  });

  it('throws ConflictError for a duplicate name', async () => {
    const name = uniqueName('dup');
    await h.admin.models.create({ name });
    const err = await caught(h.admin.models.create({ name }));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ status: 409, code: 'model_already_exists' });
  });

  it('throws BadRequestError for an invalid name', async () => {
    const err = await caught(h.admin.models.create({ name: 'Not Valid!' }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).code).toBe('validation_failed');
  });

  it('deleting a missing model is a NotFoundError', async () => {
    await expect(h.admin.models.delete(uniqueName('ghost'))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('health', () => {
  it('reports ready without an API key', async () => {
    expect(await new Modelport({ baseUrl: `${h.server.url}/` }).health()).toEqual({ ready: true });
  });
});
