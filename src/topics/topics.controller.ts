import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, PUBLIC } from '../common/auth/auth.decorators';
import { Idempotent } from '../common/idempotency/idempotency.interceptor';
import { Page } from '../common/pagination/pagination';
import { ApiProblems } from '../common/problem/problem.dto';
import {
  CreateTopicRequestDto,
  ListTopicsQueryDto,
  TopicListItemDto,
  TopicPageDto,
  TopicResponseDto,
  TopicSlugParamDto,
} from './dto/topic.dto';
import { TopicsService } from './topics.service';

@ApiTags('topics')
@Controller('v1/topics')
export class TopicsController {
  constructor(private readonly topics: TopicsService) {}

  @Get()
  @Auth(PUBLIC)
  @ApiOperation({ summary: 'Search or browse the Klout Topic Ontology' })
  @ApiOkResponse({ type: TopicPageDto })
  @ApiProblems(400, 404, 429)
  list(@Query() query: ListTopicsQueryDto): Promise<Page<TopicListItemDto>> {
    return this.topics.list(query);
  }

  @Get(':slug')
  @Auth(PUBLIC)
  @ApiOperation({ summary: 'One topic with its parents and children' })
  @ApiOkResponse({ type: TopicResponseDto })
  @ApiProblems(404, 429)
  get(@Param() params: TopicSlugParamDto): Promise<TopicResponseDto> {
    return this.topics.get(params.slug);
  }

  @Post()
  @Auth('admin')
  @Idempotent()
  @ApiOperation({ summary: 'Add a topic (admin)' })
  @ApiCreatedResponse({ type: TopicResponseDto })
  @ApiProblems(400, 401, 403, 409, 422, 429)
  create(@Body() dto: CreateTopicRequestDto): Promise<TopicResponseDto> {
    return this.topics.create(dto);
  }
}
