import { AppException } from '../common/problem/app.exception';

export class OfferNotFound extends AppException {
  constructor() {
    super('not_found', 'Offer not found');
  }
}

export class OfferExpired extends AppException {
  constructor() {
    super('gone', 'This offer has expired');
  }
}

export class OfferNotPending extends AppException {
  constructor(status: string) {
    super('conflict', `This offer is ${status}`);
  }
}
