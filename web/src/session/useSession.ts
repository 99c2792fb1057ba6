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
  // What this browser remembered at the first render: a session to use as it is, one to renew first, or none.
  const [boot] = useState(() => {
    const stored = loadSession();
    return { stored, usable: !!stored && refreshDelayMs(stored) > 0 };
  });
  const [state, setState] = useState<SessionState>(() =>
    boot.stored && boot.usable ? { kind: 'ready', session: boot.stored } : { kind: 'loading' },
  );
  const current = useRef<Session | null>(null);
  useEffect(() => {
    current.current = state.kind === 'ready' ? state.session : null;
  }, [state]);

  /** Ends the current session (if any) and creates a new user: the state to show then. */
  const create = useCallback(async (): Promise<SessionState> => {
    await endSession(current.current ?? loadSession());
    try {
      return { kind: 'ready', session: await createSession() };
    } catch (error) {
      return { kind: 'error', message: messageOf(error, 'Could not create your account.') };
    }
  }, []);

  const startNew = useCallback(async () => {
    setState({ kind: 'loading' });
    setState(await create());
  }, [create]);

  /** The state after renewing the token: the same user, or a new one when the server ended the session. */
  const renew = useCallback(
    async (session: Session): Promise<SessionState> => {
      const renewed = await renewSession(session);
      return renewed ? { kind: 'ready', session: renewed } : create();
    },
    [create],
  );

  // Only for what the first render found: later starts are explicit (log out, retry), renewals scheduled below.
  useEffect(() => {
    const { stored, usable } = boot;
    if (!stored) void create().then(setState);
    else if (!usable) renew(stored).then(setState, () => setState({ kind: 'ready', session: stored }));
  }, [boot, create, renew]);

  const session = state.kind === 'ready' ? state.session : null;
  useEffect(() => {
    if (!session) return;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = (delay: number) => {
      timer = setTimeout(() => void renew(session).then(setState, () => schedule(retryRefreshMs)), delay);
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
