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
}

export interface DeploymentsTable {
  id: string;
  project_id: string;
  name: string;
  model_id: string;
  version: number;
  /** JSON: instances, threads, batching, queue and timeout settings. */
  spec: string;
  created_at: string;
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
}
