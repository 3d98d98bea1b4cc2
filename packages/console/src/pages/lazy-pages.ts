import { lazy } from 'react';

/*
 * Every page but the overview loads with its first visit, so a first load carries the shell, the
 * sign-in and the overview only.
 */
export const Audit = lazy(() => import('./audit.js').then((m) => ({ default: m.Audit })));
export const ChatPlayground = lazy(() =>
  import('./chat-playground.js').then((m) => ({ default: m.ChatPlayground })),
);
export const CompletionsPlayground = lazy(() =>
  import('./completions-playground.js').then((m) => ({ default: m.CompletionsPlayground })),
);
export const DeploymentDetail = lazy(() =>
  import('./deployment-detail.js').then((m) => ({ default: m.DeploymentDetail })),
);
export const Deployments = lazy(() => import('./deployments.js').then((m) => ({ default: m.Deployments })));
export const EmbeddingsPlayground = lazy(() =>
  import('./embeddings-playground.js').then((m) => ({ default: m.EmbeddingsPlayground })),
);
export const ImagePlayground = lazy(() =>
  import('./image-playground.js').then((m) => ({ default: m.ImagePlayground })),
);
export const Keys = lazy(() => import('./keys.js').then((m) => ({ default: m.Keys })));
export const ModelDetail = lazy(() => import('./model-detail.js').then((m) => ({ default: m.ModelDetail })));
export const Models = lazy(() => import('./models.js').then((m) => ({ default: m.Models })));
export const Playgrounds = lazy(() => import('./playgrounds.js').then((m) => ({ default: m.Playgrounds })));
export const TabularPlayground = lazy(() =>
  import('./tabular-playground.js').then((m) => ({ default: m.TabularPlayground })),
);
export const TensorPlayground = lazy(() =>
  import('./tensor-playground.js').then((m) => ({ default: m.TensorPlayground })),
);
export const TrainingJobPage = lazy(() =>
  import('./training-job.js').then((m) => ({ default: m.TrainingJobPage })),
);
export const TrainingJobs = lazy(() =>
  import('./training-jobs.js').then((m) => ({ default: m.TrainingJobs })),
);
export const TranscriptionPlayground = lazy(() =>
  import('./transcription-playground.js').then((m) => ({ default: m.TranscriptionPlayground })),
);
export const Usage = lazy(() => import('./usage.js').then((m) => ({ default: m.Usage })));
