import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, CurrentBrandId } from '../common/auth/auth.decorators';
import { Can } from '../common/auth/permissions';
import { PageQueryDto } from '../common/pagination/pagination';
import { ApiProblems } from '../common/problem/problem.dto';
import { AuditLog } from './audit.service';
import { AuditPageDto } from './dto/audit.dto';

@ApiTags('audit')
@Controller('v1/brands/me/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @Auth('brand')
  @Can('audit.read')
  @ApiOperation({ summary: 'Changes made to the brand’s objects, newest first: who, when, what, which fields' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiProblems(400, 401, 403, 429)
  list(@CurrentBrandId() brandId: string, @Query() q: PageQueryDto): Promise<AuditPageDto> {
    return this.audit.list(brandId, q);
  }
}
