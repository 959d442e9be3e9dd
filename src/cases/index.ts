import { type Config } from '../config';
import { type CaseDatabase, defaultSqliteFile, openCaseDatabase } from './database';
import { SqlCaseStore } from './sql-case-store';

export { CaseNotFoundError, CrossGuildLinkError } from './errors';
export { SqlCaseStore } from './sql-case-store';
export { type CaseDatabase, openCaseDatabase, defaultSqliteFile } from './database';

export interface OpenedCaseStore {
  store: SqlCaseStore;
  database: CaseDatabase;
  close(): Promise<void>;
}

/** The case store from config: PostgreSQL with DATABASE_URL, else SQLite at `<FLEXCORD_DATA_DIR>/cases.db`. */
export async function openCaseStore(config: Config): Promise<OpenedCaseStore> {
  const database = await openCaseDatabase({
    databaseUrl: config.cases.databaseUrl,
    sqliteFile: defaultSqliteFile(config.dataDir),
  });
  return { store: new SqlCaseStore(database.db), database, close: () => database.close() };
}
