export { createDatasetRepo, type DatasetRepo } from './repo.js';
export { datasetRoutes } from './routes.js';
export {
  createDatasetService,
  type DatasetDeps,
  type DatasetService,
  type DatasetUpload,
  type LocalDataset,
} from './service.js';
