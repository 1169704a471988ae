/**
 * Why a step was decided the way it was. The order of the rejection rules is DESIGN.md's.
 * NOT_RECORDED is ours: an accepted selection whose durable write failed is never shown as accepted.
 */
export const REASONS = [
  'ACCEPTED',
  'UNKNOWN_BADGE',
  'UNKNOWN_CODE',
  'NOT_YET_ACTIVE',
  'EXPIRED',
  'WRONG_PARENT',
  'RESTRICTED',
  'NO_USAGE',
  'CACHE_EMPTY',
  'TIMEOUT',
  'CANCELLED',
  'BAD_INPUT',
  'NOT_RECORDED',
] as const;

export type Reason = (typeof REASONS)[number];
export type RejectReason = Exclude<Reason, 'ACCEPTED'>;

/** Short texts for a terminal display (16–20 columns); explanations carry the detail. */
export const REASON_TEXT: Readonly<Record<Reason, string>> = {
  ACCEPTED: 'Accepted',
  UNKNOWN_BADGE: 'Unknown badge',
  UNKNOWN_CODE: 'Unknown code',
  NOT_YET_ACTIVE: 'Not yet active',
  EXPIRED: 'Expired',
  WRONG_PARENT: 'Wrong parent',
  RESTRICTED: 'Not allowed here',
  NO_USAGE: 'Not allowed for you',
  CACHE_EMPTY: 'Not synced yet',
  TIMEOUT: 'Timed out',
  CANCELLED: 'Cancelled',
  BAD_INPUT: 'Bad input',
  NOT_RECORDED: 'Not saved, retry',
};
