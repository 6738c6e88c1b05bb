import { AppException } from '../common/problem/app.exception';

export class FraudSignalNotFound extends AppException {
  constructor() {
    super('not_found', 'Fraud signal not found');
  }
}
