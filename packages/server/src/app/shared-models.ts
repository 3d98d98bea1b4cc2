import type { CreateDeploymentRequest, ModelTask, VersionConfig } from '@modelport/contracts';

export interface SharedModelEntry {
  name: string;
  path: string;
  folder: boolean;
  task: ModelTask;
  description: string;
  config: VersionConfig;
  /** A labels file (`index,label[, synonyms]` per line) merged into `config.labels`. */
  labelsPath?: string;
  /** Deployed at first start, so it answers right away. */
  deploy?: Omit<CreateDeploymentRequest, 'model'>;
}

/** The sample models a shared models folder may hold, with the pipeline settings each needs. */
export const sharedModelCatalog: SharedModelEntry[] = [
  {
    name: 'mnist',
    path: 'mnist/mnist.onnx',
    folder: false,
    task: 'image-classification',
    description: 'Handwritten digit classifier (ONNX Model Zoo MNIST CNN)',
    config: {
      image: { width: 28, height: 28, channels: 'gray', layout: 'NCHW', scale: 1, dtype: 'FP32' },
      labels: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      outputKind: 'logits',
    },
  },
  {
    name: 'squeezenet',
    path: 'squeezenet1.0-fp16/SqueezeNet_fp16.onnx',
    folder: false,
    task: 'image-classification',
    description: 'SqueezeNet 1.0 ImageNet classifier, FP16',
    config: {
      image: { width: 224, height: 224, channels: 'BGR', layout: 'NCHW', scale: 1, dtype: 'FP16' },
      outputKind: 'probabilities',
    },
    labelsPath: 'squeezenet1.0-fp16/labels.txt',
  },
  {
    name: 'stories260k',
    path: 'stories260k/stories260K.gguf',
    folder: false,
    task: 'text-generation',
    description: 'Tiny Llama trained on TinyStories (260K parameters)',
    config: {},
    // A tiny model: one thread is fastest, four sequences share it.
    deploy: { threads: 1, llm: { parallel: 4, contextSize: 2048 } },
  },
  {
    name: 'whisper-tiny',
    path: 'whisper-tiny/Xenova/whisper-tiny',
    folder: true,
    task: 'automatic-speech-recognition',
    description: 'Whisper tiny, multilingual speech recognition (q8 ONNX)',
    // The folder holds only q8 files, so the runner loads those without a configured dtype.
    config: {},
  },
];
