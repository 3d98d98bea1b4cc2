import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, NotFoundError, PermissionDeniedError } from '../src/index.js';
import { caught } from './support/caught.js';
import { type SdkHarness, startHarness, uniqueName } from './support/server.js';

let h: SdkHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.server.close();
});

describe('key rotation', () => {
  it('rotates under the same id; the old secret ends with the grace period', async () => {
    const created = await h.admin.keys.create({ name: 'svc', scopes: ['manage'] });
    const rotated = await h.admin.keys.rotate(created.id, { gracePeriodSeconds: 0 });
    expect(rotated).toMatchObject({ id: created.id, previousPrefix: created.prefix });
    expect(rotated.key).not.toBe(created.key);
    await h.clientWith(rotated.key).models.list();
    const err = await caught(h.clientWith(created.key).models.list());
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ code: 'api_key_rotated' });
    expect(await h.admin.keys.get(created.id)).toMatchObject({
      prefix: rotated.prefix,
      rotatedAt: rotated.rotatedAt,
    });
    const byDefault = await h.admin.keys.rotate(created.id);
    await h.clientWith(rotated.key).models.list();
    expect(Date.parse(byDefault.previousValidUntil ?? '') - Date.parse(byDefault.rotatedAt ?? '')).toBe(
      86_400_000,
    );
  });
});

describe('projects', () => {
  it('creates, lists and shows projects, and mints keys into them', async () => {
    const name = uniqueName('proj');
    const project = await h.admin.projects.create(name);
    expect((await h.admin.projects.list()).map((p) => p.name)).toContain(name);
    expect(await h.admin.projects.get(project.id)).toEqual(project);
    const minted = await h.admin.projects.createKey(project.id, { scopes: ['admin'] });
    expect(minted.project).toBe(project.id);
    const inside = h.clientWith(minted.key);
    expect(await inside.projects.get(project.id)).toEqual(project);
    await expect(inside.projects.list()).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(h.admin.projects.get('prj_missing')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('audit', () => {
  it('lists pages newest first and walks every entry', async () => {
    const model = uniqueName('audited');
    await h.admin.models.create({ name: model });
    const first = await h.admin.audit.list({ limit: 1 });
    expect(first.data[0]).toMatchObject({ action: 'model.create', target: model });
    expect(first.nextCursor).not.toBeNull();
    const all = [];
    for await (const entry of h.admin.audit.entries({ limit: 2 })) all.push(entry);
    expect(all.length).toBeGreaterThan(2);
    expect(all[0]?.id).toBe(first.data[0]?.id);
    const onlyKeys = await h.admin.audit.list({ action: 'key.rotate' });
    expect(onlyKeys.data.length).toBeGreaterThan(0);
    expect(onlyKeys.data.every((e) => e.action === 'key.rotate')).toBe(true);
  });
});
