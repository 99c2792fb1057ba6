import type { StreamStatus } from '../orders/orderStream';

const labels: Record<StreamStatus['kind'], string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Offline',
};

/** Whether live updates are flowing; screen readers hear when that changes. */
export function ConnectionIndicator({ status }: { status: StreamStatus }) {
  const detail = status.kind === 'reconnecting' || status.kind === 'stopped' ? status.message : undefined;
  return (
    <div className={`connection connection--${status.kind}`} role="status" data-state={status.kind} title={detail}>
      <span className="connection__dot" aria-hidden="true" />
      <span>
        <span className="visually-hidden">Live updates: </span>
        {labels[status.kind]}
      </span>
    </div>
  );
}
