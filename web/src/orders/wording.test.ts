import { describe, expect, it } from 'vitest';
import { formatMoney, reasonText, statusLabel } from './wording';

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
    expect(statusLabel({ status: 'payment_failed', failureReason: 'insufficient_funds' })).toBe('Payment failed: Insufficient funds');
    expect(statusLabel({ status: 'created', failureReason: null })).toBe('Awaiting payment');
  });

  it('formats money with its currency', () => {
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
  });
});
