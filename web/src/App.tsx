import { Dashboard } from './Dashboard';
import { useSession } from './session/useSession';

export function App() {
  const { state, startNew } = useSession();

  if (state.kind === 'ready') {
    // One dashboard per user: logging out mounts a fresh one, so nothing of the previous user survives.
    return <Dashboard key={state.session.userId} session={state.session} onLogOut={startNew} />;
  }

  return (
    <div className="shell">
      <header className="topbar">
        <h1 className="brand">Shop</h1>
      </header>
      <main className="main" id="main">
        {state.kind === 'loading' ? (
          <p className="card state" role="status">
            <span className="spinner" aria-hidden="true" /> Setting up your account…
          </p>
        ) : (
          <div className="card state" role="alert">
            <p>{state.message}</p>
            <button type="button" className="button" onClick={() => void startNew()}>
              Try again
            </button>
          </div>
        )}
      </main>
    </div>
  );
}
