import { useCallback, useEffect, useState } from 'react';
import { messageOf } from '../api/problems';
import { createSession, forgetSession, loadSession, sessionKey, type Session } from './session';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'ready'; session: Session }
  | { kind: 'error'; message: string };

/** The user of this browser: the remembered one, or a new one created on first load and on log out. */
export function useSession() {
  const [state, setState] = useState<SessionState>(() => {
    const stored = loadSession();
    return stored ? { kind: 'ready', session: stored } : { kind: 'loading' };
  });

  const startNew = useCallback(async () => {
    forgetSession();
    setState({ kind: 'loading' });
    try {
      setState({ kind: 'ready', session: await createSession() });
    } catch (error) {
      setState({ kind: 'error', message: messageOf(error, 'Could not create your account.') });
    }
  }, []);

  useEffect(() => {
    if (state.kind === 'loading' && !loadSession()) void startNew();
    // Only on mount: later starts are explicit (log out, retry).
  }, []);

  // Another tab logged out or started a session: follow it, so every tab shows the same user.
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
