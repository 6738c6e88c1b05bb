import { AppException } from '../common/problem/app.exception';

export class UnderAge extends AppException {
  constructor() {
    super('unprocessable', 'You must be 18 or older to join Sway', [
      { field: 'dateOfBirth', message: 'must be at least 18 years before today' },
    ]);
  }
}

export class EmailTaken extends AppException {
  constructor() {
    super('conflict', 'An account with this email already exists', [{ field: 'email', message: 'already registered' }]);
  }
}

export class BadCredentials extends AppException {
  constructor() {
    super('unauthenticated', 'Wrong email or password');
  }
}

export class SocialAccountTaken extends AppException {
  constructor() {
    super('conflict', 'This account is already linked to a Sway member', [
      { field: 'externalId', message: 'already linked' },
    ]);
  }
}

export class SocialAccountNotFound extends AppException {
  constructor() {
    super('not_found', 'Social account not found');
  }
}
