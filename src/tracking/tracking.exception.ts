import { AppException } from '../common/problem/app.exception';

export class TrackingLinkNotFound extends AppException {
  constructor() {
    super('not_found', 'No tracking link has this code');
  }
}

export class ConversionConflict extends AppException {
  constructor(orderId: string) {
    super(
      'conflict',
      `Order ${orderId} was already reported with a different amount or currency; report a change as a new order or a refund`,
    );
  }
}

export class ConversionsInvalid extends AppException {
  constructor(errors: { field: string; message: string }[]) {
    super('validation_failed', `${errors.length} field(s) failed validation`, errors);
  }
}
