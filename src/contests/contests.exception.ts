import { AppException } from '../common/problem/app.exception';

export class ContestNotFound extends AppException {
  constructor() {
    super('not_found', 'Contest not found');
  }
}

export class ContestAlreadyResolved extends AppException {
  constructor(status: string) {
    super('conflict', `This contest is already ${status}`);
  }
}

export class ContestAlreadyOpen extends AppException {
  constructor() {
    super('conflict', 'You already have an open contest about this; wait for its answer');
  }
}

export class ContestNotApplicable extends AppException {
  constructor(field: string, message: string) {
    super('unprocessable', message, [{ field, message }]);
  }
}

export class VerdictNotFound extends AppException {
  constructor() {
    super('not_found', 'No confirmed fraud verdict about you has this id');
  }
}
