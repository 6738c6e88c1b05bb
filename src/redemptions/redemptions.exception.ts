import { AppException } from '../common/problem/app.exception';

export class CampaignNotClaimable extends AppException {
  constructor(reason: string) {
    super(
      'conflict',
      reason === 'sold_out' ? 'This perk is sold out' : `This campaign is ${reason} and cannot be claimed now`,
    );
  }
}

export class ShippingAddressRequired extends AppException {
  constructor() {
    super('unprocessable', 'This perk is shipped: add a shipping address (PATCH /v1/me) before claiming', [
      { field: 'shippingAddress', message: 'required for product perks' },
    ]);
  }
}

export class ClaimNotFound extends AppException {
  constructor() {
    super('not_found', 'Claim not found');
  }
}
