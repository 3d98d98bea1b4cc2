export type {
  HandoffInput,
  HandoffMessage,
  HandoffServing,
  ParityFigures,
} from './handoff-messages.js';
