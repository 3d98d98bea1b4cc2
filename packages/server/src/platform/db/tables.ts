/** Timestamps are ISO-8601 UTC strings and JSON columns are text on both SQLite and PostgreSQL. */
export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ProjectsTable {
  id: string;
  organization_id: string;
  name: string;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  project_id: string;
  name: string;
  /** The visible start of the key (`mpk_` + lookup id), safe to show and log. */
  prefix: string;
  /** sha256 of the whole key, hex. */
  hash: string;
  scopes: string;
  models: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  /** JSON KeyLimits, or null for none. */
  limits: string | null;
  /** The secret replaced by the last rotation, accepted until `previous_valid_until`. */
  previous_prefix: string | null;
  previous_hash: string | null;
  previous_valid_until: string | null;
  rotated_at: string | null;
}

export interface ModelsTable {
  id: string;
  project_id: string;
  name: string;
  task: string;
  description: string;
  next_version: number;
  created_at: string;
}

export interface ArtifactsTable {
  sha256: string;
  format: string;
  size_bytes: number;
  uri: string;
  created_at: string;
}

export interface ModelVersionsTable {
  id: string;
  model_id: string;
  version: number;
  sha256: string;
  format: string;
  size_bytes: number;
  metadata: string;
  config: string;
  created_at: string;
}

