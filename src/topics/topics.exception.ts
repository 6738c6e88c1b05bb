import { AppException } from '../common/problem/app.exception';

export class TopicNotFound extends AppException {
  constructor(slug: string) {
    super('not_found', `Topic "${slug}" not found`);
  }
}

export class TopicExists extends AppException {
  constructor(slug: string) {
    super('conflict', `Topic "${slug}" already exists`);
  }
}

export class UnknownParentTopics extends AppException {
  constructor(slugs: string[]) {
    super(
      'unprocessable',
      `Unknown parent topic(s): ${slugs.join(', ')}`,
      slugs.map((s) => ({ field: 'parents', message: `unknown topic "${s}"` })),
    );
  }
}
