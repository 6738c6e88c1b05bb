import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseUrl } from '../config/config';
import { typeOrmOptions } from './typeorm.options';

/** Used by the TypeORM CLI (`npm run db:migration:generate`) and `npm run db:migrate`. */
export default new DataSource(typeOrmOptions(loadDatabaseUrl(), { applicationName: 'sway-cli', poolSize: 2 }));
