import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../api/problems';
import {
  createSession,
  endSession,
  loadSession,
  refreshDelayMs,
  renewSession,
  retryRefreshMs,
  sessionKey,
  type Session,
} from './session';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'ready'; session: Session }
  | { kind: 'error'; message: string };

/**
 * The user of this browser: the remembered one, or a new one created on first load and on log out. Its bearer token
 * lasts hours: it is renewed shortly before it expires (and before anything is shown, if it already has).
 */
export function useSession() {
  const [state, setState] = useState<SessionState>(() => {
    const stored = loadSession();
    return stored && refreshDelayMs(stored) > 0 ? { kind: 'ready', session: stored } : { kind: 'loading' };
  });
  const current = useRef<Session | null>(null);
  current.current = state.kind === 'ready' ? state.session : null;

  const startNew = useCallback(async () => {
    setState({ kind: 'loading' });
    await endSession(current.current ?? loadSession());
    try {
      setState({ kind: 'ready', session: await createSession() });
    } catch (error) {
      setState({ kind: 'error', message: messageOf(error, 'Could not create your account.') });
    }
  }, []);

  const renew = useCallback(async (session: Session) => {
    const renewed = await renewSession(session);
    if (renewed) setState({ kind: 'ready', session: renewed });
    else await startNew(); // the server ended the session: this browser's user is gone
  }, [startNew]);

  useEffect(() => {
    if (state.kind !== 'loading') return;
    const stored = loadSession();
    if (!stored) void startNew();
    else renew(stored).catch(() => setState({ kind: 'ready', session: stored }));
    // Only on mount: later starts are explicit (log out, retry).
  }, []);

  const session = state.kind === 'ready' ? state.session : null;
  useEffect(() => {
    if (!session) return;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = (delay: number) => {
      timer = setTimeout(() => renew(session).catch(() => schedule(retryRefreshMs)), delay);
    };
    schedule(refreshDelayMs(session));
    return () => clearTimeout(timer);
  }, [session, renew]);

  // Another tab logged out, started a session or renewed its token: follow it, so every tab shows the same user.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key !== sessionKey && event.key !== null) return;
      const stored = loadSession();
      if (stored) setState({ kind: 'ready', session: stored });
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  return { state, startNew };
}
