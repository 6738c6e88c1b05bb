import { AppException } from '../common/problem/app.exception';

export class SessionBadCredentials extends AppException {
  constructor() {
    super('unauthenticated', 'Wrong email or password');
  }
}

export class SessionAccountLocked extends AppException {
  constructor(retryAfterSeconds: number) {
    super('rate_limited', `Too many failed sign-ins for this account; try again in ${retryAfterSeconds} s`, undefined, {
      'retry-after': String(retryAfterSeconds),
    });
  }
}

export class SessionKindUnavailable extends AppException {
  constructor(kind: string) {
    super('unprocessable', `Browser sign-in for "${kind}" accounts is not available`, [
      { field: 'kind', message: 'not available' },
    ]);
  }
}

export class NoBrowserSession extends AppException {
  constructor() {
    super('unauthenticated', 'No browser session: sign in first');
  }
}

export class SessionNotFound extends AppException {
  constructor() {
    super('not_found', 'Session not found');
  }
}
