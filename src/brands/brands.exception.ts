import { AppException } from '../common/problem/app.exception';

export class ApiKeyNotFound extends AppException {
  constructor() {
    super('not_found', 'API key not found');
  }
}

export class LastApiKey extends AppException {
  constructor() {
    super('conflict', 'This is the brand’s last active key; create another one before revoking it');
  }
}

export class StripeAccountTaken extends AppException {
  constructor() {
    super('conflict', 'This Stripe account is linked to another brand');
  }
}

export class StripeConnectNotConfigured extends AppException {
  constructor() {
    super(
      'unavailable',
      'Linking a Stripe account is not configured on this Sway (no Stripe key or Connect client id); ask the operator',
    );
  }
}

export class StripeConnectUnavailable extends AppException {
  constructor() {
    super('unavailable', 'Stripe did not answer in time; retry shortly with the same code', undefined, {
      'retry-after': '5',
    });
  }
}

export class StripeConnectStateInvalid extends AppException {
  constructor() {
    super('unprocessable', 'This state was not issued to this brand or has expired; start the link again', [
      { field: 'state', message: 'not issued to this brand, or expired' },
    ]);
  }
}

export class StripeConnectCodeRefused extends AppException {
  constructor() {
    super('unprocessable', 'Stripe did not accept this code (unknown, expired or already used); start the link again', [
      { field: 'code', message: 'refused by Stripe' },
    ]);
  }
}

export class StripeAccountMismatch extends AppException {
  constructor() {
    super('unprocessable', 'The code proves ownership of another Stripe account than the one given', [
      { field: 'accountId', message: 'is not the account that approved' },
    ]);
  }
}

export class BrandEmailTaken extends AppException {
  constructor() {
    super('conflict', 'A brand with this email already exists', [{ field: 'email', message: 'already registered' }]);
  }
}

export class KeyRoleTooHigh extends AppException {
  constructor(caller: string, role: string) {
    super('forbidden', `The ${caller} role cannot create or revoke ${role} keys`);
  }
}
