import { AppException } from '../common/problem/app.exception';

export class ReportCampaignNotFound extends AppException {
  constructor() {
    super('not_found', 'Campaign not found');
  }
}
