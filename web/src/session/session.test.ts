import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/problems';
import type { SessionTokens } from '../api/types';
import { endSession, loadSession, refreshDelayMs, refreshMarginMs, renewSession, saveSession, type RenewDeps, type Session } from './session';

class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const now = Date.parse('2026-12-03T12:00:00Z');
const inMinutes = (minutes: number) => new Date(now + minutes * 60_000).toISOString();

function session(userId = 'alice', expiresInMinutes = 60, refreshToken = 'refresh-1'): Session {
  return { userId, token: `token-${expiresInMinutes}`, tokenExpiresAt: inMinutes(expiresInMinutes), refreshToken };
}

function tokens(expiresInMinutes: number, refreshToken: string): SessionTokens {
  return { token: `token-${expiresInMinutes}`, tokenExpiresAt: inMinutes(expiresInMinutes), refreshToken, refreshTokenExpiresAt: inMinutes(43_200) };
}

function deps(refresh: RenewDeps['refresh'], storage = new MemoryStorage()): RenewDeps & { storage: MemoryStorage } {
  let queue = Promise.resolve<unknown>(undefined);
  return {
    storage,
    refresh,
    exclusive: <T>(work: () => Promise<T>) => {
      const run = queue.then(work);
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

describe('when to refresh', () => {
  it('renews a bearer token shortly before it expires', () => {
    expect(refreshDelayMs(session('alice', 60), now)).toBe(60 * 60_000 - refreshMarginMs);
  });

  it('renews at once a token that is about to lapse or already has', () => {
    expect(refreshDelayMs(session('alice', 2), now)).toBe(0);
    expect(refreshDelayMs(session('alice', -120), now)).toBe(0);
  });
});

describe('renewing a session', () => {
  it('sends the refresh token and remembers the new tokens of the same user', async () => {
    const refresh = vi.fn(() => Promise.resolve(tokens(120, 'refresh-2')));
    const d = deps(refresh);
    saveSession(session(), d.storage);

    const renewed = await renewSession(session(), d);

    expect(refresh).toHaveBeenCalledWith('refresh-1');
    expect(renewed).toEqual({ userId: 'alice', token: 'token-120', tokenExpiresAt: inMinutes(120), refreshToken: 'refresh-2' });
    expect(loadSession(d.storage)).toEqual(renewed);
  });

  it('asks the server once when two tabs renew together: the second takes the first one\'s tokens', async () => {
    const refresh = vi.fn(() => Promise.resolve(tokens(120, 'refresh-2')));
    const d = deps(refresh);
    saveSession(session(), d.storage);

    const [first, second] = await Promise.all([renewSession(session(), d), renewSession(session(), d)]);

    expect(refresh).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
  });

  it('gives null when the server ended the session (logged out or unused too long)', async () => {
    const d = deps(() => Promise.reject(new ApiError('Your session is no longer valid.', 401)));

    expect(await renewSession(session(), d)).toBeNull();
  });

  it('throws a failure that may pass, so the caller tries again', async () => {
    const d = deps(() => Promise.reject(new ApiError('The service is temporarily unavailable.', 503)));

    await expect(renewSession(session(), d)).rejects.toThrow(ApiError);
  });

  it('follows another tab that moved the browser on to another user', async () => {
    const refresh = vi.fn(() => Promise.resolve(tokens(120, 'refresh-2')));
    const d = deps(refresh);
    saveSession(session('bob'), d.storage);

    expect(await renewSession(session('alice'), d)).toEqual(session('bob'));
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('logging out', () => {
  it('ends the session on the server with its bearer token and forgets it here', async () => {
    const storage = new MemoryStorage();
    saveSession(session(), storage);
    const logOut = vi.fn(() => Promise.resolve());

    await endSession(session(), logOut, storage);

    expect(logOut).toHaveBeenCalledWith('token-60');
    expect(loadSession(storage)).toBeNull();
  });

  it('forgets the session here even when the server cannot be told', async () => {
    const storage = new MemoryStorage();
    saveSession(session(), storage);

    await endSession(session(), async () => Promise.reject(new ApiError('unreachable', 0)), storage);

    expect(loadSession(storage)).toBeNull();
  });
});

describe('a remembered session', () => {
  it('from before refresh tokens is not a session: the browser starts a new one', () => {
    const storage = new MemoryStorage();
    storage.setItem('shop.session', JSON.stringify({ userId: 'alice', token: 'a-30-day-token' }));

    expect(loadSession(storage)).toBeNull();
  });
});
