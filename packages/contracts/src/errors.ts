/**
 * The one error catalog. Codes are stable: clients switch on them, docs/errors.md lists them and a
 * test keeps the two in step. Each protocol renders these in its own shape.
 */
export interface ErrorDefinition {
  readonly status: number;
  /** Retrying the same request later may succeed (server capacity, not the caller's input). */
  readonly retryable: boolean;
  readonly description: string;
}

export const errorCatalog = {
  bad_request: { status: 400, retryable: false, description: 'The request is malformed.' },
  invalid_json: { status: 400, retryable: false, description: 'The body is not valid JSON.' },
  validation_failed: {
    status: 400,
    retryable: false,
    description: 'A field of the request, path or query is missing, unknown, or has a wrong value.',
  },
  invalid_config: {
    status: 400,
    retryable: false,
    description:
      'A version’s `config` does not fit its model: a field the task’s pipeline or runtime refuses, a value the model’s inputs or outputs contradict, or a `dtype` without its ONNX files. The message names the field (`config.image.channels`). Refused when the config is set (upload, `PATCH …/versions/{v}`), and at deploy for one stored earlier.',
  },
  invalid_name: {
    status: 400,
    retryable: false,
    description: 'A model or alias name does not match `[a-z0-9][a-z0-9._-]*` (at most 64 characters).',
  },
  upload_incomplete: {
    status: 400,
    retryable: false,
    description: 'The upload ended before the announced length, or the client went away.',
  },
  empty_artifact: { status: 400, retryable: false, description: 'The uploaded artifact has no bytes.' },
  invalid_dataset: {
    status: 400,
    retryable: false,
    description:
      'The dataset cannot be read: a ragged or unterminated CSV row, a JSON Lines line that is not a JSON object, no rows, an empty or repeated column name, an image that does not decode or sits outside the class folders; or it cannot train as a job asks (a target with one class, every row dropped, a value that is not a number in a column used as one, a value outside log1p’s domain), which fails the job with this code. The message names the row and column, line or file at fault (docs/datasets.md).',
  },
  invalid_hub_source: {
    status: 400,
    retryable: false,
    description: 'The pull source is not `hf://org/repo[@revision][/path][:quantization]` (see docs/hub.md).',
  },
  invalid_tensor: {
    status: 400,
    retryable: false,
    description:
      'An input tensor is malformed: datatype, shape, element count, value range, or a name the model lacks.',
  },
  invalid_binary_body: {
    status: 400,
    retryable: false,
    description:
      'The binary tensor extension does not add up (`Inference-Header-Content-Length`, `binary_data_size`).',
  },
  unknown_variant: {
    status: 400,
    retryable: false,
    description:
      'The deployment’s current revision has no variant of the name in `x-modelport-target-variant`.',
  },
  invalid_variants: {
    status: 400,
    retryable: false,
    description:
      'The variants cannot form a revision: two share a name, every weight is 0, or none is a production variant. Nothing was changed.',
  },
  invalid_rollout: {
    status: 400,
    retryable: false,
    description:
      'The rollout cannot run: its steps do not increase to 100%, or its strategy or guardrails contradict each other. Nothing was changed.',
  },
  invalid_fallbacks: {
    status: 400,
    retryable: false,
    description:
      'The fallbacks cannot form a failover chain: one names the deployment itself, twice the same deployment, a deployment that does not exist in the project or serves another task, or they would make a cycle. Nothing was changed.',
  },
  context_length_exceeded: {
    status: 400,
    retryable: false,
    description:
      'The prompt (or an input to embed) has more tokens than the model’s context holds; in a failover chain the next deployment is tried.',
  },
  missing_api_key: {
    status: 401,
    retryable: false,
    description: 'No `Authorization: Bearer <key>` header was sent.',
  },
  invalid_api_key: {
    status: 401,
    retryable: false,
    description: 'The key is malformed, fails its checksum, or is unknown.',
  },
  api_key_revoked: { status: 401, retryable: false, description: 'The key was revoked.' },
  api_key_expired: { status: 401, retryable: false, description: 'The key is past its expiry.' },
  api_key_rotated: {
    status: 401,
    retryable: false,
    description: 'The key was rotated and this old secret’s grace period is over; use the new secret.',
  },
  insufficient_scope: {
    status: 403,
    retryable: false,
    description:
      'The key lacks the scope this route needs (`infer`, `manage`, `metrics`, `admin` or `org_admin`).',
  },
  route_not_found: { status: 404, retryable: false, description: 'No route matches method and path.' },
  model_not_found: {
    status: 404,
    retryable: false,
    description: 'No such model in the key’s project (or the key may not use it).',
  },
  version_not_found: { status: 404, retryable: false, description: 'The model has no such version.' },
  alias_not_found: { status: 404, retryable: false, description: 'The model has no such alias.' },
  deployment_not_found: { status: 404, retryable: false, description: 'No such deployment in this project.' },
  rollout_not_found: {
    status: 404,
    retryable: false,
    description: 'The deployment has no such rollout, or none in progress.',
  },
  dataset_not_found: { status: 404, retryable: false, description: 'No such dataset in the key’s project.' },
  training_job_not_found: {
    status: 404,
    retryable: false,
    description: 'No such training job in the key’s project.',
  },
  key_not_found: { status: 404, retryable: false, description: 'No such API key in this project.' },
  pull_not_found: {
    status: 404,
    retryable: false,
    description: 'No such pull in the key’s project (or the key may not use its model).',
  },
  hub_not_found: {
    status: 404,
    retryable: false,
    description:
      'The Hugging Face Hub (or its mirror) has no such repository, revision or file, or the repository has no file of the asked quantization or dtype; the message lists what it has.',
  },
  hub_access_denied: {
    status: 403,
    retryable: false,
    description:
      'The Hub refused access to a gated or private repository: set `HF_TOKEN` to a token whose account was granted access (and accepted the model’s terms).',
  },
  project_not_found: {
    status: 404,
    retryable: false,
    description: 'No such project in the key’s organization (or the key may not see it).',
  },
  model_already_exists: {
    status: 409,
    retryable: false,
    description: 'A model with this name already exists in the project.',
  },
  deployment_already_exists: {
    status: 409,
    retryable: false,
    description: 'A deployment with this name already exists in the project.',
  },
  project_already_exists: {
    status: 409,
    retryable: false,
    description: 'A project with this name already exists in the organization.',
  },
  key_revoked: { status: 409, retryable: false, description: 'The key was revoked; it cannot be rotated.' },
  key_rotation_conflict: {
    status: 409,
    retryable: true,
    description: 'The key was rotated or revoked by another request meanwhile; read it again and retry.',
  },
  pull_not_cancellable: {
    status: 409,
    retryable: false,
    description: 'The pull has ended, or is registering its version: it can no longer be cancelled.',
  },
  model_in_use: {
    status: 409,
    retryable: false,
    description: 'The model is deployed; delete its deployments first.',
  },
  rollout_in_progress: {
    status: 409,
    retryable: false,
    description:
      'The deployment has a rollout in progress: wait, abort it, or start the new one with `supersede: true`.',
  },
  rollout_state_conflict: {
    status: 409,
    retryable: false,
    description:
      'The rollout is not in a state that allows this action (e.g. resume of a rollout that is not paused).',
  },
  rollout_over_budget: {
    status: 409,
    retryable: false,
    description:
      'A blue/green rollout needs both revisions loaded and they do not fit the memory budget; use the `rolling` strategy or free memory.',
  },
  training_job_finished: {
    status: 409,
    retryable: false,
    description: 'The training job has already succeeded or failed; it cannot be cancelled.',
  },
  training_job_not_registrable: {
    status: 409,
    retryable: false,
    description:
      'Only a succeeded training job that kept its model (it ran with `register: false`) can be registered later; this one has not succeeded, or kept nothing, or its registration is under way.',
  },
  training_job_already_registered: {
    status: 409,
    retryable: false,
    description: 'The training job’s model is already a version; `details` names it (`model`, `version`).',
  },
  payload_too_large: {
    status: 413,
    retryable: false,
    description: 'The body is larger than the route’s limit (see docs/limits.md).',
  },
  artifact_too_large: {
    status: 413,
    retryable: false,
    description: 'The artifact is larger than `limits.maxArtifactBytes`.',
  },
  dataset_too_large: {
    status: 413,
    retryable: false,
    description:
      'The dataset is past one of the `datasets` limits (bytes, rows, columns, cells, images, pixels of one image); the message names the limit.',
  },
  unsupported_media_type: {
    status: 415,
    retryable: false,
    description: 'The Content-Type is not one this route accepts.',
  },
  unsupported_artifact_format: {
    status: 422,
    retryable: false,
    description: 'The artifact is not ONNX, GGUF (v2/v3) or a tar folder (detected by content, not name).',
  },
  forbidden_artifact_format: {
    status: 422,
    retryable: false,
    description:
      'Pickle-based files (.pt, .pkl, joblib, zip-of-pickle) are never accepted; export to ONNX or GGUF.',
  },
  invalid_artifact: {
    status: 422,
    retryable: false,
    description:
      'The artifact failed validation (truncated, out-of-bounds tensors, bad protobuf, missing files).',
  },
  unsafe_artifact_path: {
    status: 422,
    retryable: false,
    description:
      'A tar entry or ONNX external-data location leaves the model folder, or is a link or device.',
  },
  hub_unsupported_repo: {
    status: 422,
    retryable: false,
    description:
      'The Hub repository has nothing Modelport serves: no single-file GGUF, no ONNX (transformers.js layout) with a config.json; or only split GGUF shards.',
  },
  task_not_supported: {
    status: 400,
    retryable: false,
    description: 'The model’s task has no such pipeline (e.g. an image sent to a text model).',
  },
  unsupported_media: {
    status: 415,
    retryable: false,
    description: 'The file is not an image or audio format the pipeline decodes (PNG, JPEG, WebP, GIF; WAV).',
  },
  media_too_large: {
    status: 413,
    retryable: false,
    description: 'The image has more pixels, or the audio lasts longer, than the documented limit.',
  },
  invalid_checkpoint: {
    status: 422,
    retryable: false,
    description:
      'The checkpoint to resume from is unreadable, or was written by a job with another specification or other data.',
  },
  training_cancelled: {
    status: 409,
    retryable: false,
    description: 'The training job was cancelled before it finished; its last checkpoint can resume it.',
  },
  unsupported_runtime: {
    status: 422,
    retryable: false,
    description: 'No serving runtime for this model version’s format yet.',
  },
  rate_limit_exceeded: {
    status: 429,
    retryable: true,
    description:
      'The key is over one of its limits (requests or tokens per minute, concurrent requests, for the key or the key × model); retry after `Retry-After`.',
  },
  insufficient_quota: {
    status: 429,
    retryable: false,
    description:
      'The key’s or the project’s budget for this period is spent; no work was done. Retrying does not help until the budget resets or is raised (`x-should-retry: false`, no `Retry-After`).',
  },
  price_not_found: { status: 404, retryable: false, description: 'The model has no price set.' },
  budget_not_found: { status: 404, retryable: false, description: 'No such budget in this project.' },
  artifact_unreadable: {
    status: 502,
    retryable: false,
    description:
      'The artifact’s bytes in the store are missing or do not hash to its sha256: the version cannot be loaded or downloaded until they are restored. Nothing was cached.',
  },
  store_unavailable: {
    status: 503,
    retryable: true,
    description:
      'The database cannot be reached right now (restarting, failing over, the network cut): nothing was done. Retry after `Retry-After`.',
  },
  artifact_store_unavailable: {
    status: 503,
    retryable: true,
    description:
      'The object store holding artifacts cannot be reached: uploads and deletions wait for it; models already in the local cache keep serving. Retry after `Retry-After`.',
  },
  usage_ledger_unavailable: {
    status: 503,
    retryable: true,
    description:
      'The usage ledger cannot take more rows right now (its store is slow or away); the request was refused before any work was done.',
  },
  internal_error: {
    status: 500,
    retryable: true,
    description: 'An unexpected server fault; the request id locates it in the logs.',
  },
  training_failed: {
    status: 500,
    retryable: false,
    description:
      'A training job failed for a reason other than its data or spec (its worker crashed or ran out of memory); the job’s `error` and logs say what happened.',
  },
  export_parity_failed: {
    status: 500,
    retryable: false,
    description:
      'The trained model’s ONNX export gives other outputs than the trained model on the validation rows (beyond 1e-4); the job’s `error.details` holds the numbers and nothing was registered.',
  },
  runner_failed: {
    status: 502,
    retryable: true,
    description:
      'The model’s runner process failed during the request (crash or protocol error); it is restarted.',
  },
  hub_unreachable: {
    status: 502,
    retryable: true,
    description:
      'The Hugging Face Hub (`HF_ENDPOINT`) could not be reached: DNS, connection refused, timeout, or a 5xx answer.',
  },
  hub_bad_response: {
    status: 502,
    retryable: true,
    description:
      'The Hub answered something a pull cannot use (bad model info, a missing size, a range that does not continue the file).',
  },
  hub_checksum_mismatch: {
    status: 502,
    retryable: false,
    description:
      'A downloaded file’s sha256 differs from the one the Hub published for it (or its size differs); the pull failed and nothing was registered.',
  },
  model_not_ready: {
    status: 503,
    retryable: true,
    description:
      'The deployment has no ready instance (starting, restarting after a crash); retry after `Retry-After`.',
  },
  memory_budget_busy: {
    status: 503,
    retryable: true,
    description:
      'Starting the deployment’s instances would exceed the memory budget, and the instances that could make room are serving requests: at once for a create or scale, after waiting up to the deployment’s `timeoutMs` for an inference request; retry after `Retry-After`.',
  },
  memory_budget_exceeded: {
    status: 507,
    retryable: false,
    description:
      'The deployment’s instances need more memory than the whole memory budget (`limits.memoryBudgetBytes`); the message names the bytes needed and the budget. Fewer instances or a larger budget help; retrying does not.',
  },
  queue_full: {
    status: 503,
    retryable: true,
    description: 'The model’s request queue is full (server capacity; per-key limits answer 429).',
  },
  deadline_exceeded: {
    status: 504,
    retryable: true,
    description: 'The request’s `timeoutMs` passed while it was queued or running; its work was dropped.',
  },
  service_unavailable: {
    status: 503,
    retryable: true,
    description: 'The server is starting or shutting down; retry after `Retry-After` seconds.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof errorCatalog;

export const errorCodes = Object.keys(errorCatalog) as ErrorCode[];

/** Management API error body: `{"error":{"code","message","requestId"}}`. */
export interface ManagementErrorBody {
  error: { code: ErrorCode; message: string; requestId: string; details?: unknown };
}
