import { TokenPolicy } from '../../api';

/**
 * Why a token lifetime the user typed cannot be used, or undefined when it
 * can: whole days, at least one, at most what the portal allows.
 */
export function expiryProblem(
  days: string,
  policy: TokenPolicy,
): string | undefined {
  const value = Number(days);
  if (days.trim() === '' || !Number.isInteger(value) || value < 1) {
    return 'Enter a whole number of days, at least 1';
  }
  if (value > policy.maxDays) {
    return `Tokens live at most ${policy.maxDays} days; enter ${policy.maxDays} or fewer`;
  }
  return undefined;
}

/** The day a token issued now for `days` days expires, e.g. "14 Sep 2025". */
export function expiryDate(days: number, now: number = Date.now()): string {
  return new Date(now + days * 24 * 60 * 60 * 1000).toLocaleDateString(
    'en-GB',
    { day: 'numeric', month: 'short', year: 'numeric' },
  );
}
