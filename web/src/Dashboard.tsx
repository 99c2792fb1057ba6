import { useEffect, useState } from 'react';
import { AccountPanel } from './account/AccountPanel';
import { useAccount } from './account/useAccount';
import { OrdersPanel } from './orders/OrdersPanel';
import { useOrders } from './orders/useOrders';
import type { Session } from './session/session';
import { ConnectionIndicator } from './ui/ConnectionIndicator';
import { Notices, useNotices } from './ui/Notices';

interface Props {
  session: Session;
  onLogOut: () => Promise<void>;
}

export function Dashboard({ session, onLogOut }: Props) {
  const notices = useNotices();
  const [expired, setExpired] = useState<string | null>(null);
  // Both hooks keep the callback in a ref, so the state setter can be passed as it is.
  const account = useAccount(session, setExpired);
  const orders = useOrders(session, setExpired);
  const { refresh } = account;

  // A payment took money from the account: read the balance again (coalesced, so a replay burst is one or two reads).
  const payments = orders.state.payments;
  useEffect(() => {
    if (payments > 0) void refresh();
  }, [payments, refresh]);

  return (
    <div className="shell">
      {!expired && (
        // Its target, the orders' heading, is shown only with a session that works.
        <a className="skip-link" href="#orders-heading">
          Skip to orders
        </a>
      )}
      <header className="topbar">
        <h1 className="brand">Shop</h1>
        <div className="topbar__end">
          <ConnectionIndicator status={orders.stream} />
          <button type="button" className="button button--ghost" onClick={() => void onLogOut()}>
            Log out
          </button>
        </div>
      </header>
      <main className="main" id="main">
        {expired ? (
          // Nothing else works with this session: one message, one way on, instead of an error in every panel.
          <div className="banner" role="alert">
            <p>{expired} Start a new session to carry on.</p>
            <button type="button" className="button" onClick={() => void onLogOut()}>
              Start a new session
            </button>
          </div>
        ) : (
          <>
            <Notices notices={notices.items} onDismiss={notices.dismiss} />
            <AccountPanel
              userId={session.userId}
              account={account.account}
              error={account.error}
              busy={account.toppingUp}
              onTopUp={async () => notices.report(await account.topUp())}
              onRetry={() => void refresh()}
            />
            <OrdersPanel
              orders={orders}
              onPlace={async () => notices.report(await orders.placeOrder())}
              onCancel={async (order) => notices.report(await orders.cancelOrder(order))}
            />
          </>
        )}
      </main>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcer">
        {orders.state.announcement}
      </div>
    </div>
  );
}
