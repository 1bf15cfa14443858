import { describe, expect, it } from 'vitest';
import { ChatRosterCache, decideChatRoster, ROSTER_CACHE_MS, type RosterRead } from '../../bot/lookups/chat-roster.js';

describe('the chat roster cache (Teams roster reads kept within limits)', () => {
  it('reads Teams once per chat within 60 s, again after, and again at once after a member change', async () => {
    let clock = 1_000_000;
    let reads = 0;
    const cache = new ChatRosterCache(() => clock);
    const fetch = async (): Promise<RosterRead> => {
      reads++;
      return [{ aadObjectId: `aad-${reads}`, name: `Member ${reads}` }];
    };
    expect(await cache.read('chat-1', fetch)).toEqual([{ aadObjectId: 'aad-1', name: 'Member 1' }]);
    clock += ROSTER_CACHE_MS - 1;
    expect(await cache.read('chat-1', fetch)).toEqual([{ aadObjectId: 'aad-1', name: 'Member 1' }]);
    expect(reads).toBe(1);
    clock += 1;
    expect(await cache.read('chat-1', fetch)).toEqual([{ aadObjectId: 'aad-2', name: 'Member 2' }]);
    cache.forget('chat-1');
    expect(await cache.read('chat-1', fetch)).toEqual([{ aadObjectId: 'aad-3', name: 'Member 3' }]);
    expect(await cache.read('chat-2', fetch)).toEqual([{ aadObjectId: 'aad-4', name: 'Member 4' }]);
    expect(reads).toBe(4);
  });

  it('keeps no failed read: the next check asks Teams again', async () => {
    let reads = 0;
    const cache = new ChatRosterCache(() => 0);
    const fetch = async (): Promise<RosterRead> => (++reads === 1 ? { error: 'throttled' } : []);
    expect(await cache.read('chat-1', fetch)).toEqual({ error: 'throttled' });
    expect(await cache.read('chat-1', fetch)).toEqual([]);
    expect(await cache.read('chat-1', fetch)).toEqual([]);
    expect(reads).toBe(3);
  });

  it('allows nothing on an unreadable or empty roster, and names the members who may not read', () => {
    expect(decideChatRoster({ error: 'throttled' }, [], () => null, 'are staff').allowed).toBe(false);
    expect(decideChatRoster([], [], () => null, 'are staff').allowed).toBe(false);
    const members = [
      { name: 'Alex Chair', staff: null, role: 'chair' as const },
      { name: 'Guest Person', staff: null, role: null },
    ];
    const decision = decideChatRoster([{ aadObjectId: 'a', name: 'Alex Chair' }, { aadObjectId: null, name: 'Guest Person' }], members, (m) => (m.role ? null : `${m.name} is not in the staff list`), 'are staff');
    expect(decision).toEqual({ allowed: false, basis: 'chat members who may not read it: Guest Person is not in the staff list', blockers: ['Guest Person is not in the staff list'] });
  });
});
