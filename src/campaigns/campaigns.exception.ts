import { AppException, FieldError } from '../common/problem/app.exception';
import { CampaignStatus, wrongStateMessage } from './campaign-status';

/** Also the answer for another brand's campaign: its existence is never revealed. */
export class CampaignNotFound extends AppException {
  constructor() {
    super('not_found', 'Campaign not found');
  }
}

/** 409 naming the state found; `errors` carries it machine-readably as the `status` field. */
export class CampaignInWrongState extends AppException {
  constructor(
    action: string,
    readonly currentStatus: CampaignStatus,
    allowed: readonly CampaignStatus[],
  ) {
    super('conflict', wrongStateMessage(action, currentStatus, allowed), [
      { field: 'status', message: `is ${currentStatus}; ${action} needs ${allowed.join(' or ')}` },
    ]);
  }
}

export class CampaignEnded extends AppException {
  constructor(action: string, endsAt: Date) {
    super('conflict', `Cannot ${action} a campaign that ended at ${endsAt.toISOString()}`, [
      { field: 'endsAt', message: `passed at ${endsAt.toISOString()}` },
    ]);
  }
}

export class UnknownTargetingTopics extends AppException {
  constructor(missing: { index: number; slug: string }[]) {
    super(
      'unprocessable',
      `Unknown topic(s): ${missing.map((m) => m.slug).join(', ')}`,
      missing.map((m) => ({ field: `targeting.topics[${m.index}].slug`, message: `unknown topic "${m.slug}"` })),
    );
  }
}

export class InvalidCampaignDates extends AppException {
  constructor(errors: FieldError[]) {
    super('unprocessable', errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
  }
}