export interface AliasesTable {
  model_id: string;
  name: string;
  version: number;
  updated_at: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface AuditLogTable {
  id: string;
  project_id: string | null;
  key_id: string | null;
  action: string;
  target: string;
  detail: string;
  created_at: string;
  request_id: string | null;
}

export interface DeploymentsTable {
  id: string;
  project_id: string;
  name: string;
  model_id: string;
  version: number;
  /** JSON: instances, threads, batching, queue and timeout settings. */
  spec: string;
  /** The revision served now (`deployment_revisions.revision`). */
  revision: number;
  created_at: string;
  updated_at: string;
}

/** An immutable revision of a deployment. */
export interface DeploymentRevisionsTable {
  id: string;
  deployment_id: string;
  revision: number;
  /** JSON: `[{ name, version, instances, weight, role }]`, in the order the client gave. */
  variants: string;
  /** Sticky-session salt, kept across a deployment's revisions. */
  salt: string;
  /** JSON guardrails of the rollout that made this revision; null for a revision set at once. */
  guardrails: string | null;
  created_at: string;
}

/** A rollout from one revision of a deployment to the next, as it stands. */
export interface DeploymentRolloutsTable {
  id: string;
  deployment_id: string;
  from_revision: number;
  to_revision: number;
  /** JSON: `{ strategy, guardrails, onInconclusive }` as resolved at start. */
  spec: string;
  state: string;
  /** Index into the strategy's steps; -1 before the first. */
  step: number;
  /** Share of the traffic on the new revision. */
  percent: number;
  reason: string | null;
  /** JSON of the last guardrail evaluation. */
  last_evaluation: string | null;
  /** The key that started it (system events are recorded in its name). */
  started_by: string | null;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** A pull from the Hugging Face Hub into a model's versions (registry/hub/). */
export interface HubPullsTable {
  id: string;
  project_id: string;
  organization_id: string;
  /** The key that started it; the version is registered in its name. */
  key_id: string;
  /** The registry model's name. */
  model: string;
  /** As the caller wrote it: `hf://org/repo[@revision][/path][:quantization]`. */
  source: string;
  endpoint: string;
  repo: string;
  revision: string;
  /** The commit the revision resolved to when the pull was accepted; every file comes from it. */
  commit_sha: string;
  kind: string;
  /** JSON: `[{ path, sizeBytes, sha256, bytesDone }]`. */
  files: string;
  /** JSON version config the new version gets. */
  config: string;
  state: string;
  bytes_done: number;
  bytes_total: number;
  version: number | null;
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface UsageEventsTable {
  /** The server's id of the request (unique); the caller's own id, if sent, is `client_request_id`. */
  request_id: string;
  client_request_id: string | null;
  project_id: string;
  key_id: string;
  /** The registry model's name. */
  model: string;
  /** The deployment that served it (the name the caller used). */
  deployment: string;
  version: number;
  /** Which API: `oip.infer`, `openai.chat`, `predict`… */
  endpoint: string;
  /** HTTP status sent; 499 when the client left first. */
  status: number;
  error_code: string | null;
  tokens_in: number;
  tokens_out: number;
  queue_ms: number;
  compute_ms: number;
  cost_nanos: number;
  started_at: string;
  finished_at: string;
}

/** Money in integer nano-units of the operator's currency. */
export interface PricesTable {
  project_id: string;
  model: string;
  input_per_1k_nanos: number;
  output_per_1k_nanos: number;
  per_request_nanos: number;
  per_compute_second_nanos: number;
  updated_at: string;
}

export interface BudgetsTable {
  id: string;
  project_id: string;
  scope: 'project' | 'key';
  /** The project id or the key id. */
  target: string;
  limit_nanos: number;
  period: 'day' | 'week' | 'month' | 'never';
  /** Start of the period `spent_nanos` belongs to. */
  period_start: string;
  spent_nanos: number;
  updated_at: string;
}

/** An uploaded dataset; its bytes are the artifact of `sha256`. */
export interface DatasetsTable {
  id: string;
  project_id: string;
  name: string;
  /** `csv`, `jsonl` or `images`. */
  format: string;
  sha256: string;
  size_bytes: number;
  /** JSON: rows and columns, or images and classes. */
  summary: string;
  /** JSON: the schema inferred at upload (columns and their statistics, or classes and sizes). */
  schema: string;
  /** The key that uploaded it. */
  created_by: string | null;
  created_at: string;
}

/** A training job as it stands; JSON columns are text. */
export interface TrainingJobsTable {
  id: string;
  project_id: string;
  /** The key that created it. */
  created_by: string | null;
  /** The registry model the trained version goes into. */
  model_name: string;
  dataset_id: string;
  /** JSON: the validated request (training spec, register, deploy). */
  spec: string;
  state: string;
  /** JSON: `{ phase, epoch, epochs }`. */
  progress: string;
  /** JSON: metrics, baseline, parity, the version registered, the deployment. */
  result: string | null;
  /** JSON: `{ code, message, details }` of a failed job. */
  error: string | null;
  /** 1 once a cancel was asked; the runner that holds the job stops it. */
  cancel_requested: number;
  /** How many times a runner started it (a resume after a restart counts). */
  attempts: number;
  /** The server process running it now. */
  owner: string | null;
  /** Last sign of life of that runner; a stale one lets another server take the job over. */
  heartbeat_at: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The artifact-store digest of the model a job that succeeded unregistered keeps (migration 0011). */
  kept_sha256: string | null;
  /** JSON: what registering that model later needs (serving config, scores, parity, lineage). */
  kept: string | null;
}

/** What happened to a job, in order (`seq` from 1): states, epochs, logs. */
export interface TrainingJobEventsTable {
  job_id: string;
  seq: number;
  type: string;
  /** JSON payload of the event. */
  data: string;
  created_at: string;
}

/** The last checkpoint file of a running job, copied from the machine that trains it. */
export interface TrainingCheckpointsTable {
  job_id: string;
  /** The trainer's checkpoint file, base64. */
  data: string;
  size_bytes: number;
  updated_at: string;
}

export interface Database {
  organizations: OrganizationsTable;
  projects: ProjectsTable;
  api_keys: ApiKeysTable;
  models: ModelsTable;
  artifacts: ArtifactsTable;
  model_versions: ModelVersionsTable;
  aliases: AliasesTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  deployments: DeploymentsTable;
  deployment_revisions: DeploymentRevisionsTable;
  deployment_rollouts: DeploymentRolloutsTable;
  usage_events: UsageEventsTable;
  hub_pulls: HubPullsTable;
  prices: PricesTable;
  budgets: BudgetsTable;
  datasets: DatasetsTable;
  training_jobs: TrainingJobsTable;
  training_job_events: TrainingJobEventsTable;
  training_checkpoints: TrainingCheckpointsTable;
}
