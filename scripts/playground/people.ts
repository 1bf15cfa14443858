import { writeFileSync } from 'node:fs';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import type { StaffRole } from '../../domain/roles.js';

/** Someone the Playground acts as or puts in its chats; `role` null: not in the staff list. */
export interface PlaygroundPerson {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly workerId: string;
  readonly role: StaffRole | null;
}

const person = (n: number, name: string, workerId: string, role: StaffRole | null): PlaygroundPerson => ({
  id: `pg-user-${n}`,
  name,
  aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  workerId,
  role,
});

export const PEOPLE = {
  analyst: person(1, 'Ana Ellis', 'PG-ANALYST', 'analyst'),
  chair: person(2, 'Morgan Reid', 'PG-CHAIR', 'chair'),
  caseworker1: person(3, 'Tom Patel', 'PG-CW1', 'caseworker'),
  caseworker2: person(4, 'Sara Khan', 'PG-CW2', 'caseworker'),
  caseworker3: person(5, 'Lee Evans', 'PG-CW3', 'caseworker'),
  officer: person(6, 'Dana Price', 'PG-OFFICER', 'officer'),
  guest: person(7, 'Robin Guest', 'PG-GUEST', null),
} as const;

export const BOT_NAME = 'TFD Bot';
export const GROUP_CHAT = { id: 'pg-group-chat', name: 'Victim-list meeting' };
export const CHANNEL = { id: 'pg-channel', name: 'Partnership channel' };

/**
 * The staff rows behind the Playground's people. Each is a copy of the TFD's
 * first member of staff with that role (so columns such as an area come with
 * it) under the Playground person's worker id, name and Entra id.
 */
export async function registerStaff(db: TfdDialect['db']): Promise<void> {
  await db.deleteFrom('staff').where('worker_id', 'like', 'PG-%').execute();
  for (const p of Object.values(PEOPLE)) {
    if (!p.role) continue;
    const template = await db.selectFrom('staff').selectAll().where('role', '=', p.role).orderBy('worker_id').executeTakeFirst();
    const base = template ?? { agency: p.role === 'officer' ? 'police' : 'council', school_id: null };
    await db.insertInto('staff').values({ ...base, worker_id: p.workerId, display_name: p.name, email: null, aad_object_id: p.aadObjectId, role: p.role }).execute();
  }
}

const asUser = (p: PlaygroundPerson) => {
  const [givenName, surname] = p.name.split(' ');
  const email = `${givenName.toLowerCase()}@playground.example`;
  return { id: p.id, name: p.name, userPrincipleName: email, aadObjectId: p.aadObjectId, givenName, surname, email };
};

/**
 * A Playground configuration (JSON is YAML): one session acts as `me`; the
 * group chat and the team hold `me` and exactly five `others` (the
 * Playground's schema asks for five; with fewer it exits quietly, the reason
 * only in devTools/m365agentsplayground.log).
 */
export function writePlaygroundConfig(path: string, me: PlaygroundPerson, others: readonly PlaygroundPerson[]): void {
  if (others.length !== 5) throw new Error(`the Playground needs exactly five users besides the current one, not ${others.length}`);
  const config = {
    version: '0.1.1',
    tenantId: '00000000-0000-4000-8000-000000000100',
    bot: { id: '00000000-0000-4000-8000-000000000101', name: BOT_NAME },
    currentUser: asUser(me),
    users: others.map(asUser),
    personalChat: { id: 'pg-personal-chat' },
    groupChat: GROUP_CHAT,
    team: { id: 'pg-team', name: 'Think Family', aadGroupId: '00000000-0000-4000-8000-000000000102', channels: [CHANNEL] },
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
}
