import { Global, Module } from '@nestjs/common';
import { MailService } from './mail.service';

/** Global so any context can send mail without importing a module of another context. */
@Global()
@Module({ providers: [MailService], exports: [MailService] })
export class MailModule {}
