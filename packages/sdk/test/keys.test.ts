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

describe('keys', () => {
  it('creates a key shown once, lists it without the secret, and revokes it', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await h.admin.keys.create({ name: 'ci', scopes: ['manage'], expiresAt });
    expect(created.key).toMatch(/^mpk_/);
    expect(created).toMatchObject({
      name: 'ci',
      scopes: ['manage'],
      models: null,
      revokedAt: null,
      expiresAt,
    });

    const user = h.clientWith(created.key);
    await user.models.create({ name: uniqueName('by-ci') });

    const listed = (await h.admin.keys.list()).find((k) => k.id === created.id);
    expect(listed).toMatchObject({ id: created.id, prefix: created.prefix });
    expect(listed).not.toHaveProperty('key');

    const revoked = await h.admin.keys.revoke(created.id);
    expect(revoked.revokedAt).not.toBeNull();

    const err = await caught(user.models.list());
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ status: 401, code: 'api_key_revoked' });
  });

  it('a key without the needed scope gets PermissionDeniedError', async () => {
    const metricsOnly = h.clientWith(await h.server.mintKey({ scopes: ['metrics'] }));
    const err = await caught(metricsOnly.models.list());
    expect(err).toBeInstanceOf(PermissionDeniedError);
    expect(err).toMatchObject({ status: 403, code: 'insufficient_scope' });

    const inferOnly = h.clientWith(await h.server.mintKey({ scopes: ['infer'] }));
    await expect(inferOnly.keys.list()).rejects.toBeInstanceOf(PermissionDeniedError);
    await expect(inferOnly.models.create({ name: uniqueName('nope') })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
  });

  it('a model allow-list hides other models as not found', async () => {
    const visible = uniqueName('visible');
    const hidden = uniqueName('hidden');
    await h.admin.models.create({ name: visible });
    await h.admin.models.create({ name: hidden });
    const scoped = h.clientWith(await h.server.mintKey({ scopes: ['manage'], models: [visible] }));
    expect((await scoped.models.list()).map((m) => m.name)).toEqual([visible]);
    await expect(scoped.models.get(hidden)).rejects.toMatchObject({ code: 'model_not_found' });
  });

  it('missing, malformed and unknown keys are AuthenticationErrors', async () => {
    const codes = await Promise.all(
      [undefined, 'not-a-key', h.server.adminKey.replace(/.{6}$/, 'AAAAAA')].map(async (key) => {
        const err = await caught(h.clientWith(key as string).models.list());
        expect(err).toBeInstanceOf(AuthenticationError);
        return (err as AuthenticationError).code;
      }),
    );
    expect(codes).toEqual(['missing_api_key', 'invalid_api_key', 'invalid_api_key']);
  });

  it('revoking an unknown key is key_not_found', async () => {
    const err = await caught(h.admin.keys.revoke('key_doesnotexist'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({ code: 'key_not_found' });
  });
});
