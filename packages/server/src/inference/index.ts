export {
  createInferenceService,
  type InferenceAnswer,
  type InferenceCall,
  type InferenceService,
} from './inference-service.js';
