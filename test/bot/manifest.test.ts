import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildAppPackage, MANIFEST_VERSION, manifestFile, manifestProblems, pngSize, readManifest } from '../../manifest/teams-app.js';

describe('the Teams app manifest (validated offline against the vendored schema)', () => {
  it(`is valid against schema v${MANIFEST_VERSION}`, async () => {
    const manifest = readManifest();
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
    expect(await manifestProblems(manifest)).toEqual([]);
  });

  it('the check is real: a broken manifest is rejected', async () => {
    const broken = { ...readManifest(), accentColor: 'blue', id: 'not-a-guid' } as never;
    expect((await manifestProblems(broken)).length).toBeGreaterThan(0);
  });

  it('puts the bot in personal, team and group chat scopes with the commands it answers', () => {
    const [bot] = readManifest().bots!;
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot.commandLists![0].commands.map((c) => c.title)).toEqual(['profile', 'list', 'model', 'alerts', 'meeting new', 'help']);
    expect(readManifest().description.full).toMatch(/decision support, not a finding/);
  });

  it('has a 192×192 colour icon and a 32×32 outline icon with transparency', () => {
    const manifest = readManifest();
    expect(pngSize(readFileSync(manifestFile(manifest.icons.color)))).toMatchObject({ width: 192, height: 192 });
    expect(pngSize(readFileSync(manifestFile(manifest.icons.outline)))).toEqual({ width: 32, height: 32, hasAlpha: true });
  });

  it('packages a deployment’s ids with the icons, and refuses an id that is not a GUID', async () => {
    const botId = '1b2c3d4e-1111-4222-8333-444455556666';
    const files = unzipSync(await buildAppPackage(botId));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const packed = JSON.parse(new TextDecoder().decode(files['manifest.json']));
    expect(packed.id).toBe(botId);
    expect(packed.bots[0].botId).toBe(botId);
    await expect(buildAppPackage('my-bot')).rejects.toThrow(/not a GUID/);
  });
});
