import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ManifestUtil, type TeamsAppManifest } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import { UserFacingError } from '../domain/errors.js';

/** The manifest schema version we target; its JSON schema ships inside @microsoft/app-manifest (no download). */
export const MANIFEST_VERSION = '1.25';
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ManifestInvalidError extends UserFacingError {
  constructor(problems: readonly string[]) {
    super(`the Teams app manifest does not match schema v${MANIFEST_VERSION}:\n  ${problems.join('\n  ')}`);
  }
}

export const manifestFile = (name: string) => new URL(`./${name}`, import.meta.url);

export const readManifest = (): TeamsAppManifest => JSON.parse(readFileSync(manifestFile('manifest.json'), 'utf8'));

export function manifestSchema(): object {
  const path = createRequire(import.meta.url).resolve(`@microsoft/app-manifest/build/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Schema problems, offline, or [] when the manifest is valid. */
export const manifestProblems = (manifest: TeamsAppManifest): Promise<string[]> => ManifestUtil.validateManifestAgainstSchema(manifest, manifestSchema() as never);

/** Width and height from a PNG's header. */
export function pngSize(bytes: Uint8Array): { width: number; height: number; hasAlpha: boolean } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new UserFacingError('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const colourType = bytes[25];
  return { width: view.getUint32(16), height: view.getUint32(20), hasAlpha: colourType === 4 || colourType === 6 };
}

/**
 * The app package Teams admins upload: manifest.json with this deployment's
 * app and bot ids, and the two icons, validated before it is zipped.
 */
export async function buildAppPackage(botAppId: string, appId: string = botAppId): Promise<Uint8Array> {
  for (const [what, id] of [['bot app id (MicrosoftAppId)', botAppId], ['Teams app id', appId]]) {
    if (!GUID.test(id)) throw new UserFacingError(`the ${what} "${id}" is not a GUID (e.g. 1b2c3d4e-0000-4000-8000-000000000000)`);
  }
  const manifest = readManifest();
  manifest.id = appId;
  for (const bot of manifest.bots ?? []) bot.botId = botAppId;
  const problems = await manifestProblems(manifest);
  if (problems.length > 0) throw new ManifestInvalidError(problems);
  return zipSync({
    'manifest.json': new TextEncoder().encode(JSON.stringify(manifest, null, 2)),
    'color.png': readFileSync(manifestFile('color.png')),
    'outline.png': readFileSync(manifestFile('outline.png')),
  });
}
