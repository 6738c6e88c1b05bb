import { AppException, FieldError } from '../common/problem/app.exception';

export class ScoreRunNotFound extends AppException {
  constructor() {
    super('not_found', 'Scoring run not found');
  }
}

export class InvalidSignals extends AppException {
  constructor(errors: FieldError[]) {
    super('validation_failed', `${errors.length} field(s) failed validation; nothing was stored`, errors);
  }
}

export class UnknownSignalTopics extends AppException {
  constructor(errors: FieldError[]) {
    super('unprocessable', 'Unknown topic slug(s); nothing was stored', errors);
  }
}

export class ContestActionRejected extends AppException {
  constructor(field: string, message: string) {
    super('unprocessable', 'An action of the resolution cannot be applied; nothing was changed', [{ field, message }]);
  }
}
