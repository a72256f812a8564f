import { AnnotationRepo } from './annotation-repo'
import { ArtifactRepo } from './artifact-repo'
import { type Db, type OpenOptions, openDatabase } from './db'
import { KnownHostRepo } from './known-host-repo'
import { LogRepo } from './log-repo'
import { ProvisionRepo } from './provision-repo'
import { RunRepo } from './run-repo'

/** The history store: one database, one repository per entity. */
export class Store {
  readonly runs: RunRepo
  readonly artifacts: ArtifactRepo
  readonly annotations: AnnotationRepo
  readonly knownHosts: KnownHostRepo
  readonly logs: LogRepo
  readonly provisions: ProvisionRepo

  private constructor(readonly db: Db, readonly file: string) {
    this.runs = new RunRepo(db)
    this.artifacts = new ArtifactRepo(db)
    this.annotations = new AnnotationRepo(db)
    this.knownHosts = new KnownHostRepo(db)
    this.logs = new LogRepo(db)
    this.provisions = new ProvisionRepo(db)
  }

  static open(file: string, options?: OpenOptions): Store {
    return new Store(openDatabase(file, options), file)
  }

  /** Runs `fn` in one transaction; `fn` must be synchronous. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)()
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
