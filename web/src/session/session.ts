import { api } from '../api/client';

export interface Session {
  userId: string;
  token: string;
}

export const sessionKey = 'shop.session';

export function loadSession(storage: Storage = localStorage): Session | null {
  try {
    const value = JSON.parse(storage.getItem(sessionKey) ?? 'null') as Partial<Session> | null;
    return value && typeof value.userId === 'string' && typeof value.token === 'string'
      ? { userId: value.userId, token: value.token }
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

let creating: Promise<Session> | null = null;

/** Creates a new user and remembers it; concurrent callers (e.g. React's strict-mode double effects) share one. */
export function createSession(): Promise<Session> {
  creating ??= api
    .createAccount()
    .then((account) => {
      const session = { userId: account.userId, token: account.token };
      saveSession(session);
      return session;
    })
    .finally(() => {
      creating = null;
    });
  return creating;
}
