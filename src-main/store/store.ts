// The history store: one database, one repository per entity. All SQL of the app lives in this
// folder; the layers above see repositories and domain types only.
import { AnnotationRepo } from './annotation-repo'
import { ArtifactRepo } from './artifact-repo'
import { CampaignRepo } from './campaign-repo'
import { type Db, type OpenOptions, openDatabase } from './db'
import { JournalRepo } from './journal-repo'
import { KnownHostRepo } from './known-host-repo'
import { LogRepo } from './log-repo'
import { PhaseTimingRepo } from './phase-timing-repo'
import { ProvisionRepo } from './provision-repo'
import { RunRepo } from './run-repo'
import { VerdictHistoryRepo } from './verdict-history-repo'

export class Store {
  readonly runs: RunRepo
  readonly artifacts: ArtifactRepo
  readonly annotations: AnnotationRepo
  readonly knownHosts: KnownHostRepo
  readonly logs: LogRepo
  readonly provisions: ProvisionRepo
  readonly timings: PhaseTimingRepo
  readonly campaigns: CampaignRepo
  readonly journal: JournalRepo
  readonly verdicts: VerdictHistoryRepo

  private constructor(readonly db: Db, readonly file: string) {
    this.runs = new RunRepo(db)
    this.artifacts = new ArtifactRepo(db)
    this.annotations = new AnnotationRepo(db)
    this.knownHosts = new KnownHostRepo(db)
    this.logs = new LogRepo(db)
    this.provisions = new ProvisionRepo(db)
    this.timings = new PhaseTimingRepo(db)
    this.campaigns = new CampaignRepo(db)
    this.journal = new JournalRepo(db)
    this.verdicts = new VerdictHistoryRepo(db)
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
