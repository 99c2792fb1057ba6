import { api } from '../api/client';
import { ApiError } from '../api/problems';
import type { SessionTokens } from '../api/types';

export interface Session {
  userId: string;
  token: string;
  tokenExpiresAt: string;
  refreshToken: string;
}

export const sessionKey = 'shop.session';

/** Renew this long before the bearer token expires, so no request goes out with a token about to lapse. */
export const refreshMarginMs = 5 * 60_000;

/** After a failed refresh that may pass (no answer, 503), try again this much later. */
export const retryRefreshMs = 30_000;

export function loadSession(storage: Storage = localStorage): Session | null {
  try {
    const value = JSON.parse(storage.getItem(sessionKey) ?? 'null') as Partial<Session> | null;
    return value &&
      typeof value.userId === 'string' &&
      typeof value.token === 'string' &&
      typeof value.tokenExpiresAt === 'string' &&
      typeof value.refreshToken === 'string'
      ? { userId: value.userId, token: value.token, tokenExpiresAt: value.tokenExpiresAt, refreshToken: value.refreshToken }
      : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session, storage: Storage = localStorage): void {
  storage.setItem(sessionKey, JSON.stringify(session));
}

export function forgetSession(storage: Storage = localStorage): void {
  storage.removeItem(sessionKey);
}

/** How long until the session's bearer token should be renewed; 0 when it is due (or past). */
export function refreshDelayMs(session: Session, now: number = Date.now()): number {
  return Math.max(0, Date.parse(session.tokenExpiresAt) - refreshMarginMs - now);
}

function withTokens(userId: string, tokens: SessionTokens): Session {
  return { userId, token: tokens.token, tokenExpiresAt: tokens.tokenExpiresAt, refreshToken: tokens.refreshToken };
}

export interface RenewDeps {
  storage: Storage;
  refresh: (refreshToken: string) => Promise<SessionTokens>;
  /** Runs one renewal at a time across the browser's tabs (they share the stored session). */
  exclusive: <T>(work: () => Promise<T>) => Promise<T>;
}

const browserDeps = (): RenewDeps => ({
  storage: localStorage,
  refresh: api.refreshSession,
  exclusive: <T>(work: () => Promise<T>) =>
    navigator.locks ? (navigator.locks.request('shop.session.refresh', work) as Promise<T>) : work(),
});

/**
 * The session with a fresh bearer token: another tab's renewal if it already made one, otherwise a new one from the
 * server (each refresh token works once, hence one renewal at a time). Null when the server ended the session
 * (logged out, or unused for longer than the refresh token lives); other failures throw, to be tried again.
 */
export function renewSession(session: Session, deps: RenewDeps = browserDeps()): Promise<Session | null> {
  return deps.exclusive(async () => {
    const stored = loadSession(deps.storage);
    // Another tab renewed it already, or moved this browser on to another user: follow the tab.
    if (stored && (stored.userId !== session.userId || Date.parse(stored.tokenExpiresAt) > Date.parse(session.tokenExpiresAt))) {
      return stored;
    }
    try {
      const renewed = withTokens(session.userId, await deps.refresh((stored ?? session).refreshToken));
      saveSession(renewed, deps.storage);
      return renewed;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  });
}

/** Logs out on the server (best effort: a session that cannot be ended there still ends here) and forgets it. */
export async function endSession(
  session: Session | null,
  logOut: (token: string) => Promise<void> = api.logOut,
  storage: Storage = localStorage,
): Promise<void> {
  forgetSession(storage);
  if (!session) return;
  try {
    await logOut(session.token);
  } catch {
    // Already ended, expired or unreachable: nothing more this browser can do.
  }
}

let creating: Promise<Session> | null = null;

/** Creates a new user and remembers it; concurrent callers (e.g. React's strict-mode double effects) share one. */
export function createSession(): Promise<Session> {
  creating ??= api
    .createAccount()
    .then((account) => {
      const session = withTokens(account.userId, account);
      saveSession(session);
      return session;
    })
    .finally(() => {
      creating = null;
    });
  return creating;
}
