import { AppException, FieldError } from '../common/problem/app.exception';

export class WebhookEndpointNotFound extends AppException {
  constructor() {
    super('not_found', 'Webhook endpoint not found');
  }
}

export class WebhookDeliveryNotFound extends AppException {
  constructor() {
    super('not_found', 'Delivery not found');
  }
}

export class InvalidWebhookEndpoint extends AppException {
  constructor(errors: FieldError[]) {
    super('validation_failed', errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
  }
}

export class WebhookEndpointDisabled extends AppException {
  constructor() {
    super('conflict', 'This endpoint is disabled: enable it (PATCH status "enabled") first');
  }
}

export class TooManyWebhookEndpoints extends AppException {
  constructor(max: number) {
    super('unprocessable', `A brand can have at most ${max} webhook endpoints`);
  }
}

export class InvalidReplayWindow extends AppException {
  constructor(message: string) {
    super('unprocessable', message, [{ field: 'to', message }]);
  }
}
