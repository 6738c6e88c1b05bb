import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/pagination';

export class ListTopicsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Case-insensitive match on name or slug; exact and prefix matches first',
    example: 'coffee',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  q?: string;

  @ApiPropertyOptional({ description: "List this topic's children", example: 'food-and-drink-super' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  parent?: string;
}

export class TopicSlugParamDto {
  @IsString()
  @Length(1, 100)
  slug!: string;
}

export class CreateTopicRequestDto {
  @ApiProperty({ example: 'cold-brew', description: 'lower-case words joined by hyphens' })
  @IsString()
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'slug must be lower-case letters and digits joined by hyphens' })
  @MaxLength(100)
  slug!: string;

  @ApiProperty({ example: 'Cold Brew' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ type: [String], example: ['coffee'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  parents?: string[];
}

export class TopicListItemDto {
  @ApiProperty({ example: 'coffee' }) slug!: string;
  @ApiProperty({ example: 'Coffee' }) name!: string;
  @ApiProperty({ type: [String], example: ['beverages'] }) parents!: string[];
}

export class TopicResponseDto extends TopicListItemDto {
  @ApiProperty({ type: [String], example: ['espresso'] }) children!: string[];
}

export class TopicPageDto {
  @ApiProperty({ type: [TopicListItemDto] }) data!: TopicListItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
