import { describe, expect, it } from 'vitest';
import { canCancel, detailText, formatMoney, reasonText, statusLabel } from './wording';

describe('failure reasons in plain words', () => {
  it.each([
    ['insufficient_funds', 'Insufficient funds'],
    ['account_not_found', 'Account not found'],
    ['card_expired', 'Card expired'],
    ['SOME-NEW_reason', 'Some new reason'],
    [null, ''],
    ['', ''],
  ])('%s reads as "%s"', (code, text) => {
    expect(reasonText(code)).toBe(text);
  });

  it('never shows a code in a status', () => {
    expect(statusLabel({ status: 'payment_failed', failureReason: 'insufficient_funds', cancelReason: null })).toBe('Payment failed: Insufficient funds');
    expect(statusLabel({ status: 'created', failureReason: null, cancelReason: null })).toBe('Awaiting payment');
  });

  it('says why an order was cancelled and that its money came back', () => {
    expect(statusLabel({ status: 'cancelled', failureReason: null, cancelReason: 'cancelled_by_user' })).toBe('Cancelled: Cancelled by you');
    expect(statusLabel({ status: 'cancelled', failureReason: null, cancelReason: 'expired' })).toBe('Cancelled: Not paid in time');
    expect(detailText({ status: 'refunded', failureReason: null, cancelReason: 'cancelled_by_user' })).toBe('Cancelled by you, money returned');
    expect(detailText({ status: 'refunded', failureReason: null, cancelReason: null })).toBe('Money returned');
    expect(detailText({ status: 'paid', failureReason: null, cancelReason: null })).toBe('');
  });

  it.each([
    ['created', true],
    ['paid', true],
    ['payment_failed', false],
    ['cancelled', false],
    ['refunded', false],
  ] as const)('a %s order can be cancelled: %s', (status, cancellable) => {
    expect(canCancel({ status })).toBe(cancellable);
  });

  it('formats money with its currency', () => {
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
  });
});
