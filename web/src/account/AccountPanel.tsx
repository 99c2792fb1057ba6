import type { Account } from '../api/types';
import { formatMoney } from '../orders/wording';
import { topUpAmount } from './useAccount';

interface Props {
  userId: string;
  account: Account | null;
  error: string | null;
  busy: boolean;
  onTopUp: () => Promise<void>;
  onRetry: () => void;
}

export function AccountPanel({ userId, account, error, busy, onTopUp, onRetry }: Props) {
  return (
    <section className="card account" aria-labelledby="account-heading">
      <h2 id="account-heading" className="card__title">
        Your account
      </h2>
      <dl className="account__facts">
        <div>
          <dt>User id</dt>
          <dd className="mono" data-testid="user-id">
            {userId}
          </dd>
        </div>
        <div>
          <dt>Balance</dt>
          <dd className="account__balance" aria-live="polite" aria-busy={account === null && !error} data-testid="balance">
            {account ? formatMoney(account.balance, account.currency) : error ? '—' : 'Loading…'}
          </dd>
        </div>
      </dl>
      {error && (
        <p className="inline-error" role="alert">
          {error}{' '}
          <button type="button" className="link-button" onClick={onRetry}>
            Retry
          </button>
        </p>
      )}
      <button type="button" className="button" onClick={() => void onTopUp()} disabled={busy} aria-busy={busy}>
        {busy ? 'Topping up…' : `Top up ${topUpAmount}`}
      </button>
    </section>
  );
}
