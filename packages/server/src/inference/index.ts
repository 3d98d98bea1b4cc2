export { admitEarly } from './admit-early.js';
export {
  createInferenceService,
  type InferenceAnswer,
  type InferenceCall,
  type InferenceService,
} from './inference-service.js';
