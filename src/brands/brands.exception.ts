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

export class BrandEmailTaken extends AppException {
  constructor() {
    super('conflict', 'A brand with this email already exists', [{ field: 'email', message: 'already registered' }]);
  }
}
