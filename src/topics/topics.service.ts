import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, Page, toPage } from '../common/pagination/pagination';
import { isUniqueViolation } from '../database/pg-errors';
import { CreateTopicRequestDto, ListTopicsQueryDto, TopicListItemDto, TopicResponseDto } from './dto/topic.dto';
import { TopicExists, TopicNotFound, UnknownParentTopics } from './topics.exception';
import { TopicsRepository } from './topics.repository';

@Injectable()
export class TopicsService {
  constructor(
    private readonly repo: TopicsRepository,
    private readonly dataSource: DataSource,
  ) {}

  async list(query: ListTopicsQueryDto): Promise<Page<TopicListItemDto>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor, ['int', 'text']);
    let parentId: number | undefined;
    if (query.parent !== undefined) {
      const id = await this.repo.findIdBySlug(query.parent);
      if (id === null) throw new TopicNotFound(query.parent);
      parentId = id;
    }
    const rows = await this.repo.list({ q: query.q, parentId, after: after ?? undefined, limit: limit + 1 });
    return toPage(
      rows,
      limit,
      (r) => ({ slug: r.slug, name: r.name, parents: r.parents }),
      (r) => [r.rank, r.slug],
    );
  }

  async get(slug: string): Promise<TopicResponseDto> {
    const t = await this.repo.get(slug);
    if (!t) throw new TopicNotFound(slug);
    return t;
  }

  /** Internal id of a topic known to exist (other contexts store topic ids, never slugs). */
  async idOf(slug: string): Promise<number> {
    const id = await this.repo.findIdBySlug(slug);
    if (id === null) throw new TopicNotFound(slug);
    return id;
  }

  /** Every topic (id, slug, name, parent slugs), for matching text against the ontology. */
  vocabulary(): Promise<{ id: number; slug: string; name: string; parents: string[] }[]> {
    return this.repo.vocabulary();
  }

  /** Existing topics among `slugs`, for other contexts (campaign targeting, signals). */
  async missingSlugs(slugs: string[]): Promise<string[]> {
    return this.repo.missing(slugs);
  }

  async create(dto: CreateTopicRequestDto): Promise<TopicResponseDto> {
    const parents = dto.parents ?? [];
    await this.dataSource.transaction(async (manager) => {
      const missing = await this.repo.missing(parents, manager);
      if (missing.length) throw new UnknownParentTopics(missing);
      try {
        await this.repo.insert(manager, dto.slug, dto.name, parents);
      } catch (err) {
        if (isUniqueViolation(err)) throw new TopicExists(dto.slug);
        throw err;
      }
    });
    return this.get(dto.slug);
  }
}
